import type {
  Aggregate,
  AggregateFunction,
  Assignment,
  CompareOp,
  Expr,
  FieldItem,
  NodeBase,
  Query,
  SortKey,
  Stage,
  StringLit,
} from './ast';
import { failAt } from './errors';
import { FUNCTIONS, isKnownFunction } from './functions';
import type { Token } from './lexer';
import { tokensText } from './lexer';
import type { SortDirection, SourcePos } from './plan';
import { canonicalEnumName } from '../engine/enums';

const STAGES = new Set(['config', 'dataset', 'cold_dataset', 'filter', 'alter', 'fields', 'sort', 'limit', 'dedup', 'comp', 'bin']);
/** XQL stages that exist but that this engine cannot run locally. */
const UNSUPPORTED_STAGES = new Set([
  'join', 'union', 'call', 'windowcomp', 'target', 'datamodel', 'preset', 'transaction', 'iploc', 'arrayexpand',
  'view', 'top', 'getrole', 'tag', 'replacenull', 'search', 'window',
]);
const RESERVED = new Set(['and', 'or', 'not', 'in', 'contains', 'incidr', 'incidr6', 'as', 'by']);
const COMPARE_OPS = new Set<string>(['=', '!=', '<', '<=', '>', '>=']);
const AGGREGATES = new Set<string>(['count', 'count_distinct', 'sum', 'min', 'max', 'avg', 'values']);
/** A bare all-caps identifier on the value side of a comparison is an enum name (XQL "Syntax format B"). */
const BARE_ENUM = /^[A-Z][A-Z0-9_]*$/;
const MAX_NESTING = 200;
const SPAN_UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

function describe(token: Token): string {
  if (token.kind === 'eof') return 'the end of the query';
  return `'${token.text.length > 40 ? token.text.slice(0, 40) + '…' : token.text}'`;
}

