/**
 * Hits as columns across the worker boundary, and the UI's append-only store of them.
 *
 * Why columns: cloning a Hit object per hit (with its explanation and raw record) cost the UI
 * thread seconds at 100,000 hits. A batch here is a handful of arrays: strings that repeat (hosts,
 * users, images) go as a dictionary plus transferred Uint32 codes, source positions as transferred
 * Uint32Arrays, and no explanation or raw record at all (the detail pane asks for one hit's).
 * The store keeps those columns and hands out one small object per hit whose getters read them,
 * so a million hits cost a million small objects, not a million copies of every field.
 *
 * Pure and thread-portable: encodeHits runs in the worker, HitStore in the UI, both in unit tests.
 */
import type { Hit, HitSource } from '../engine/types';
import type { Row, Value } from '../engine/value';
import type { EncodedColumn, HitBatch } from './protocol';

/** What the table, charts' filters and triage read of a hit. */
export type TableHit = Pick<Hit, 'key' | 'eventId' | 'fields' | 'row' | 'source'>;

/**
 * Canonical row fields the UI reads beside the projected ones: the detail header (host, user,
 * image, time), triage's host and command line. Anything else comes with the detail response.
 */
export const UI_ROW_FIELDS = [
  '_time',
  'agent_hostname',
  'actor_effective_username',
  'action_process_image_name',
  'action_process_image_path',
  'action_process_image_command_line',
  'event_id',
] as const;

/** A column goes as a dictionary when at most this share of its values is distinct. */
const DICT_SHARE = 0.5;

/** Source file names of a run, numbered in first-seen order (stable across batches). */
export class FileTable {
  readonly names: string[] = [];
  private readonly ids = new Map<string, number>();
  id(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(name, id);
      this.names.push(name);
    }
    return id;
  }
}

function encodeColumn(values: Value[]): EncodedColumn {
  const n = values.length;
  if (n < 8) return { kind: 'values', values };
  const limit = Math.max(1, Math.floor(n * DICT_SHARE));
  const seen = new Map<Value, number>();
  const dict: Value[] = [];
  const codes = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    // Only primitives compare by value in a Map; arrays/objects make the column plain.
    if (v !== null && typeof v === 'object') return { kind: 'values', values };
    let code = seen.get(v);
    if (code === undefined) {
      if (dict.length >= limit) return { kind: 'values', values };
      code = dict.length;
      seen.set(v, code);
      dict.push(v);
    }
    codes[i] = code;
  }
  return { kind: 'dict', dict, codes };
}

/**
 * One batch of hits as columns plus the buffers to transfer. `fieldNames` are the query's output
 * fields when it has a `fields` stage; otherwise each hit's fields are its whole row and the
 * names are their union in first-seen order.
 */
export function encodeHits(hits: readonly Hit[], files: FileTable, outputFields: readonly string[] | null): { batch: HitBatch; transfer: ArrayBuffer[] } {
  const n = hits.length;
  let fieldNames: string[];
  if (outputFields) fieldNames = outputFields.slice();
  else {
    const names = new Set<string>();
    for (const h of hits) for (const k of Object.keys(h.fields)) names.add(k);
    fieldNames = [...names];
  }
  const asField = new Set(fieldNames);
  const rowNames = UI_ROW_FIELDS.filter((f) => !asField.has(f));
  const keys = new Array<string>(n);
  const eventIds = new Array<string>(n);
  const fileIds = new Uint32Array(n);
  const rows = new Uint32Array(n);
  const lines = new Uint32Array(n);
  const raw: Value[][] = [...fieldNames, ...rowNames].map(() => new Array<Value>(n));
  for (let i = 0; i < n; i++) {
    const h = hits[i];
    keys[i] = h.key;
    eventIds[i] = h.eventId;
    fileIds[i] = files.id(h.source.file);
    rows[i] = h.source.row;
    lines[i] = h.source.line;
    for (let c = 0; c < fieldNames.length; c++) raw[c][i] = h.fields[fieldNames[c]] ?? null;
    for (let c = 0; c < rowNames.length; c++) raw[fieldNames.length + c][i] = h.row[rowNames[c]] ?? null;
  }
  const columns = raw.map(encodeColumn);
  const transfer: ArrayBuffer[] = [fileIds.buffer, rows.buffer, lines.buffer];
  for (const c of columns) if (c.kind === 'dict') transfer.push(c.codes.buffer as ArrayBuffer);
  return {
    batch: { count: n, keys, eventIds, files: files.names.slice(), fileIds, rows, lines, fieldNames, rowNames, columns },
    transfer,
  };
}

