import { parseHunt } from '../hunt';
import type { Hunt, HuntQueryBlock } from '../hunt/types';
import { compileXql } from '../xql';

export interface QueryReport extends HuntQueryBlock {
  ok: boolean;
  /** `line` is the line in the hunt document; `queryLine` the line within the query block. */
  error: { message: string; line: number; column: number; queryLine: number } | null;
  clauses: string[];
  literalNotes: string[];
}

export type HuntReport = Omit<Hunt, 'queries'> & { queries: QueryReport[] };

/** The parsed hunt with every query block compiled; never throws on a strange document. */
export function inspectHunt(markdown: string): HuntReport {
  const hunt = parseHunt(markdown);
  return { ...hunt, queries: hunt.queries.map(compileBlock) };
}

function compileBlock(block: HuntQueryBlock): QueryReport {
  if (!block.supported) {
    const language = block.language || 'unlabelled';
    return {
      ...block,
      ok: false,
      error: { message: `${language} queries are not supported; only xql runs here`, line: block.line, column: 1, queryLine: 1 },
      clauses: [],
      literalNotes: [],
    };
  }
  const compiled = compileXql(block.code);
  if (!compiled.ok) {
    const { message, line, column } = compiled.error;
    return { ...block, ok: false, error: { message, line: block.line + line - 1, column, queryLine: line }, clauses: [], literalNotes: [] };
  }
  return {
    ...block,
    ok: true,
    error: null,
    clauses: compiled.plan.clauses.map((c) => c.text),
    literalNotes: compiled.plan.literalNotes.map((n) => n.message),
  };
}
