import type { Writable } from 'node:stream';
import type { RunResult } from '../engine/types';
import type { Hunt } from '../hunt/types';
import { cellText, hitRecord, outputValue } from '../engine/hit-output';
import { csvRow } from '../engine/csv';

export type OutputFormat = 'table' | 'ndjson' | 'csv' | 'json';

const TABLE_CELL_MAX = 80;

/** Writes the hits (or aggregate rows) in the query's final order. */
export async function writeHits(out: Writable, result: RunResult, hunt: Hunt, format: OutputFormat): Promise<void> {
  const write = (text: string): Promise<void> =>
    new Promise((resolveWrite) => {
      if (out.write(text)) resolveWrite();
      else out.once('drain', () => resolveWrite());
    });
  const fields = outputColumns(result);
  const rows: Record<string, unknown>[] = result.aggregate
    ? result.aggregate.rows.map((row) => Object.fromEntries(fields.map((f) => [f, outputValue(f, row[f])])))
    : result.hits.map(hitRecord);

  switch (format) {
    case 'ndjson':
      for (const row of rows) await write(`${JSON.stringify(row)}\n`);
      return;
    case 'json':
      await write(
        `${JSON.stringify({ hunt: { title: hunt.title, id: hunt.id }, fields, stats: result.stats, hits: rows }, null, 2)}\n`,
      );
      return;
    case 'csv': {
      const withSource = !result.aggregate;
      await write(csvRow(withSource ? [...fields, '_file', '_row'] : fields));
      if (result.aggregate) {
        for (const row of result.aggregate.rows) await write(csvRow(fields.map((f) => cellText(f, row[f]))));
      } else {
        for (const hit of result.hits) {
          await write(csvRow([...fields.map((f) => cellText(f, hit.fields[f])), hit.source.file, String(hit.source.row)]));
        }
      }
      return;
    }
    case 'table': {
      const table = result.aggregate
        ? result.aggregate.rows.map((row) => fields.map((f) => cellText(f, row[f])))
        : result.hits.map((hit) => fields.map((f) => cellText(f, hit.fields[f])));
      await write(renderTable(fields, table));
      return;
    }
  }
}

function outputColumns(result: RunResult): string[] {
  if (result.aggregate) return result.aggregate.fields;
  const first = result.hits[0];
  return first ? Object.keys(first.fields) : [];
}

/**
 * Characters a terminal interprets or that reorder/hide text: C0/C1 controls and DEL (ANSI escapes),
 * zero-width and bidi formatting characters (U+061C, U+180E, U+200B-U+200F, U+202A-U+202E,
 * U+2060-U+206F, U+FEFF), line/paragraph separators, interlinear annotations, lone surrogates.
 */
const UNSAFE_FOR_TERMINAL =
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must not reach a terminal
  /[\u0000-\u001f\u007f-\u009f\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Attacker-written text made safe for a terminal: every unsafe character shown as `\uXXXX`. */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE_FOR_TERMINAL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Plain text table; control characters shown as escapes so a terminal never interprets them. */
export function renderTable(header: string[], rows: string[][]): string {
  const clean = (text: string): string => {
    const visible = terminalSafe(text);
    return visible.length > TABLE_CELL_MAX ? `${visible.slice(0, TABLE_CELL_MAX - 1)}…` : visible;
  };
  const cells = [header, ...rows].map((row) => row.map(clean));
  const widths = header.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]): string => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  const lines = [line(cells[0] ?? []), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)];
  if (rows.length === 0) lines.push('(no hits)');
  return `${lines.join('\n')}\n`;
}
