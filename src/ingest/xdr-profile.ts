import type { RawRecord, Row, Value } from '../engine/value';
import type { BoundProfile, Detection, Profile } from './profile';
import { fieldKind, normalizeValueOfKind } from './normalize';
import type { FieldKind } from './normalize';

/** Column names that only a Cortex XDR/XSIAM `xdr_data` export uses (see research xql-xdr.md §2.1). */
const XDR_COLUMNS: ReadonlySet<string> = new Set([
  '_time', '_insert_time', '_product', '_vendor', 'insert_timestamp',
  'agent_hostname', 'agent_id', 'agent_ip_addresses', 'agent_os_type', 'agent_os_sub_type', 'agent_version',
  'agent_is_vdi', 'agent_install_type',
  'event_id', 'event_type', 'event_sub_type', 'event_timestamp', 'event_version',
  'action_process_image_name', 'action_process_image_path', 'action_process_image_command_line',
  'action_process_os_pid', 'action_process_username', 'action_process_cwd', 'action_process_integrity_level',
  'action_process_image_md5', 'action_process_image_sha256', 'action_process_signature_vendor',
  'action_process_signature_product', 'action_process_signature_status', 'action_process_instance_id',
  'action_process_causality_id',
  'actor_process_image_name', 'actor_process_image_path', 'actor_process_command_line',
  'actor_process_image_command_line', 'actor_process_os_pid', 'actor_process_instance_id',
  'actor_process_causality_id', 'actor_process_signature_vendor', 'actor_process_signature_status',
  'actor_process_signature_product', 'actor_effective_username', 'actor_primary_username', 'actor_primary_user_sid',
  'causality_actor_process_image_name', 'causality_actor_process_image_path',
  'causality_actor_process_command_line', 'causality_actor_process_os_pid', 'causality_actor_process_image_sha256',
  'causality_actor_process_signature_vendor', 'causality_actor_process_signature_status', 'causality_actor_type',
  'causality_actor_primary_username',
  'os_actor_process_image_name', 'os_actor_process_image_path', 'os_actor_process_command_line',
  'os_actor_process_os_pid', 'os_actor_effective_username',
]);

/** This many known columns make a full-confidence match; fewer scale linearly. */
const FULL_CONFIDENCE_COLUMNS = 8;
const REASON_EXAMPLES = 3;

function detectXdr(columns: readonly string[]): Detection | null {
  const known = [...new Set(columns.map((column) => column.trim().toLowerCase()))].filter((column) => XDR_COLUMNS.has(column));
  if (known.length === 0) return null;
  // The most telling columns first, so the reason names what an analyst recognises.
  known.sort((a, b) => specificity(b) - specificity(a));
  const examples = known.slice(0, REASON_EXAMPLES).join(', ') + (known.length > REASON_EXAMPLES ? ', ...' : '');
  const noun = known.length === 1 ? 'column' : 'columns';
  return {
    score: Math.min(1, known.length / FULL_CONFIDENCE_COLUMNS),
    reason: `${known.length} xdr_data ${noun} (${examples})`,
  };
}

function specificity(column: string): number {
  if (column.startsWith('action_process_image_command_line')) return 3;
  if (column.startsWith('agent_') || column.startsWith('action_')) return 2;
  return column.startsWith('_') ? 0 : 1;
}

/** Distinct texts remembered per enum column (a bound on memory for columns that are not really enums). */
const ENUM_CACHE_LIMIT = 1024;

/** One source column feeding one canonical field, with the field's normalisation rule. */
interface ColumnBinding {
  source: string;
  canonical: string;
  kind: FieldKind;
}

