import type { Row } from '../engine/value';

/**
 * The contract between the XQL compiler (src/xql) and the streaming engine (src/engine).
 * `compileXql(text, options)` in src/xql/index.ts returns a CompileResult.
 */

/** `xql`: Palo Alto's documented reading ("..." is literal, """...""" processes escapes).
 *  `backslash`: backslash escapes are also processed inside "..." (what many authors assume). */
export type EscapeReading = 'xql' | 'backslash';

export interface SourcePos {
  /** 1-based, relative to the query text. */
  line: number;
  column: number;
  /** 0-based character offsets into the query text: [start, end). */
  start: number;
  end: number;
}

export interface XqlError {
  message: string;
  line: number;
  column: number;
}

export interface CompileOptions {
  escapes?: EscapeReading;
}

export type CompileResult = { ok: true; plan: Plan } | { ok: false; error: XqlError };

/** A string literal whose meaning differs between the two readings. */
export interface LiteralNote {
  /** The literal as written, including quotes. */
  source: string;
  pos: SourcePos;
  xql: string;
  backslash: string;
  /** One sentence for the analyst, e.g. 'Under the documented XQL reading "\\\\" looks for four backslashes; with backslash escapes it looks for \\ (a UNC path).' */
  message: string;
}

/** A top-level AND operand of a `filter` stage; the unit of the funnel and of near misses. */
export interface ClauseInfo {
  /** Index into Plan.clauses (all filter stages, in order). */
  index: number;
  /** Index of the stage in the pipeline. */
  stage: number;
  /** Source text of the clause, whitespace-collapsed. */
  text: string;
  pos: SourcePos;
  /** Fields the clause reads. */
  fields: string[];
}

/** Where a literal matched inside a field value: [start, end) in UTF-16 code units of the value. */
export interface MatchSpan {
  field: string;
  start: number;
  end: number;
  /** The literal as interpreted (after the reading's escape processing). */
  literal: string;
}

export interface ExplainNode {
  /** Source text of this sub-expression, whitespace-collapsed. */
  text: string;
  pos: SourcePos;
  passed: boolean;
  /** Pruned because the export lacks a column it reads. */
  skipped: boolean;
  /** Spans for comparisons that held (contains / = / in / ~= on strings). */
  matches: MatchSpan[];
  children: ExplainNode[];
}

export interface Explanation {
  /** One per Plan.clauses entry, same order. */
  clauses: ExplainNode[];
}

export type SortDirection = 'asc' | 'desc';

export interface StageInfo {
  kind: 'config' | 'dataset' | 'filter' | 'alter' | 'fields' | 'sort' | 'limit' | 'dedup' | 'comp' | 'bin';
  pos: SourcePos;
  text: string;
}

export interface Plan {
  text: string;
  escapes: EscapeReading;
  dataset: string;
  caseSensitive: boolean;
  /** `config timeframe ...` as written, or null; reported, not applied. */
  timeframe: string | null;
  stages: StageInfo[];
  /** Fields read from the source (not created by alter/fields/comp), lower-cased. */
  sourceFields: string[];
  /** Output columns in order after the last fields/comp stage (aliases applied); null when all columns pass. */
  outputFields: string[] | null;
  /** The last sort stage's keys, in order. */
  sort: { field: string; direction: SortDirection }[];
  clauses: ClauseInfo[];
  literalNotes: LiteralNote[];
  /** Bind to the canonical columns one file provides. */
  bind(columns: ReadonlySet<string>): BoundPlan;
}

/** Per-clause outcome codes written by BoundPlan.evaluate. */
export const CLAUSE_PASS = 1;
export const CLAUSE_FAIL = 0;
export const CLAUSE_NOT_EVALUATED = 2;
export const CLAUSE_SKIPPED = 3;

export interface PipelineItem<T = unknown> {
  row: Row;
  /** Carried through sort/dedup/limit untouched; undefined on rows made by comp. */
  tag: T | undefined;
}

export interface BoundPlan {
  plan: Plan;
  /** Clauses pruned because a column they read is missing from the export (index into plan.clauses). */
  skippedClauses: number[];
  /** Source fields the query reads that the export lacks. */
  missingFields: string[];
  /**
   * Output columns for this file: the last `fields` stage's names in order (aliases applied),
   * then the system fields XQL always keeps (_time, _insert_time, _raw_log, _product, _vendor,
   * _tag, _snapshot_id, _snapshot_log_count, _snapshot_collection_ts, _id) that the file has and
   * the stage did not list. null when no fields/comp stage restricts the columns.
   */
  outputFields: string[] | null;
  /**
   * Prefilter for raw record text: every row that can pass the streaming filters contains, for
   * each inner array, at least one of its strings somewhere in its raw text (lower-cased when
   * the query is case-insensitive; then compare against lower-cased text). Derived only from
   * top-level AND clauses of the first filter stage that are ORs of `contains`/`=`/`in` on string
   * literals against non-enum source fields, and only from wildcard-free pieces made of "safe"
   * characters (printable ASCII except " \ / & < > ' % + *), since CSV, JSON and XML encode the
   * others. Skipped clauses contribute nothing. null when no guarantee can be derived.
   */
  requiredLiterals: string[][] | null;
  /**
   * Run the streaming stages (everything before the first sort/dedup/comp/limit/bin) on one row.
   * Returns the row after those stages (may be the same object when nothing altered it) or null
   * when a filter dropped it. When `clauseOut` is given (length plan.clauses.length) every clause
   * of every reached filter stage is evaluated (no short-circuit) and its outcome code written.
   */
  evaluate(row: Row, clauseOut?: Uint8Array): Row | null;
  /** Explain the streaming filter clauses for a source row (before any stage ran). */
  explain(row: Row): Explanation;
  /** Run the blocking stages (sort, dedup, comp, limit, bin, and everything after the first of them). */
  finish<T>(items: PipelineItem<T>[]): PipelineItem<T>[];
}
