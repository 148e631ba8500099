import { buildPlan } from './compile';
import { XqlCompileError } from './errors';
import { lex } from './lexer';
import { Parser } from './parser';
import type { CompileOptions, CompileResult } from './plan';

export type {
  BoundPlan,
  ClauseInfo,
  CompileOptions,
  CompileResult,
  EscapeReading,
  Explanation,
  ExplainNode,
  LiteralNote,
  MatchSpan,
  PipelineItem,
  Plan,
  SortDirection,
  SourcePos,
  StageInfo,
  XqlError,
} from './plan';
export { CLAUSE_FAIL, CLAUSE_NOT_EVALUATED, CLAUSE_PASS, CLAUSE_SKIPPED } from './plan';
export { SYSTEM_FIELDS } from './compile';

/** Compiles an XQL query into a Plan. Never throws: problems come back as a positioned error. */
export function compileXql(text: string, options?: CompileOptions): CompileResult {
  const escapes = options?.escapes ?? 'xql';
  try {
    const tokens = lex(text, escapes);
    const query = new Parser(tokens, text).parseQuery();
    return { ok: true, plan: buildPlan({ text, tokens, query, escapes }) };
  } catch (error) {
    if (error instanceof XqlCompileError) return { ok: false, error: error.toXqlError() };
    // A bug in the compiler must not take the app down; report it against the query's start.
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: { message: `Internal compiler error: ${message}`, line: 1, column: 1 } };
  }
}
