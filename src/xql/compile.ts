import type { Row } from '../engine/value';
import type { Expr, FieldItem, Query, Stage, StringLit } from './ast';
import type { BoundNode } from './bound';
import { bindExpr, explainBound } from './bound';
import type { EvalContext } from './evaluate';
import { compileValue, createEvalContext, fieldsRead } from './evaluate';
import type { Token } from './lexer';
import { tokensText } from './lexer';
import { literalNoteMessage } from './literals';
import type {
  BoundPlan,
  ClauseInfo,
  EscapeReading,
  Explanation,
  ExplainNode,
  LiteralNote,
  PipelineItem,
  Plan,
  StageInfo,
} from './plan';
import { CLAUSE_FAIL, CLAUSE_NOT_EVALUATED, CLAUSE_PASS, CLAUSE_SKIPPED } from './plan';
import { requiredLiterals } from './prefilter';
import { binValue, compItems, dedupItems, sortItems } from './stages';
import type { PredicateFn, ValueFn } from './values';
import { compileGlob, globMatches, hasWildcard, readField } from './values';

/** Fields XQL always returns; `fields` cannot drop them. */
export const SYSTEM_FIELDS: readonly string[] = [
  '_time', '_insert_time', '_raw_log', '_product', '_vendor', '_tag', '_snapshot_id', '_snapshot_log_count',
  '_snapshot_collection_ts', '_id',
];
const SYSTEM_FIELD_SET = new Set(SYSTEM_FIELDS);
const BLOCKING = new Set<Stage['kind']>(['sort', 'dedup', 'comp', 'limit', 'bin']);

/** What compile-time analysis knows about each stage. */
interface StageAnalysis {
  stage: Stage;
  index: number;
  streaming: boolean;
  /** Names created by earlier alter/fields/comp stages (not source columns). */
  createdBefore: ReadonlySet<string>;
  /** For filter stages: the top-level AND operands and their Plan.clauses indices. */
  clauses: { expr: Expr; index: number }[];
  /** For the output-column bookkeeping: was a comp stage earlier? */
  afterComp: boolean;
}

interface Analysis {
  stages: StageAnalysis[];
  sourceFields: string[];
  clauses: ClauseInfo[];
  firstBlocking: number;
}

function topLevelClauses(expr: Expr): Expr[] {
  return expr.kind === 'and' ? expr.operands : [expr];
}

function stageReads(stage: Stage): string[] {
  switch (stage.kind) {
    case 'filter':
      return fieldsRead(stage.expr);
    case 'alter': {
      const reads: string[] = [];
      for (const assignment of stage.assignments) fieldsRead(assignment.expr, reads);
      return reads;
    }
    case 'fields':
      return stage.items.filter((item) => !hasWildcard(item.pattern)).map((item) => item.pattern);
    case 'sort':
      return stage.keys.map((key) => key.field);
    case 'dedup':
      return [...stage.fields, ...(stage.by ? [stage.by.field] : [])];
    case 'comp':
      return [...stage.aggregates.flatMap((aggregate) => (aggregate.field ? [aggregate.field] : [])), ...stage.by];
    case 'bin':
      return [stage.field];
    default:
      return [];
  }
}

function stageCreates(stage: Stage): string[] {
  switch (stage.kind) {
    case 'alter':
      return stage.assignments.map((assignment) => assignment.field);
    case 'fields':
      return stage.items.flatMap((item) => (item.alias ? [item.alias] : []));
    case 'comp':
      return [...stage.by, ...stage.aggregates.map((aggregate) => aggregate.name)];
    default:
      return [];
  }
}

function analyse(query: Query, textOf: (node: { tokenStart: number; tokenEnd: number }) => string): Analysis {
  const created = new Set<string>();
  const sourceFields: string[] = [];
  const clauses: ClauseInfo[] = [];
  const stages: StageAnalysis[] = [];
  let firstBlocking = query.stages.length;
  let afterComp = false;
  query.stages.forEach((stage, index) => {
    if (BLOCKING.has(stage.kind) && firstBlocking === query.stages.length) firstBlocking = index;
    for (const field of stageReads(stage)) if (!created.has(field) && !sourceFields.includes(field)) sourceFields.push(field);
    const analysis: StageAnalysis = {
      stage,
      index,
      streaming: index < firstBlocking,
      createdBefore: new Set(created),
      clauses: [],
      afterComp,
    };
    if (stage.kind === 'filter') {
      for (const expr of topLevelClauses(stage.expr)) {
        const clauseIndex = clauses.length;
        clauses.push({ index: clauseIndex, stage: index, text: textOf(expr), pos: expr.pos, fields: fieldsRead(expr) });
        analysis.clauses.push({ expr, index: clauseIndex });
      }
    }
    for (const field of stageCreates(stage)) created.add(field);
    if (stage.kind === 'comp') afterComp = true;
    stages.push(analysis);
  });
  return { stages, sourceFields, clauses, firstBlocking };
}