function bindXdr(columns: readonly string[], overrides?: Readonly<Record<string, string>>): BoundProfile {
  const byCanonical = new Map<string, string>();
  for (const column of columns) {
    const canonical = column.trim().toLowerCase();
    // Headers that differ only in case: the first one wins, as XQL field names are case-insensitive.
    if (canonical !== '' && !byCanonical.has(canonical)) byCanonical.set(canonical, column);
  }
  for (const [canonical, wanted] of Object.entries(overrides ?? {})) {
    const source = columns.includes(wanted) ? wanted : columns.find((column) => column.toLowerCase() === wanted.toLowerCase());
    byCanonical.set(canonical.toLowerCase(), source ?? wanted);
  }
  const bindings: ColumnBinding[] = [...byCanonical].map(([canonical, source]) => ({ source, canonical, kind: fieldKind(canonical) }));
  // event_type is normalised first so that event_sub_type codes can be translated within the type.
  const order = (binding: ColumnBinding): number => (binding.canonical === 'event_type' ? 0 : binding.canonical === 'event_sub_type' ? 1 : 2);
  bindings.sort((a, b) => order(a) - order(b));

  const sources = bindings.map((binding) => binding.source);
  const canonicals = bindings.map((binding) => binding.canonical);
  const kinds = bindings.map((binding) => binding.kind);
  // Column names are attacker-written: `constructor`, `toString`, `__proto__` must be read as own
  // keys only (a record without them would otherwise yield Object.prototype's members).
  const inherited = sources.map((source) => source in Object.prototype);
  const protoAt = canonicals.indexOf('__proto__');
  const eventTypeIndex = canonicals.indexOf('event_type');
  // Enum columns repeat a handful of texts; remembering their normal form saves trimming and
  // upper-casing per row. Sub-type codes depend on the event type, so that column is not cached.
  const enumCaches = bindings.map((binding) => (binding.kind === 'enum' && binding.canonical !== 'event_sub_type' ? new Map<string, Value>() : null));
  const mapping: Record<string, string> = {};
  for (const binding of bindings) mapping[binding.canonical] = binding.source;

  return {
    profileId: 'xdr',
    mapping,
    canonicalColumns: canonicals,
    toRow(raw: RawRecord): Row {
      const row: Row = {};
      let eventType: string | null = null;
      for (let i = 0; i < sources.length; i++) {
        const value = inherited[i] && !Object.hasOwn(raw, sources[i]) ? undefined : raw[sources[i]];
        const cache = enumCaches[i];
        let normalised: Value;
        if (value === '') {
          // Delimited text cannot tell a null from an empty string, and XDR writes nulls as empty
          // cells, so "" is null for every field and every source format (JSON "" included).
          normalised = null;
        } else if (cache !== null && typeof value === 'string') {
          let cached = cache.get(value);
          if (cached === undefined) {
            cached = normalizeValueOfKind(kinds[i], canonicals[i], value, eventType);
            if (cache.size < ENUM_CACHE_LIMIT) cache.set(value, cached);
          }
          normalised = cached;
        } else {
          normalised = normalizeValueOfKind(kinds[i], canonicals[i], value, eventType);
        }
        if (i === protoAt) Object.defineProperty(row, '__proto__', { value: normalised, enumerable: true, writable: true, configurable: true });
        else row[canonicals[i]] = normalised;
        if (i === eventTypeIndex && typeof normalised === 'string') eventType = normalised;
      }
      return row;
    },
  };
}

export const xdrProfile: Profile = {
  id: 'xdr',
  label: 'Cortex XDR / XSIAM xdr_data',
  detect: (columns) => detectXdr(columns),
  bind: bindXdr,
};

/** The best-scoring profile for a file, or null when none recognises it. Ties go to the earlier profile. */
export function detectProfile(
  columns: readonly string[],
  sample: readonly RawRecord[],
  profiles: readonly Profile[],
): { profile: Profile; detection: Detection } | null {
  let best: { profile: Profile; detection: Detection } | null = null;
  for (const profile of profiles) {
    const detection = profile.detect(columns, sample);
    if (detection && detection.score > 0 && (!best || detection.score > best.detection.score)) best = { profile, detection };
  }
  return best;
}
