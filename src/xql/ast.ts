import type { StringReadings } from './literals';
import type { SortDirection, SourcePos } from './plan';

/** Every node knows where it came from: its source span and its token range [tokenStart, tokenEnd). */
export interface NodeBase {
  pos: SourcePos;
  tokenStart: number;
  tokenEnd: number;
}

export interface FieldRef extends NodeBase {
  kind: 'field';
  /** Lower-cased: field names match case-insensitively. */
  name: string;
}

export interface StringLit extends NodeBase {
  kind: 'string';
  /** The value under the chosen reading. */
  value: string;
  readings: StringReadings;
  /** As written, including quotes. */
  source: string;
  tripleQuoted: boolean;
  boundariesDiffer: boolean;
}

export interface NumberLit extends NodeBase {
  kind: 'number';
  value: number;
}

export interface BoolLit extends NodeBase {
  kind: 'bool';
  value: boolean;
}

export interface NullLit extends NodeBase {
  kind: 'null';
}

/** `ENUM.PROCESS` or a bare all-caps name on the value side of a comparison; canonical name. */
export interface EnumLit extends NodeBase {
  kind: 'enum';
  name: string;
}

export interface Call extends NodeBase {
  kind: 'call';
  /** Lower-cased function name. */
  name: string;
  args: Expr[];
}

export interface Logical extends NodeBase {
  kind: 'and' | 'or';
  operands: Expr[];
}

export interface Not extends NodeBase {
  kind: 'not';
  operand: Expr;
}

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

export interface Compare extends NodeBase {
  kind: 'compare';
  op: CompareOp;
  left: Expr;
  right: Expr;
}

export interface Contains extends NodeBase {
  kind: 'contains';
  negated: boolean;
  left: Expr;
  right: Expr;
}

export interface InList extends NodeBase {
  kind: 'in';
  negated: boolean;
  left: Expr;
  items: Expr[];
}

export interface RegexMatch extends NodeBase {
  kind: 'regex';
  left: Expr;
  pattern: StringLit;
}

export interface InCidr extends NodeBase {
  kind: 'incidr';
  negated: boolean;
  left: Expr;
  cidrs: StringLit;
}

export type Literal = StringLit | NumberLit | BoolLit | NullLit | EnumLit;
export type Predicate = Logical | Not | Compare | Contains | InList | RegexMatch | InCidr;
export type Expr = FieldRef | Literal | Call | Predicate;

export interface ConfigStage extends NodeBase {
  kind: 'config';
  caseSensitive: boolean | null;
  timeframe: string | null;
}

export interface DatasetStage extends NodeBase {
  kind: 'dataset';
  name: string;
}

export interface FilterStage extends NodeBase {
  kind: 'filter';
  expr: Expr;
}

export interface Assignment extends NodeBase {
  field: string;
  expr: Expr;
}

export interface AlterStage extends NodeBase {
  kind: 'alter';
  assignments: Assignment[];
}

export interface FieldItem extends NodeBase {
  /** Lower-cased name; may contain `*` wildcards. */
  pattern: string;
  alias: string | null;
}

export interface FieldsStage extends NodeBase {
  kind: 'fields';
  exclude: boolean;
  items: FieldItem[];
}

export interface SortKey extends NodeBase {
  field: string;
  direction: SortDirection;
}

export interface SortStage extends NodeBase {
  kind: 'sort';
  keys: SortKey[];
}

export interface LimitStage extends NodeBase {
  kind: 'limit';
  count: number;
}

export interface DedupStage extends NodeBase {
  kind: 'dedup';
  fields: string[];
  by: SortKey | null;
}

export type AggregateFunction = 'count' | 'count_distinct' | 'sum' | 'min' | 'max' | 'avg' | 'values';

export interface Aggregate extends NodeBase {
  fn: AggregateFunction;
  /** null for count(). */
  field: string | null;
  /** Output column: the alias or the default name. */
  name: string;
}

export interface CompStage extends NodeBase {
  kind: 'comp';
  aggregates: Aggregate[];
  by: string[];
}

export interface BinStage extends NodeBase {
  kind: 'bin';
  field: string;
  /** Bucket width: milliseconds for durations, plain units for a bare number. */
  span: number;
  /** Offset east of UTC in milliseconds (from `timezone`); buckets start at local midnight etc. */
  offsetMs: number;
}

export type Stage =
  | ConfigStage
  | DatasetStage
  | FilterStage
  | AlterStage
  | FieldsStage
  | SortStage
  | LimitStage
  | DedupStage
  | CompStage
  | BinStage;

export interface Query {
  stages: Stage[];
}