function collectStrings(query: Query): StringLit[] {
  const strings: StringLit[] = [];
  const visit = (expr: Expr): void => {
    switch (expr.kind) {
      case 'string':
        strings.push(expr);
        return;
      case 'call':
        expr.args.forEach(visit);
        return;
      case 'and':
      case 'or':
        expr.operands.forEach(visit);
        return;
      case 'not':
        visit(expr.operand);
        return;
      case 'compare':
      case 'contains':
        visit(expr.left);
        visit(expr.right);
        return;
      case 'in':
        visit(expr.left);
        expr.items.forEach(visit);
        return;
      case 'regex':
        visit(expr.left);
        strings.push(expr.pattern);
        return;
      case 'incidr':
        visit(expr.left);
        strings.push(expr.cidrs);
        return;
      default:
        return;
    }
  };
  for (const stage of query.stages) {
    if (stage.kind === 'filter') visit(stage.expr);
    if (stage.kind === 'alter') stage.assignments.forEach((assignment) => visit(assignment.expr));
  }
  return strings.sort((a, b) => a.pos.start - b.pos.start);
}

function literalNotes(query: Query, tokens: readonly Token[]): LiteralNote[] {
  const notes: LiteralNote[] = [];
  const seen = new Set<number>();
  const add = (source: string, pos: LiteralNote['pos'], readings: { xql: string; backslash: string }, boundariesDiffer: boolean): void => {
    if (seen.has(pos.start) || (readings.xql === readings.backslash && !boundariesDiffer)) return;
    seen.add(pos.start);
    notes.push({ source, pos, xql: readings.xql, backslash: readings.backslash, message: literalNoteMessage(source, readings, boundariesDiffer) });
  };
  for (const literal of collectStrings(query)) add(literal.source, literal.pos, literal.readings, literal.boundariesDiffer);
  // Strings outside expressions (config timeframe, bin timezone) are still literals of the query.
  for (const token of tokens) if (token.kind === 'string' && token.readings) add(token.text, token.pos, token.readings, token.boundariesDiffer);
  return notes.sort((a, b) => a.pos.start - b.pos.start);
}

function fieldPatternMatches(pattern: string, name: string): boolean {
  return hasWildcard(pattern) ? globMatches(compileGlob(pattern), name) : pattern === name;
}

function appendUnique(list: string[], names: readonly string[]): void {
  for (const name of names) if (!list.includes(name)) list.push(name);
}

/**
 * Output columns: the last fields/comp stage's names, then (after fields, unless a comp came
 * first) the system fields the file has that the stage did not list, then columns that later
 * alter stages add. `columns` null gives the plan-level, file-independent view.
 */
function outputColumns(analysis: Analysis, columns: ReadonlySet<string> | null): string[] | null {
  let available: string[] | null = columns ? [...columns] : null;
  let listed: string[] | null = null;
  let restricted = false;
  let systemFields: string[] = [];
  let appended: string[] = [];
  for (const { stage, afterComp } of analysis.stages) {
    if (stage.kind === 'alter') {
      const names = stage.assignments.map((assignment) => assignment.field);
      if (available) appendUnique(available, names);
      if (restricted) appendUnique(appended, names);
    } else if (stage.kind === 'comp') {
      restricted = true;
      listed = [...stage.by, ...stage.aggregates.map((aggregate) => aggregate.name)];
      systemFields = [];
      appended = [];
      available = [...listed];
    } else if (stage.kind === 'fields') {
      restricted = true;
      const names = fieldsOutput(stage.items, stage.exclude, available);
      listed = names;
      appended = [];
      systemFields = names !== null && !afterComp && columns ? SYSTEM_FIELDS.filter((field) => columns.has(field) && !names.includes(field)) : [];
      available = names === null ? null : [...names, ...systemFields];
    }
  }
  if (!restricted || listed === null) return null;
  const head = [...listed, ...systemFields];
  return [...head, ...appended.filter((name) => !head.includes(name))];
}

function fieldsOutput(items: readonly FieldItem[], exclude: boolean, available: readonly string[] | null): string[] | null {
  if (exclude) {
    if (available === null) return null;
    return available.filter(
      (name) => !SYSTEM_FIELD_SET.has(name) && !items.some((item) => fieldPatternMatches(item.pattern, name)),
    );
  }
  const out: string[] = [];
  for (const item of items) {
    if (hasWildcard(item.pattern)) {
      if (available === null) appendUnique(out, [item.pattern]);
      else appendUnique(out, available.filter((name) => fieldPatternMatches(item.pattern, name)));
    } else {
      appendUnique(out, [item.alias ?? item.pattern]);
    }
  }
  return out;
}

