import type { RawRecord, Row, Value } from '../engine/value';
import type { BoundProfile } from '../ingest/profile';
import { fieldKind, normalizeValueOfKind } from '../ingest/normalize';
import type { Accessor, ColumnIndex } from './fields';
import { accessorFor, basenameOfPath, shortHostName as shortHost, text } from './fields';

/**
 * Builds a BoundProfile from an ordered list of steps, each filling one canonical field. Steps run
 * in order and may read the fields filled before them (`row`), so a derived field (the image name
 * from the path) follows an analyst's override of the field it derives from. All lookups are
 * resolved here, once per file; `toRow` only runs the closures.
 *
 * `C` is a per-record context computed once before the steps (e.g. which kind of event a row of a
 * mixed export is, or the parsed EvtxECmd Payload), so steps do not repeat that work.
 */
export type Step<C> = (raw: RawRecord, row: Row, ctx: C) => Value;

interface PlannedStep<C> {
  field: string;
  source: string;
  step: Step<C>;
}

export class RowPlan<C> {
  private readonly steps: PlannedStep<C>[] = [];

  constructor(
    private readonly profileId: string,
    private readonly index: ColumnIndex,
    private readonly prepare: (raw: RawRecord) => C,
  ) {}

  /** A field copied from a source column, normalised like any export column (`""` is null). */
  column(field: string, accessor: Accessor | null): this {
    if (!accessor) return this;
    const kind = fieldKind(field);
    const get = accessor.get;
    this.steps.push({
      field,
      source: accessor.source,
      step: (raw, row) => {
        const value = get(raw);
        return value === '' ? null : normalizeValueOfKind(kind, field, value, eventTypeOf(row));
      },
    });
    return this;
  }

  /** A text field from a source column, kept exactly (ids, names, command lines). */
  textColumn(field: string, accessor: Accessor | null): this {
    if (!accessor) return this;
    const get = accessor.get;
    this.steps.push({ field, source: accessor.source, step: (raw) => text(get(raw)) });
    return this;
  }

  /** A field computed by a rule; `source` is the rule as the mapping view shows it. */
  derived(field: string, source: string, step: Step<C>): this {
    this.steps.push({ field, source, step });
    return this;
  }

  constant(field: string, value: Value, source = `constant "${String(value)}"`): this {
    this.steps.push({ field, source, step: () => value });
    return this;
  }

  has(field: string): boolean {
    return this.steps.some((s) => s.field === field);
  }

  /**
   * Applies the analyst's overrides (canonical field -> source column; `""` removes the field),
   * then freezes the plan. An override replaces the field's step in place, so steps after it
   * see the overridden value; an override for a field the profile does not fill runs first.
   */
  build(overrides?: Readonly<Record<string, string>>): BoundProfile {
    const steps = [...this.steps];
    const added: PlannedStep<C>[] = [];
    for (const [rawField, column] of Object.entries(overrides ?? {})) {
      const field = rawField.trim().toLowerCase();
      const at = steps.findIndex((s) => s.field === field);
      if (column.trim() === '') {
        if (at !== -1) steps.splice(at, 1);
        continue;
      }
      const accessor = accessorFor(this.index, column) ?? { source: column, get: (raw: RawRecord) => raw[column] };
      const kind = fieldKind(field);
      const get = accessor.get;
      const planned: PlannedStep<C> = {
        field,
        source: accessor.source,
        step: (raw, row) => {
          const value = get(raw);
          return value === '' ? null : normalizeValueOfKind(kind, field, value, eventTypeOf(row));
        },
      };
      if (at === -1) added.push(planned);
      else steps[at] = planned;
    }
    const all = [...added, ...steps];
    const fields = all.map((s) => s.field);
    const fns = all.map((s) => s.step);
    const mapping: Record<string, string> = {};
    for (const s of all) mapping[s.field] = s.source;
    const prepare = this.prepare;
    const count = fns.length;
    return {
      profileId: this.profileId,
      mapping,
      canonicalColumns: [...new Set(fields)],
      toRow(raw: RawRecord): Row {
        const ctx = prepare(raw);
        const row: Row = {};
        for (let i = 0; i < count; i++) row[fields[i]] = fns[i](raw, row, ctx);
        return row;
      },
    };
  }
}

function eventTypeOf(row: Row): string | null {
  const value = row.event_type;
  return typeof value === 'string' ? value : null;
}

/** Shared tail of every profile: event type/sub type from a per-row "is a process start" test. */
export const EVENT_TYPE_PROCESS = 'PROCESS';
export const EVENT_SUB_TYPE_START = 'PROCESS_START';
/** Non-process events of a source: still rows (the funnel counts them), never a process start. */
export const EVENT_TYPE_OTHER = 'EVENT_LOG';

export function addEventType<C>(plan: RowPlan<C>, rule: string, isStart: (raw: RawRecord, ctx: C) => boolean): void {
  plan.derived('event_type', rule, (raw, _row, ctx) => (isStart(raw, ctx) ? EVENT_TYPE_PROCESS : EVENT_TYPE_OTHER));
  plan.derived('event_sub_type', `${EVENT_SUB_TYPE_START} when event_type is ${EVENT_TYPE_PROCESS}`, (_raw, row) =>
    row.event_type === EVENT_TYPE_PROCESS ? EVENT_SUB_TYPE_START : null,
  );
}

/** Host name as given plus the short lower-case form for grouping. */
export function addHost<C>(plan: RowPlan<C>, host: Accessor | null): void {
  if (!host) return;
  plan.textColumn('agent_hostname', host);
  plan.derived('agent_hostname_short', `short(${host.source})`, (_raw, row) =>
    typeof row.agent_hostname === 'string' ? shortHost(row.agent_hostname) : null,
  );
}


/** `<prefix>_image_name` from the path field already in the row, when the source has no name column. */
export function addNameFromPath<C>(plan: RowPlan<C>, nameField: string, pathField: string, pathSource: string): void {
  plan.derived(nameField, `basename(${pathSource})`, (_raw, row) => {
    const path = row[pathField];
    return typeof path === 'string' && path !== '' ? basenameOfPath(path) : null;
  });
}