/** A Uint32Array that grows by doubling. */
class U32Vec {
  data = new Uint32Array(1024);
  length = 0;
  pushAll(src: Uint32Array): void {
    if (this.length + src.length > this.data.length) {
      let cap = this.data.length;
      while (cap < this.length + src.length) cap *= 2;
      const next = new Uint32Array(cap);
      next.set(this.data.subarray(0, this.length));
      this.data = next;
    }
    this.data.set(src, this.length);
    this.length += src.length;
  }
}

/** Where a row view keeps its store index (a symbol, so Object.keys and JSON do not see it). */
const AT = Symbol('hit index');
interface RowView {
  [AT]: number;
}

/**
 * One hit of a store. Its getters build small objects from the columns on each read; the table
 * reads a screenful at a time, so that is cheaper than keeping a million of them built.
 */
class StoredHit implements TableHit {
  constructor(
    readonly store: HitStore,
    readonly index: number,
  ) {}
  get key(): string {
    return this.store.keys[this.index];
  }
  get eventId(): string {
    return this.store.eventIds[this.index];
  }
  get source(): HitSource {
    return this.store.sourceOf(this.index);
  }
  get fields(): Record<string, Value> {
    return this.store.fieldsOf(this.index);
  }
  /**
   * A view whose fields are getters on a shared prototype: reading `row.agent_hostname` of every
   * hit (triage groups by host) allocates one tiny object per hit, not a copy of the row. Its
   * fields are not own properties, so spread or Object.keys see none; use HitStore.rowOf for that.
   */
  get row(): Row {
    // Kept once made: triage reads every hit's host on each render.
    if (!this.rowView) {
      const view = Object.create(this.store.rowProto) as RowView;
      view[AT] = this.index;
      this.rowView = view as unknown as Row;
    }
    return this.rowView;
  }
  private rowView: Row | undefined;
}

/** The UI's hits of one run, in arrival order; views and the final order are index lists into it. */
export class HitStore {
  readonly keys: string[] = [];
  readonly eventIds: string[] = [];
  readonly hits: TableHit[] = [];
  private files: string[] = [];
  private readonly fileIds = new U32Vec();
  private readonly rows = new U32Vec();
  private readonly lines = new U32Vec();
  /** Field names in first-seen order (the projection order). */
  readonly fieldNames: string[] = [];
  private readonly fieldSet = new Set<string>();
  private readonly columns = new Map<string, Value[]>();
  /** Prototype of row views: one getter per column, added as columns appear. */
  readonly rowProto: object = Object.create(null) as object;
  private keyIndex: Map<string, number> | null = null;
  /** Command-line spans by store index, filled as the table asks for the rows on screen. */
  readonly spans = new Map<number, Uint32Array>();

  get count(): number {
    return this.keys.length;
  }