// ---- runtime operations --------------------------------------------------------------------------------

/** A streaming operation on one row: the (possibly new) row, or null when a filter dropped it. */
type RowOp = (row: Row) => Row | null;

interface BoundFilter {
  kind: 'filter';
  clauses: { node: BoundNode; index: number }[];
  /** Live clause tests, for the fast path. */
  run: PredicateFn;
}

interface BoundRowStage {
  kind: 'row';
  run: RowOp;
}

type BoundStreamingStage = BoundFilter | BoundRowStage;

function alterOp(stage: Extract<Stage, { kind: 'alter' }>, context: EvalContext): RowOp {
  const assignments = stage.assignments.map((assignment) => ({ field: assignment.field, fn: compileValue(assignment.expr, context) }));
  return (row) => {
    const out: Row = { ...row };
    // Later assignments see earlier ones (alter a = ..., b = f(a)).
    for (const { field, fn } of assignments) out[field] = fn(out);
    return out;
  };
}

/**
 * `fields` does not delete columns from rows (the engine projects with outputFields, and triage
 * still needs host/user/time); it adds the aliased copies.
 */
function fieldsOp(stage: Extract<Stage, { kind: 'fields' }>): RowOp | null {
  const aliases = stage.items.filter((item) => item.alias !== null && item.alias !== item.pattern);
  if (aliases.length === 0) return null;
  return (row) => {
    const out: Row = { ...row };
    for (const item of aliases) out[item.alias as string] = readField(row, item.pattern);
    return out;
  };
}

function binOp(stage: Extract<Stage, { kind: 'bin' }>): RowOp {
  return (row) => ({ ...row, [stage.field]: binValue(readField(row, stage.field), stage.span, stage.offsetMs) });
}

function mapItems<T>(items: PipelineItem<T>[], op: RowOp): PipelineItem<T>[] {
  const out: PipelineItem<T>[] = [];
  for (const item of items) {
    const row = op(item.row);
    if (row !== null) out.push(row === item.row ? item : { row, tag: item.tag });
  }
  return out;
}

export interface CompiledQuery {
  text: string;
  tokens: readonly Token[];
  query: Query;
  escapes: EscapeReading;
}

export function buildPlan(compiled: CompiledQuery): Plan {
  const { text, tokens, query, escapes } = compiled;
  const textOf = (node: { tokenStart: number; tokenEnd: number }): string => tokensText(text, tokens, node.tokenStart, node.tokenEnd);
  const analysis = analyse(query, textOf);
  let caseSensitive = false;
  let timeframe: string | null = null;
  let dataset = 'xdr_data';
  for (const stage of query.stages) {
    if (stage.kind === 'config' && stage.caseSensitive !== null) caseSensitive = stage.caseSensitive;
    if (stage.kind === 'config' && stage.timeframe !== null) timeframe = stage.timeframe;
    if (stage.kind === 'dataset') dataset = stage.name;
  }
  const lastSort = [...query.stages].reverse().find((stage) => stage.kind === 'sort');
  const stages: StageInfo[] = query.stages.map((stage) => ({ kind: stage.kind, pos: stage.pos, text: textOf(stage) }));

  const bind = (columns: ReadonlySet<string> | null): BoundPlan => bindPlan(plan, analysis, caseSensitive, columns, textOf);
  const plan: Plan = {
    text,
    escapes,
    dataset,
    caseSensitive,
    timeframe,
    stages,
    sourceFields: analysis.sourceFields,
    outputFields: outputColumns(analysis, null),
    sort: lastSort && lastSort.kind === 'sort' ? lastSort.keys.map((key) => ({ field: key.field, direction: key.direction })) : [],
    clauses: analysis.clauses,
    literalNotes: literalNotes(query, tokens),
    bind: (columns) => bind(columns),
  };
  // Compile every closure once now, with all columns present, so that bad regexes, CIDRs and JSON
  // paths are reported by compileXql (with positions) and bind() itself cannot fail.
  bind(null);
  return plan;
}