export class Parser {
  private index = 0;
  private depth = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly text: string,
  ) {}

  parseQuery(): Query {
    const stages: Stage[] = [];
    if (this.peek().kind === 'eof') failAt('The query is empty.', this.peek().pos);
    // Tolerate a leading pipe ("| dataset = xdr_data"), which appears in pasted queries.
    if (this.isOp(this.peek(), '|')) this.index++;
    for (;;) {
      stages.push(this.parseStage());
      const token = this.peek();
      if (token.kind === 'eof') break;
      if (!this.isOp(token, '|')) failAt(`Unexpected ${describe(token)}: expected '|' before the next stage or the end of the query.`, token.pos);
      this.index++;
    }
    return { stages };
  }

  // ---- token helpers -------------------------------------------------------------------------

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)];
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.index++;
    return token;
  }

  private isOp(token: Token, op: string): boolean {
    return token.kind === 'op' && token.text === op;
  }

  private isWord(token: Token, word: string): boolean {
    return token.kind === 'ident' && token.text.toLowerCase() === word;
  }

  private expectOp(op: string, what: string): Token {
    const token = this.peek();
    if (!this.isOp(token, op)) failAt(`Expected '${op}' ${what}, found ${describe(token)}.`, token.pos);
    return this.next();
  }

  private expectWord(word: string, what: string): Token {
    const token = this.peek();
    if (!this.isWord(token, word)) failAt(`Expected '${word}' ${what}, found ${describe(token)}.`, token.pos);
    return this.next();
  }

  /** A field name (lower-cased). */
  private expectField(what: string): string {
    const token = this.peek();
    if (token.kind !== 'ident' || RESERVED.has(token.text.toLowerCase())) {
      failAt(`Expected a field name ${what}, found ${describe(token)}.`, token.pos);
    }
    this.index++;
    return token.text.toLowerCase();
  }

  private nodeFrom(startToken: number): NodeBase {
    const first = this.tokens[startToken];
    const last = this.tokens[Math.max(startToken, this.index - 1)];
    const pos: SourcePos = { line: first.pos.line, column: first.pos.column, start: first.pos.start, end: last.pos.end };
    return { pos, tokenStart: startToken, tokenEnd: Math.max(startToken + 1, this.index) };
  }

  private stageEnded(): boolean {
    const token = this.peek();
    return token.kind === 'eof' || this.isOp(token, '|');
  }

  private optionalDirection(): SortDirection | null {
    const token = this.peek();
    if (this.isWord(token, 'asc') || this.isWord(token, 'desc')) {
      this.index++;
      return token.text.toLowerCase() as SortDirection;
    }
    return null;
  }

  // ---- stages --------------------------------------------------------------------------------

  private parseStage(): Stage {
    const start = this.index;
    const keyword = this.peek();
    const name = keyword.kind === 'ident' ? keyword.text.toLowerCase() : '';
    if (!STAGES.has(name)) {
      if (UNSUPPORTED_STAGES.has(name)) failAt(`The '${name}' stage is not supported by this engine.`, keyword.pos);
      if (keyword.kind === 'ident') failAt(`Unknown stage '${keyword.text}'.`, keyword.pos);
      failAt(`Expected a stage (filter, alter, fields, ...), found ${describe(keyword)}.`, keyword.pos);
    }
    this.index++;
    switch (name) {
      case 'config':
        return this.parseConfig(start);
      case 'dataset':
      case 'cold_dataset': {
        if (this.isWord(this.peek(), 'in')) failAt(`'${name} in (...)' is not supported; name one dataset.`, this.peek().pos);
        this.expectOp('=', `after '${name}'`);
        const dataset = this.peek();
        if (dataset.kind !== 'ident') failAt(`Expected a dataset name, found ${describe(dataset)}.`, dataset.pos);
        this.index++;
        return { kind: 'dataset', name: dataset.text.toLowerCase(), ...this.nodeFrom(start) };
      }
      case 'filter': {
        if (this.stageEnded()) failAt('Expected a condition after filter.', this.peek().pos);
        const expr = this.parseOr();
        return { kind: 'filter', expr, ...this.nodeFrom(start) };
      }
      case 'alter':
        return this.parseAlter(start);
      case 'fields':
        return this.parseFields(start);
      case 'sort': {
        const keys: SortKey[] = [];
        do keys.push(this.parseSortKey(false));
        while (this.isOp(this.peek(), ',') && this.next());
        return { kind: 'sort', keys, ...this.nodeFrom(start) };
      }
      case 'limit': {
        const count = this.peek();
        if (count.kind !== 'number' || count.text.includes('.')) failAt(`Expected a whole number after limit, found ${describe(count)}.`, count.pos);
        this.index++;
        return { kind: 'limit', count: Number(count.text), ...this.nodeFrom(start) };
      }
      case 'dedup': {
        const fields: string[] = [];
        do fields.push(this.expectField('to dedup on'));
        while (this.isOp(this.peek(), ',') && this.next());
        let by: SortKey | null = null;
        if (this.isWord(this.peek(), 'by')) {
          this.index++;
          by = this.parseSortKey(true);
        }
        return { kind: 'dedup', fields, by, ...this.nodeFrom(start) };
      }
      case 'comp':
        return this.parseComp(start);
      default:
        return this.parseBin(start);
    }
  }

  private parseConfig(start: number): Stage {
    const setting = this.peek();
    if (this.isWord(setting, 'case_sensitive')) {
      this.index++;
      this.expectOp('=', 'after case_sensitive');
      const value = this.peek();
      if (!this.isWord(value, 'true') && !this.isWord(value, 'false')) failAt(`Expected true or false, found ${describe(value)}.`, value.pos);
      this.index++;
      return { kind: 'config', caseSensitive: value.text.toLowerCase() === 'true', timeframe: null, ...this.nodeFrom(start) };
    }
    if (this.isWord(setting, 'timeframe')) {
      this.index++;
      if (this.isOp(this.peek(), '=')) this.index++;
      const from = this.index;
      while (!this.stageEnded()) this.index++;
      if (from === this.index) failAt('Expected a timeframe after config timeframe.', this.peek().pos);
      const timeframe = tokensText(this.text, this.tokens, from, this.index);
      return { kind: 'config', caseSensitive: null, timeframe, ...this.nodeFrom(start) };
    }
    failAt(`Unsupported config setting ${describe(setting)}: only case_sensitive and timeframe are supported.`, setting.pos);
  }

  private parseAlter(start: number): Stage {
    const assignments: Assignment[] = [];
    do {
      const itemStart = this.index;
      const field = this.expectField('to alter');
      this.expectOp('=', `after '${field}' in alter`);
      const expr = this.parseOr();
      assignments.push({ field, expr, ...this.nodeFrom(itemStart) });
    } while (this.isOp(this.peek(), ',') && this.next());
    return { kind: 'alter', assignments, ...this.nodeFrom(start) };
  }

  private parseFields(start: number): Stage {
    const exclude = this.isOp(this.peek(), '-');
    if (exclude) this.index++;
    const items: FieldItem[] = [];
    do {
      const itemStart = this.index;
      if (this.isOp(this.peek(), '-')) {
        if (!exclude) failAt("'-' excludes fields only when the list starts with it (fields - a, b).", this.peek().pos);
        this.index++;
      }
      const pattern = this.parseFieldPattern();
      let alias: string | null = null;
      if (this.isWord(this.peek(), 'as')) {
        if (exclude) failAt('Excluded fields cannot have an alias.', this.peek().pos);
        this.index++;
        alias = this.expectField("after 'as'");
      }
      items.push({ pattern, alias, ...this.nodeFrom(itemStart) });
    } while (this.isOp(this.peek(), ',') && this.next());
    return { kind: 'fields', exclude, items, ...this.nodeFrom(start) };
  }

  /** A field name, possibly with `*` wildcards written without spaces: action_*, *_name, *. */
  private parseFieldPattern(): string {
    const first = this.peek();
    const isPart = (token: Token): boolean =>
      this.isOp(token, '*') || (token.kind === 'ident' && !RESERVED.has(token.text.toLowerCase()));
    if (!isPart(first)) failAt(`Expected a field name, found ${describe(first)}.`, first.pos);
    let pattern = '';
    let previous: Token | null = null;
    while (isPart(this.peek()) && (previous === null || this.peek().pos.start === previous.pos.end)) {
      previous = this.next();
      pattern += previous.text.toLowerCase();
    }
    return pattern;
  }

  private parseSortKey(isDedupBy: boolean): SortKey {
    const start = this.index;
    const before = this.optionalDirection();
    const field = this.expectField(isDedupBy ? "after 'by'" : 'to sort by');
    const after = this.optionalDirection();
    if (before && after) failAt('Give the sort direction once, before or after the field.', this.tokens[this.index - 1].pos);
    return { field, direction: before ?? after ?? 'asc', ...this.nodeFrom(start) };
  }

  private parseComp(start: number): Stage {
    const aggregates: Aggregate[] = [];
    do {
      const itemStart = this.index;
      const fnToken = this.peek();
      const fn = fnToken.kind === 'ident' ? fnToken.text.toLowerCase() : '';
      if (!AGGREGATES.has(fn)) {
        if (fnToken.kind === 'ident') failAt(`Unsupported aggregate function '${fnToken.text}' (supported: count, count_distinct, sum, min, max, avg, values).`, fnToken.pos);
        failAt(`Expected an aggregate function such as count(), found ${describe(fnToken)}.`, fnToken.pos);
      }
      this.index++;
      this.expectOp('(', `after '${fn}'`);
      let field: string | null = null;
      if (!this.isOp(this.peek(), ')')) field = this.expectField(`inside ${fn}()`);
      this.expectOp(')', `to close ${fn}(`);
      if (field === null && fn !== 'count') failAt(`${fn}() needs a field.`, fnToken.pos);
      let name = field === null ? 'count' : `${fn}_${field}`;
      if (this.isWord(this.peek(), 'as')) {
        this.index++;
        name = this.expectField("after 'as'");
      }
      aggregates.push({ fn: fn as AggregateFunction, field, name, ...this.nodeFrom(itemStart) });
    } while (this.isOp(this.peek(), ',') && this.next());
    const by: string[] = [];
    if (this.isWord(this.peek(), 'by')) {
      this.index++;
      do by.push(this.expectField("after 'by'"));
      while (this.isOp(this.peek(), ',') && this.next());
    }
    if (this.isWord(this.peek(), 'addrawdata')) failAt("comp's addrawdata option is not supported.", this.peek().pos);
    return { kind: 'comp', aggregates, by, ...this.nodeFrom(start) };
  }

  private parseBin(start: number): Stage {
    const field = this.expectField('to bin');
    const option = this.peek();
    if (this.isWord(option, 'bins')) failAt("bin's bins option is not supported; use span.", option.pos);
    this.expectWord('span', 'after the bin field');
    this.expectOp('=', "after 'span'");
    const amount = this.peek();
    if (amount.kind !== 'number') failAt(`Expected a span such as 1h, 10m or 1d, found ${describe(amount)}.`, amount.pos);
    this.index++;
    let span = Number(amount.text);
    const unit = this.peek();
    if (unit.kind === 'ident' && unit.pos.start === amount.pos.end) {
      const factor = SPAN_UNIT_MS[unit.text];
      if (factor === undefined) failAt(`Unknown span unit '${unit.text}' (use ms, s, m, h, d or w).`, unit.pos);
      span *= factor;
      this.index++;
    }
    if (!(span > 0)) failAt('The bin span must be greater than zero.', amount.pos);
    let offsetMs = 0;
    if (this.isWord(this.peek(), 'timezone')) {
      this.index++;
      if (this.isOp(this.peek(), '=')) this.index++;
      const zone = this.peek();
      if (zone.kind !== 'string' && zone.kind !== 'ident') failAt(`Expected a timezone such as "+02:00", found ${describe(zone)}.`, zone.pos);
      this.index++;
      const offset = parseZoneOffset(zone.value);
      if (offset === null) failAt(`Unsupported timezone ${describe(zone)}: use UTC or a fixed offset such as "+02:00".`, zone.pos);
      offsetMs = offset;
    }
    if (this.isWord(this.peek(), 'timeshift')) failAt("bin's timeshift option is not supported.", this.peek().pos);
    return { kind: 'bin', field, span, offsetMs, ...this.nodeFrom(start) };
  }

  // ---- expressions ---------------------------------------------------------------------------

  private enter(token: Token): void {
    if (++this.depth > MAX_NESTING) failAt('The expression is nested too deeply.', token.pos);
  }

  parseOr(): Expr {
    const start = this.index;
    this.enter(this.peek());
    const operands = [this.parseAnd()];
    while (this.isWord(this.peek(), 'or')) {
      this.index++;
      operands.push(this.parseAnd());
    }
    this.depth--;
    return operands.length === 1 ? operands[0] : { kind: 'or', operands, ...this.nodeFrom(start) };
  }

  private parseAnd(): Expr {
    const start = this.index;
    const operands = [this.parseNot()];
    while (this.isWord(this.peek(), 'and')) {
      this.index++;
      operands.push(this.parseNot());
    }
    return operands.length === 1 ? operands[0] : { kind: 'and', operands, ...this.nodeFrom(start) };
  }

  private parseNot(): Expr {
    const start = this.index;
    if (this.isWord(this.peek(), 'not')) {
      this.enter(this.peek());
      this.index++;
      const operand = this.parseNot();
      this.depth--;
      return { kind: 'not', operand, ...this.nodeFrom(start) };
    }
    return this.parsePredicate();
  }

  private parsePredicate(): Expr {
    const start = this.index;
    const left = this.parseOperand();
    const token = this.peek();
    if (token.kind === 'op' && COMPARE_OPS.has(token.text)) {
      this.index++;
      const right = this.parseValueOperand();
      return { kind: 'compare', op: token.text as CompareOp, left, right, ...this.nodeFrom(start) };
    }
    if (this.isOp(token, '~=')) {
      this.index++;
      const pattern = this.expectStringLiteral('after ~= (the regular expression)');
      return { kind: 'regex', left, pattern, ...this.nodeFrom(start) };
    }
    let negated = false;
    let operator = token;
    if (this.isWord(token, 'not')) {
      const after = this.peek(1);
      if (this.isWord(after, 'contains') || this.isWord(after, 'in') || this.isWord(after, 'incidr') || this.isWord(after, 'incidr6')) {
        negated = true;
        operator = after;
        this.index++;
      } else {
        return left;
      }
    }
    if (this.isWord(operator, 'contains')) {
      this.index++;
      const right = this.parseValueOperand();
      return { kind: 'contains', negated, left, right, ...this.nodeFrom(start) };
    }
    if (this.isWord(operator, 'in')) {
      this.index++;
      const open = this.expectOp('(', "after 'in'");
      const items: Expr[] = [];
      if (this.isOp(this.peek(), ')')) failAt("The 'in' list is empty.", this.peek().pos);
      do items.push(this.parseValueOperand());
      while (this.isOp(this.peek(), ',') && this.next());
      this.closeParen(open);
      return { kind: 'in', negated, left, items, ...this.nodeFrom(start) };
    }
    if (this.isWord(operator, 'incidr')) {
      this.index++;
      const cidrs = this.expectStringLiteral('after incidr (for example "10.0.0.0/8, 192.168.0.0/16")');
      return { kind: 'incidr', negated, left, cidrs, ...this.nodeFrom(start) };
    }
    if (this.isWord(operator, 'incidr6')) failAt('incidr6 (IPv6) is not supported.', operator.pos);
    return left;
  }

  private closeParen(open: Token): void {
    const token = this.peek();
    if (this.isOp(token, ')')) {
      this.index++;
      return;
    }
    if (token.kind === 'eof' || this.isOp(token, '|')) failAt("Unbalanced parentheses: this '(' is never closed.", open.pos);
    failAt(`Expected ')' or an operator, found ${describe(token)}.`, token.pos);
  }

  private expectStringLiteral(what: string): StringLit {
    const token = this.peek();
    if (token.kind !== 'string') failAt(`Expected a string literal ${what}, found ${describe(token)}.`, token.pos);
    return this.stringLiteral();
  }

  private stringLiteral(): StringLit {
    const start = this.index;
    const token = this.next();
    return {
      kind: 'string',
      value: token.value,
      readings: token.readings ?? { xql: token.value, backslash: token.value },
      source: token.text,
      tripleQuoted: token.tripleQuoted,
      boundariesDiffer: token.boundariesDiffer,
      ...this.nodeFrom(start),
    };
  }

  /** The value side of a comparison: like an operand, but a bare all-caps name is an enum. */
  private parseValueOperand(): Expr {
    const token = this.peek();
    if (
      token.kind === 'ident' &&
      BARE_ENUM.test(token.text) &&
      !['NULL', 'TRUE', 'FALSE'].includes(token.text) &&
      !RESERVED.has(token.text.toLowerCase()) &&
      !this.isOp(this.peek(1), '(')
    ) {
      const start = this.index++;
      return { kind: 'enum', name: token.text, ...this.nodeFrom(start) };
    }
    return this.parseOperand();
  }

  private parseOperand(): Expr {
    const start = this.index;
    const token = this.peek();
    if (this.isOp(token, '(')) {
      this.enter(token);
      this.index++;
      if (this.isOp(this.peek(), ')')) failAt('Empty parentheses.', this.peek().pos);
      const inner = this.parseOr();
      this.closeParen(token);
      this.depth--;
      return inner;
    }
    if (token.kind === 'string') return this.stringLiteral();
    if (token.kind === 'number') {
      this.index++;
      return { kind: 'number', value: Number(token.text), ...this.nodeFrom(start) };
    }
    if (this.isOp(token, '-') && this.peek(1).kind === 'number' && this.peek(1).pos.start === token.pos.end) {
      this.index += 2;
      return { kind: 'number', value: -Number(this.peek(-1).text), ...this.nodeFrom(start) };
    }
    if (token.kind === 'ident') {
      const lower = token.text.toLowerCase();
      if (lower === 'null') {
        this.index++;
        return { kind: 'null', ...this.nodeFrom(start) };
      }
      if (lower === 'true' || lower === 'false') {
        this.index++;
        return { kind: 'bool', value: lower === 'true', ...this.nodeFrom(start) };
      }
      if (lower.startsWith('enum.')) {
        this.index++;
        return { kind: 'enum', name: canonicalEnumName(token.text), ...this.nodeFrom(start) };
      }
      if (this.isOp(this.peek(1), '(')) return this.parseCall();
      if (RESERVED.has(lower)) failAt(`Expected a field or value, found ${describe(token)}.`, token.pos);
      this.index++;
      return { kind: 'field', name: lower, ...this.nodeFrom(start) };
    }
    failAt(`Expected a field or value, found ${describe(token)}.`, token.pos);
  }

  private parseCall(): Expr {
    const start = this.index;
    const nameToken = this.next();
    const name = nameToken.text.toLowerCase();
    if (!isKnownFunction(name)) failAt(`Unknown or unsupported function '${nameToken.text}'.`, nameToken.pos);
    const open = this.next();
    this.enter(open);
    const args: Expr[] = [];
    if (!this.isOp(this.peek(), ')')) {
      do args.push(this.parseOr());
      while (this.isOp(this.peek(), ',') && this.next());
    }
    this.closeParen(open);
    this.depth--;
    const spec = FUNCTIONS[name];
    if (args.length < spec.minArgs || args.length > spec.maxArgs) {
      const expected =
        spec.minArgs === spec.maxArgs
          ? `${spec.minArgs}`
          : spec.maxArgs === Number.POSITIVE_INFINITY
            ? `at least ${spec.minArgs}`
            : `${spec.minArgs} to ${spec.maxArgs}`;
      failAt(`${name}() takes ${expected} argument${expected === '1' ? '' : 's'}, got ${args.length}.`, nameToken.pos);
    }
    for (const literalIndex of spec.literalArgs) {
      const arg = args[literalIndex];
      if (arg && arg.kind !== 'string') failAt(`Argument ${literalIndex + 1} of ${name}() must be a string literal.`, arg.pos);
    }
    return { kind: 'call', name, args, ...this.nodeFrom(start) };
  }
}

/** Minutes-exact offset east of UTC in ms for "UTC", "Z", "+02:00", "-0530"; null otherwise. */
export function parseZoneOffset(zone: string): number | null {
  const text = zone.trim();
  if (/^(utc|gmt|z)$/i.test(text)) return 0;
  const match = /^(?:utc|gmt)?([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(text);
  if (!match) return null;
  const hours = Number(match[2]);
  const minutes = Number(match[3] ?? 0);
  if (hours > 14 || minutes > 59) return null;
  return (match[1] === '-' ? -1 : 1) * (hours * 60 + minutes) * 60_000;
}
