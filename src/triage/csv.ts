import type { Value } from '../engine/value';
import { csvCell } from '../engine/csv';
import type { TriageBundle } from './bundle';

/**
 * Hits with their decisions as CSV for spreadsheets. Command lines are attacker-written, and a
 * spreadsheet runs a cell that starts with `=`, `+`, `-`, `@` (or a tab / CR before one) as a
 * formula, so such cells get a leading `'` (OWASP "CSV injection"); quoting is RFC 4180.
 */

export { csvCell, neutraliseFormula as neutraliseCell, quoteCell } from '../engine/csv';

/** Display text of a field value; `_time` (epoch ms) as ISO 8601 so spreadsheets show a date. */
export function valueText(field: string, value: Value | undefined): string {
  if (value === null || value === undefined) return '';
  if (field === '_time' && typeof value === 'number' && Number.isFinite(value)) return new Date(value).toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export const DECISION_COLUMNS = ['verdict', 'reason', 'notes', 'analyst', 'decided_at', 'file', 'row'] as const;

/** CRLF line ends (RFC 4180) and a UTF-8 BOM so Excel does not read the file as ANSI. */
export function bundleToCsv(bundle: Pick<TriageBundle, 'hits' | 'decisions'>): string {
  const fields: string[] = [];
  const seen = new Set<string>();
  for (const hit of bundle.hits) {
    for (const f of Object.keys(hit.fields)) {
      if (!seen.has(f)) {
        seen.add(f);
        fields.push(f);
      }
    }
  }
  const lines = [[...fields, ...DECISION_COLUMNS].map(csvCell).join(',')];
  for (const hit of bundle.hits) {
    const d = Object.hasOwn(bundle.decisions, hit.id) ? bundle.decisions[hit.id] : null;
    const cells = [
      ...fields.map((f) => valueText(f, hit.fields[f])),
      d?.verdict ?? 'untriaged',
      d?.reason ?? '',
      d?.notes ?? '',
      d?.analyst ?? '',
      d?.at ?? '',
      hit.source.file,
      String(hit.source.row),
    ];
    lines.push(cells.map(csvCell).join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
