import type { Value } from '../engine/value';
import { ENUM_FIELDS, canonicalEnumName, enumName } from '../engine/enums';

/**
 * Normalisation of raw export values into engine `Value`s (see src/engine/value.ts for the target
 * shapes). Everything here is explicit parsing: `Date.parse` accepts far too much (e.g. "1" or
 * "Jun 31") and differs between engines, so it is never used.
 */

const MS_PER_SECOND = 1000;
const MONTH_BY_NAME: Readonly<Record<string, number>> = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6, june: 6,
  jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10, october: 10,
  nov: 11, november: 11, dec: 12, december: 12,
};

/** `2025-06-30T14:02:11.1234567+02:00`, `2021-10-14 03:59:09.793 UTC`, `2025-06-30 14:02:11`, `2025-06-30`. */
const ISO_LIKE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/;
/** `Jun 30th 2025 14:02:11`, `June 3 2025 04:05:06.789 UTC`, `Jun 30th, 2025 14:02:11`. */
const MONTH_NAME_FORM =
  /^([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:\s*(Z|UTC|GMT))?$/i;
const NUMERIC_TEXT = /^[+-]?\d+(?:\.\d+)?$/;

/**
 * Epoch milliseconds (integer) from an epoch number of any common unit or a date-time text; null
 * when the value is not recognisably a time. Zone-less texts are taken as UTC.
 */
export function parseTime(raw: unknown): number | null {
  if (typeof raw === 'number') return Number.isFinite(raw) ? epochNumberToMs(raw) : null;
  if (typeof raw === 'bigint') return epochNumberToMs(Number(raw));
  if (typeof raw !== 'string') return null;
  // Fast path for the common plain epoch text (13-digit milliseconds) without trimming or regexes.
  if (raw.length === 13 && isAllDigits(raw)) return Number(raw);
  const text = raw.trim();
  if (text === '') return null;
  if (NUMERIC_TEXT.test(text)) return epochTextToMs(text);
  const iso = ISO_LIKE.exec(text);
  if (iso) {
    return utcMs(+iso[1], +iso[2], +iso[3], +(iso[4] ?? 0), +(iso[5] ?? 0), +(iso[6] ?? 0), iso[7], iso[8]);
  }
  const named = MONTH_NAME_FORM.exec(text);
  if (named) {
    const month = MONTH_BY_NAME[named[1].toLowerCase()];
    if (month === undefined) return null;
    return utcMs(+named[3], month, +named[2], +named[4], +named[5], +(named[6] ?? 0), named[7], undefined);
  }
  return null;
}

function isAllDigits(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * The unit of an epoch number is decided by its magnitude (digit count of the integer part):
 * up to 11 digits seconds, 12-14 milliseconds, 15-17 microseconds, more nanoseconds.
 */
function epochNumberToMs(value: number): number {
  const magnitude = Math.abs(value);
  if (magnitude < 1e11) return Math.round(value * MS_PER_SECOND);
  if (magnitude < 1e14) return Math.floor(value);
  if (magnitude < 1e17) return Math.floor(value / 1e3);
  return Math.floor(value / 1e6);
}

/** Same rule as `epochNumberToMs`, but fractional seconds are read digit-exactly from the text. */
function epochTextToMs(text: string): number {
  const negative = text.startsWith('-');
  const unsigned = text.replace(/^[+-]/, '');
  const dot = unsigned.indexOf('.');
  const integerDigits = (dot === -1 ? unsigned : unsigned.slice(0, dot)).replace(/^0+(?=\d)/, '');
  if (integerDigits.length <= 11 && dot !== -1) {
    const fraction = unsigned.slice(dot + 1);
    const ms = Number(integerDigits) * MS_PER_SECOND + fractionToMs(fraction);
    return negative ? -ms : ms;
  }
  return epochNumberToMs(Number(text));
}

/** `1234567` (fraction-of-second digits) -> 123 ms; sub-millisecond digits are truncated. */
function fractionToMs(digits: string | undefined): number {
  if (!digits) return 0;
  return Number((digits + '00').slice(0, 3));
}

function utcMs(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  fraction: string | undefined,
  zone: string | undefined,
): number | null {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 60) return null;
  const offsetMinutes = zoneOffsetMinutes(zone);
  if (offsetMinutes === null) return null;
  const base = Date.UTC(year, month - 1, day, hour, minute, second);
  return base + fractionToMs(fraction) - offsetMinutes * 60_000;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Minutes east of UTC; null for an out-of-range offset. */
function zoneOffsetMinutes(zone: string | undefined): number | null {
  if (!zone || /^(z|utc|gmt)$/i.test(zone)) return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (hours > 23 || minutes > 59) return null;
  return sign * (hours * 60 + minutes);
}

/** How a canonical field's values are normalised; profiles precompute this once per column. */
export type FieldKind = 'enum' | 'time' | 'plain';

export function fieldKind(field: string): FieldKind {
  if (ENUM_FIELDS.has(field)) return 'enum';
  if (field === '_time' || field.endsWith('_time') || field.endsWith('_timestamp')) return 'time';
  return 'plain';
}

/**
 * One raw value to a `Value` for canonical (lower-case) field `field`. `eventType` is the already
 * normalised event_type of the same record, needed to translate numeric event_sub_type codes.
 */
export function normalizeValue(field: string, raw: unknown, eventType?: string | null): Value {
  return normalizeValueOfKind(fieldKind(field), field, raw, eventType);
}

/** `normalizeValue` with the field kind already known (the hot path in profiles). */
export function normalizeValueOfKind(kind: FieldKind, field: string, raw: unknown, eventType?: string | null): Value {
  if (raw === undefined || raw === null) return null;
  if (typeof raw === 'string') {
    // Short-circuit on length so ordinary long strings pay no upper-casing cost.
    if (raw.length === 4 || raw.length === 5) {
      const upper = raw.toUpperCase();
      if (upper === 'NULL') return null;
      if (upper === 'TRUE') return true;
      if (upper === 'FALSE') return false;
    }
    if (kind === 'enum') {
      if (NUMERIC_TEXT.test(raw.trim())) return enumCode(field, Number(raw), eventType);
      return canonicalEnumName(raw);
    }
    if (kind === 'time') return parseTime(raw) ?? raw;
    return raw;
  }
  if (typeof raw === 'number') {
    if (kind === 'enum') return enumCode(field, raw, eventType);
    if (kind === 'time') return parseTime(raw) ?? raw;
    return raw;
  }
  return toValue(raw);
}

function enumCode(field: string, code: number, eventType: string | null | undefined): Value {
  return (Number.isInteger(code) ? enumName(field, code, eventType) : null) ?? code;
}

/** Structural conversion of JSON-ish data to `Value` (strings kept exactly; unknown types dropped to null). */
export function toValue(raw: unknown): Value {
  if (raw === undefined || raw === null) return null;
  switch (typeof raw) {
    case 'string':
    case 'number':
    case 'boolean':
      return raw;
    case 'bigint':
      return Number(raw);
    case 'object': {
      if (Array.isArray(raw)) return raw.map(toValue);
      const out: { [key: string]: Value } = {};
      for (const [key, item] of Object.entries(raw)) {
        // Keys are attacker-written: `__proto__` must stay a key, not become the prototype.
        if (key === '__proto__') Object.defineProperty(out, key, { value: toValue(item), enumerable: true, writable: true, configurable: true });
        else out[key] = toValue(item);
      }
      return out;
    }
    default:
      return null;
  }
}