function bindPlan(
  plan: Plan,
  analysis: Analysis,
  caseSensitive: boolean,
  columns: ReadonlySet<string> | null,
  textOf: (node: { tokenStart: number; tokenEnd: number }) => string,
): BoundPlan {
  const context = createEvalContext(caseSensitive);
  const hasColumn = (field: string): boolean => columns === null || columns.has(field);
  const skippedClauses: number[] = [];
  const streaming: BoundStreamingStage[] = [];
  const finishing: (<T>(items: PipelineItem<T>[]) => PipelineItem<T>[])[] = [];
  const allFilterClauses: { node: BoundNode; index: number }[] = [];
  let firstFilterClauses: { nodes: BoundNode[]; createdBefore: ReadonlySet<string> } | null = null;

  for (const { stage, streaming: isStreaming, createdBefore, clauses } of analysis.stages) {
    let rowOp: RowOp | null = null;
    if (stage.kind === 'filter') {
      const isMissing = (field: string): boolean => !createdBefore.has(field) && !hasColumn(field);
      const bound = clauses.map(({ expr, index }) => ({ node: bindExpr(expr, context, isMissing, textOf), index }));
      for (const clause of bound) if (clause.node.skipped) skippedClauses.push(clause.index);
      allFilterClauses.push(...bound);
      const live = bound.filter((clause) => !clause.node.skipped).map((clause) => clause.node.test);
      const run: PredicateFn = (row) => {
        for (let i = 0; i < live.length; i++) if (!live[i](row)) return false;
        return true;
      };
      if (firstFilterClauses === null) firstFilterClauses = { nodes: isStreaming ? bound.map((clause) => clause.node) : [], createdBefore };
      if (isStreaming) {
        streaming.push({ kind: 'filter', clauses: bound, run });
        continue;
      }
      rowOp = (row) => (run(row) ? row : null);
    } else if (stage.kind === 'alter') {
      rowOp = alterOp(stage, context);
    } else if (stage.kind === 'fields') {
      rowOp = fieldsOp(stage);
    } else if (stage.kind === 'bin') {
      rowOp = binOp(stage);
    } else if (stage.kind === 'sort') {
      const keys = stage.keys;
      finishing.push((items) => sortItems(items, keys));
    } else if (stage.kind === 'dedup') {
      const { fields, by } = stage;
      finishing.push((items) => dedupItems(items, fields, by));
    } else if (stage.kind === 'comp') {
      const { aggregates, by } = stage;
      finishing.push((items) => compItems(items, aggregates, by));
    } else if (stage.kind === 'limit') {
      const count = stage.count;
      finishing.push((items) => items.slice(0, count));
    }
    if (rowOp !== null) {
      const op = rowOp;
      if (isStreaming) streaming.push({ kind: 'row', run: op });
      else finishing.push((items) => mapItems(items, op));
    }
  }

  const clauseCount = plan.clauses.length;
  const evaluate = (row: Row, clauseOut?: Uint8Array): Row | null => {
    let current = row;
    if (!clauseOut) {
      for (let s = 0; s < streaming.length; s++) {
        const stage = streaming[s];
        if (stage.kind === 'filter') {
          if (!stage.run(current)) return null;
        } else {
          const next = stage.run(current);
          if (next === null) return null;
          current = next;
        }
      }
      return current;
    }
    clauseOut.fill(CLAUSE_NOT_EVALUATED, 0, Math.min(clauseOut.length, clauseCount));
    for (const stage of streaming) {
      if (stage.kind === 'row') {
        const next = stage.run(current);
        if (next === null) return null;
        current = next;
        continue;
      }
      let passed = true;
      for (const { node, index } of stage.clauses) {
        if (node.skipped) {
          clauseOut[index] = CLAUSE_SKIPPED;
        } else if (node.test(current)) {
          clauseOut[index] = CLAUSE_PASS;
        } else {
          clauseOut[index] = CLAUSE_FAIL;
          passed = false;
        }
      }
      if (!passed) return null;
    }
    return current;
  };

  const explain = (row: Row): Explanation => {
    const nodes: ExplainNode[] = new Array<ExplainNode>(clauseCount);
    let current = row;
    // Alter/fields stages run along the way (without dropping the row) so that later filters
    // see the columns they create; filters after a blocking stage are explained on that row too.
    for (const stage of streaming) {
      if (stage.kind === 'row') {
        current = stage.run(current) ?? current;
        continue;
      }
      for (const { node, index } of stage.clauses) nodes[index] = explainBound(node, current, caseSensitive);
    }
    for (const { node, index } of allFilterClauses) if (!nodes[index]) nodes[index] = explainBound(node, current, caseSensitive);
    return { clauses: nodes };
  };

  const finish = <T>(items: PipelineItem<T>[]): PipelineItem<T>[] => {
    let current = items;
    for (const step of finishing) current = step(current);
    return current;
  };

  const prefilter = firstFilterClauses as { nodes: BoundNode[]; createdBefore: ReadonlySet<string> } | null;
  return {
    plan,
    skippedClauses,
    missingFields: plan.sourceFields.filter((field) => !hasColumn(field)),
    outputFields: columns === null ? plan.outputFields : outputColumns(analysis, columns),
    requiredLiterals: prefilter ? requiredLiterals(prefilter.nodes, prefilter.createdBefore, !caseSensitive) : null,
    evaluate,
    explain,
    finish,
  };
}

export type { ValueFn };
