import type { EscapeReading } from './plan';

/**
 * String-literal readings. Palo Alto documents that a normal "..." string is literal (a backslash is
 * a backslash) and that only triple-quoted """...""" strings process escapes; many authors (and
 * generators such as pySigma) assume backslash escapes inside "..." as well. We compute both.
 */

const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\', '"': '"', n: '\n', t: '\t', r: '\r' };

/** Processes \\ \" \n \t \r; any other backslash stays as written (with the character after it). */
export function processEscapes(inner: string): string {
  if (!inner.includes('\\')) return inner;
  let out = '';
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i];
    if (ch === '\\' && i + 1 < inner.length) {
      const replacement = ESCAPES[inner[i + 1]];
      if (replacement !== undefined) {
        out += replacement;
        i++;
        continue;
      }
    }
    out += ch;
  }
  return out;
}

export interface StringReadings {
  xql: string;
  backslash: string;
}

/** Both readings of a literal's inner text (between the quotes). */
export function readStringLiteral(inner: string, tripleQuoted: boolean): StringReadings {
  if (tripleQuoted) {
    const processed = processEscapes(inner);
    return { xql: processed, backslash: processed };
  }
  return { xql: inner, backslash: processEscapes(inner) };
}

export function valueForReading(readings: StringReadings, reading: EscapeReading): string {
  return reading === 'xql' ? readings.xql : readings.backslash;
}

/** How a literal value reads to an analyst: backslash runs are counted, control characters shown. */
export function describeLiteralValue(value: string): string {
  if (value === '') return 'the empty string';
  const visible = value.replace(/\n/g, '\\n (newline)').replace(/\t/g, '\\t (tab)').replace(/\r/g, '\\r (carriage return)');
  if (/^\\+$/.test(value)) {
    const count = value.length;
    return `${value} (${count} backslash${count === 1 ? '' : 'es'}${count === 2 ? ', as in a UNC path' : ''})`;
  }
  return visible;
}

/** One sentence comparing the two readings, for analysts. */
export function literalNoteMessage(source: string, readings: StringReadings, boundariesDiffer: boolean): string {
  const documented = `Under the documented XQL reading ${source} looks for ${describeLiteralValue(readings.xql)}`;
  // With escapes, `\"` does not close the string: the value the escaped reading sees is not this
  // literal's at all, so naming one would mislead.
  if (boundariesDiffer) {
    return `${documented}; with backslash escapes its closing quote is escaped, so the string runs on to a later quote and the rest of the query reads differently.`;
  }
  return `${documented}; with backslash escapes it looks for ${describeLiteralValue(readings.backslash)}.`;
}