  append(batch: HitBatch): void {
    const start = this.count;
    this.files = batch.files;
    const names = [...batch.fieldNames, ...batch.rowNames];
    for (const f of batch.fieldNames) {
      if (!this.fieldSet.has(f)) {
        this.fieldSet.add(f);
        this.fieldNames.push(f);
      }
    }
    for (let c = 0; c < names.length; c++) {
      let col = this.columns.get(names[c]);
      if (!col) {
        // Earlier hits had no such column: they read as null.
        col = new Array<Value>(start).fill(null);
        this.columns.set(names[c], col);
        const values = col;
        Object.defineProperty(this.rowProto, names[c], {
          enumerable: true,
          get(this: RowView) {
            return values[this[AT]] ?? null;
          },
        });
      }
      const enc = batch.columns[c];
      if (enc.kind === 'values') for (const v of enc.values) col.push(v);
      else for (let i = 0; i < enc.codes.length; i++) col.push(enc.dict[enc.codes[i]]);
    }
    // Columns this batch lacks stay aligned.
    for (const col of this.columns.values()) while (col.length < start + batch.count) col.push(null);
    this.fileIds.pushAll(batch.fileIds);
    this.rows.pushAll(batch.rows);
    this.lines.pushAll(batch.lines);
    for (let i = 0; i < batch.count; i++) {
      this.keys.push(batch.keys[i]);
      this.eventIds.push(batch.eventIds[i]);
      this.hits.push(new StoredHit(this, start + i));
    }
    if (this.keyIndex) for (let i = 0; i < batch.count; i++) this.keyIndex.set(batch.keys[i], start + i);
  }

  at(index: number): TableHit {
    return this.hits[index];
  }

  /** Store index of a hit handed out by this store, else -1. */
  indexOf(hit: TableHit): number {
    return hit instanceof StoredHit && hit.store === this ? hit.index : this.indexOfKey(hit.key);
  }

  /** Store index of a hit key, or -1 (the map is built on first use). */
  indexOfKey(key: string): number {
    if (!this.keyIndex) {
      this.keyIndex = new Map();
      for (let i = 0; i < this.keys.length; i++) this.keyIndex.set(this.keys[i], i);
    }
    return this.keyIndex.get(key) ?? -1;
  }

  value(index: number, field: string): Value | undefined {
    return this.columns.get(field)?.[index];
  }

  sourceOf(index: number): HitSource {
    return { file: this.files[this.fileIds.data[index]] ?? '', row: this.rows.data[index], line: this.lines.data[index] };
  }

  fieldsOf(index: number): Record<string, Value> {
    const out: Record<string, Value> = {};
    for (const f of this.fieldNames) out[f] = this.columns.get(f)?.[index] ?? null;
    return out;
  }

  /** The row fields the store carries (UI_ROW_FIELDS and the projected fields). */
  rowOf(index: number): Row {
    const out: Row = {};
    for (const [name, col] of this.columns) out[name] = col[index] ?? null;
    return out;
  }
}

/** A list of hits in display order, without materialising an array of a million entries. */
export interface HitRows {
  readonly length: number;
  at(position: number): TableHit;
  /** Position of the hit with this key, or -1. */
  positionOfKey(key: string): number;
}

/** The store in some order: `indices` (store indices in display order), or the first `length` hits in arrival order. */
export class StoreRows implements HitRows {
  constructor(
    private readonly store: HitStore,
    private readonly indices: Uint32Array | null,
    readonly length: number,
  ) {}
  at(position: number): TableHit {
    return this.store.at(this.indices ? this.indices[position] : position);
  }
  positionOfKey(key: string): number {
    const index = this.store.indexOfKey(key);
    if (index < 0) return -1;
    if (!this.indices) return index < this.length ? index : -1;
    // A scan of a Uint32Array: about a millisecond at a million hits, and only on selection changes.
    return this.indices.indexOf(index);
  }
}

export const NO_ROWS: HitRows = { length: 0, at: () => { throw new RangeError('no rows'); }, positionOfKey: () => -1 };

/** An array of hits as HitRows. */
export function arrayRows(list: readonly TableHit[]): HitRows {
  return { length: list.length, at: (i) => list[i], positionOfKey: (key) => list.findIndex((h) => h.key === key) };
}
