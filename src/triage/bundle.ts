import type { TriageHit as Hit } from './model';
import type { Value } from '../engine/value';
import { HOST_STATUSES, SESSION_SCHEMA, VERDICTS, hitId, hostOf, isHostStatus, isVerdict, sessionKey } from './model';
import type {
  AuditEntry,
  AuditField,
  ChecklistItemState,
  ChecklistTemplates,
  DatasetFingerprint,
  Decision,
  HitChecklistTemplateItem,
  HostState,
  TriageSession,
} from './model';

/**
 * The triage bundle: one JSON file an analyst hands to the team lead (or to themselves on another
 * machine). It carries the hit subset, every decision, checklist tick and audit entry, and the
 * exact query, so it can be reviewed without the export and restores the session exactly.
 * The format is documented in docs/bundle-schema.md; change both together, and bump
 * BUNDLE_VERSION for anything an older reader would misread.
 */

export const BUNDLE_SCHEMA = 'hunt-triage.bundle';
export const BUNDLE_VERSION = 1;

export interface BundleHit {
  /** Hit identity (`hitId`): the key of `decisions` and `hitChecklists`. */
  id: string;
  /** The engine's per-run key, for reference only. */
  key: string;
  eventId: string;
  /** `hostOf(hit)`, so the review can group by host whatever fields the query projects. */
  host: string;
  /** The query's projected fields (`_time` in epoch milliseconds). */
  fields: Record<string, Value>;
  source: { file: string; row: number; line: number };
}

export interface TriageBundle {
  schema: typeof BUNDLE_SCHEMA;
  version: typeof BUNDLE_VERSION;
  exportedAt: string;
  exportedBy: string;
  hunt: { id: string; version: string | null; title: string; query: string | null };
  session: { key: string; analyst: string; createdAt: string; updatedAt: string };
  datasets: DatasetFingerprint[];
  checklists: ChecklistTemplates;
  hits: BundleHit[];
  decisions: Record<string, Decision>;
  hosts: Record<string, HostState>;
  hitChecklists: Record<string, ChecklistItemState[]>;
  audit: AuditEntry[];
}

export function bundleHit(hit: Hit): BundleHit {
  return {
    id: hitId(hit),
    key: hit.key,
    eventId: hit.eventId,
    host: hostOf(hit),
    fields: hit.fields,
    source: { file: hit.source.file, row: hit.source.row, line: hit.source.line },
  };
}

export function buildBundle(args: {
  session: TriageSession;
  hits: readonly Hit[];
  query: string | null;
  exportedBy?: string;
  now: string;
}): TriageBundle {
  const { session, hits, query, now } = args;
  // The same event can appear twice (overlapping exports); it is one hit with one decision.
  const seen = new Set<string>();
  const bundleHits: BundleHit[] = [];
  for (const hit of hits) {
    const b = bundleHit(hit);
    if (seen.has(b.id)) continue;
    seen.add(b.id);
    bundleHits.push(b);
  }
  return {
    schema: BUNDLE_SCHEMA,
    version: BUNDLE_VERSION,
    exportedAt: now,
    exportedBy: args.exportedBy ?? session.analyst,
    hunt: { ...session.hunt, query },
    session: { key: session.key, analyst: session.analyst, createdAt: session.createdAt, updatedAt: session.updatedAt },
    datasets: session.datasets,
    checklists: session.checklists,
    hits: bundleHits,
    decisions: session.decisions,
    hosts: session.hosts,
    hitChecklists: session.hitChecklists,
    audit: session.audit,
  };
}

/** Pretty-printed so two bundles diff line by line. */
export function bundleToJson(bundle: TriageBundle): string {
  return `${JSON.stringify(bundle, null, 2)}\n`;
}

export function sessionFromBundle(bundle: TriageBundle): TriageSession {
  return {
    schema: SESSION_SCHEMA,
    key: bundle.session.key,
    hunt: { id: bundle.hunt.id, version: bundle.hunt.version, title: bundle.hunt.title },
    datasets: bundle.datasets,
    analyst: bundle.session.analyst,
    createdAt: bundle.session.createdAt,
    updatedAt: bundle.session.updatedAt,
    checklists: bundle.checklists,
    decisions: bundle.decisions,
    audit: bundle.audit,
    hosts: bundle.hosts,
    hitChecklists: bundle.hitChecklists,
  };
}

// ---------------------------------------------------------------------------------------------
// Parsing. A bundle is a file someone sent: every member is checked and copied into fresh
// objects, so nothing of the input's shape (extra members, prototypes) reaches the app.

export type ParseBundleResult = { ok: true; bundle: TriageBundle } | { ok: false; error: string };

class BundleError extends Error {}

/** Keys that would reach an object's prototype if the data were ever merged with spread or assign. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 64;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;
const SHA256 = /^[0-9a-fA-F]{64}$/;

function fail(path: string, message: string): never {
  throw new BundleError(`${path}: ${message}`);
}

function checkKeys(value: unknown, path: string, depth: number): void {
  if (depth > MAX_DEPTH) fail(path, `nested deeper than ${MAX_DEPTH} levels`);
  if (Array.isArray(value)) {
    value.forEach((v, i) => checkKeys(v, `${path}[${i}]`, depth + 1));
  } else if (typeof value === 'object' && value !== null) {
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key)) fail(path, `the key "${key}" is not allowed`);
      checkKeys((value as Record<string, unknown>)[key], `${path}.${key}`, depth + 1);
    }
  }
}

function obj(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'expected an object');
  return value as Record<string, unknown>;
}

function arr(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) fail(path, 'expected an array');
  return value;
}

function str(value: unknown, path: string): string {
  if (typeof value !== 'string') fail(path, 'expected a string');
  return value;
}

function strOrNull(value: unknown, path: string): string | null {
  return value === null ? null : str(value, path);
}

function time(value: unknown, path: string): string {
  const text = str(value, path);
  if (!ISO_TIME.test(text) || Number.isNaN(Date.parse(text))) fail(path, 'expected an ISO 8601 date-time');
  return text;
}

function timeOrNull(value: unknown, path: string): string | null {
  return value === null ? null : time(value, path);
}

function int(value: unknown, path: string, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) fail(path, `expected an integer >= ${min}`);
  return value;
}

function bool(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') fail(path, 'expected true or false');
  return value;
}

function record<T>(value: unknown, path: string, item: (v: unknown, p: string, key: string) => T): Record<string, T> {
  const input = obj(value, path);
  const out: Record<string, T> = {};
  for (const key of Object.keys(input)) out[key] = item(input[key], `${path}[${JSON.stringify(key)}]`, key);
  return out;
}

function value(v: unknown, path: string): Value {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) fail(path, 'expected a finite number');
    return v;
  }
  if (Array.isArray(v)) return v.map((x, i) => value(x, `${path}[${i}]`));
  if (typeof v === 'object') return record(v, path, value);
  return fail(path, 'expected a JSON value');
}

function itemStates(v: unknown, path: string, length: number): ChecklistItemState[] {
  const items = arr(v, path);
  if (items.length !== length) fail(path, `expected ${length} checklist items (one per checklist text), found ${items.length}`);
  return items.map((x, i) => {
    const p = `${path}[${i}]`;
    const o = obj(x, p);
    return { done: bool(o.done, `${p}.done`), by: strOrNull(o.by, `${p}.by`), at: timeOrNull(o.at, `${p}.at`) };
  });
}

function decision(v: unknown, path: string): Decision {
  const o = obj(v, path);
  if (!isVerdict(o.verdict)) fail(`${path}.verdict`, `expected one of ${VERDICTS.join(', ')}`);
  return {
    verdict: o.verdict,
    reason: str(o.reason, `${path}.reason`),
    notes: str(o.notes, `${path}.notes`),
    analyst: str(o.analyst, `${path}.analyst`),
    at: time(o.at, `${path}.at`),
  };
}

const AUDIT_FIELDS: readonly AuditField[] = ['verdict', 'reason', 'notes', 'checklist', 'host-status'];

function auditEntry(v: unknown, path: string): AuditEntry {
  const o = obj(v, path);
  const field = o.field;
  if (typeof field !== 'string' || !(AUDIT_FIELDS as readonly string[]).includes(field)) {
    fail(`${path}.field`, `expected one of ${AUDIT_FIELDS.join(', ')}`);
  }
  return {
    hitKey: strOrNull(o.hitKey, `${path}.hitKey`),
    eventId: strOrNull(o.eventId, `${path}.eventId`),
    host: strOrNull(o.host, `${path}.host`),
    field: field as AuditField,
    item: strOrNull(o.item, `${path}.item`),
    from: str(o.from, `${path}.from`),
    to: str(o.to, `${path}.to`),
    analyst: str(o.analyst, `${path}.analyst`),
    at: time(o.at, `${path}.at`),
  };
}

function checklistTemplatesOf(v: unknown, path: string): ChecklistTemplates {
  const o = obj(v, path);
  return {
    host: arr(o.host, `${path}.host`).map((x, i) => str(x, `${path}.host[${i}]`)),
    hit: arr(o.hit, `${path}.hit`).map((x, i): HitChecklistTemplateItem => {
      const p = `${path}.hit[${i}]`;
      const item = obj(x, p);
      if (item.kind !== 'consideration' && item.kind !== 'false_positive') fail(`${p}.kind`, 'expected consideration or false_positive');
      return { kind: item.kind, text: str(item.text, `${p}.text`) };
    }),
  };
}

function validate(input: unknown): TriageBundle {
  const root = obj(input, 'bundle');
  if (root.schema !== BUNDLE_SCHEMA) fail('schema', `this is not a triage bundle (expected "${BUNDLE_SCHEMA}")`);
  if (root.version !== BUNDLE_VERSION) {
    const found = typeof root.version === 'number' || typeof root.version === 'string' ? String(root.version) : 'none';
    fail('version', `bundle version ${found} is not supported; this app reads version ${BUNDLE_VERSION}`);
  }
  checkKeys(root, 'bundle', 0);

  const hunt = obj(root.hunt, 'hunt');
  const session = obj(root.session, 'session');
  const checklists = checklistTemplatesOf(root.checklists, 'checklists');

  const datasets = arr(root.datasets, 'datasets').map((x, i): DatasetFingerprint => {
    const p = `datasets[${i}]`;
    const d = obj(x, p);
    const sha256 = str(d.sha256, `${p}.sha256`);
    if (!SHA256.test(sha256)) fail(`${p}.sha256`, 'expected 64 hex digits');
    return { name: str(d.name, `${p}.name`), size: int(d.size, `${p}.size`, 0), sha256 };
  });

  const ids = new Set<string>();
  const hits = arr(root.hits, 'hits').map((x, i): BundleHit => {
    const p = `hits[${i}]`;
    const h = obj(x, p);
    const id = str(h.id, `${p}.id`);
    if (ids.has(id)) fail(`${p}.id`, `duplicate hit id ${JSON.stringify(id)}`);
    ids.add(id);
    const source = obj(h.source, `${p}.source`);
    return {
      id,
      key: str(h.key, `${p}.key`),
      eventId: str(h.eventId, `${p}.eventId`),
      host: str(h.host, `${p}.host`),
      fields: record(h.fields, `${p}.fields`, value),
      source: {
        file: str(source.file, `${p}.source.file`),
        row: int(source.row, `${p}.source.row`, 1),
        line: int(source.line, `${p}.source.line`, 1),
      },
    };
  });

  const hosts = record(root.hosts, 'hosts', (v, p): HostState => {
    const o = obj(v, p);
    if (!isHostStatus(o.status)) fail(`${p}.status`, `expected one of ${HOST_STATUSES.join(', ')}`);
    return {
      status: o.status,
      statusBy: strOrNull(o.statusBy, `${p}.statusBy`),
      statusAt: timeOrNull(o.statusAt, `${p}.statusAt`),
      checklist: itemStates(o.checklist, `${p}.checklist`, checklists.host.length),
    };
  });

  const huntOut = {
    id: str(hunt.id, 'hunt.id'),
    version: strOrNull(hunt.version, 'hunt.version'),
    title: str(hunt.title, 'hunt.title'),
    query: strOrNull(hunt.query, 'hunt.query'),
  };
  const key = str(session.key, 'session.key');
  // The key decides which session a bundle restores into, so it must follow from its contents.
  if (key !== sessionKey(huntOut, datasets)) fail('session.key', 'does not match the bundle\'s hunt and dataset fingerprints');

  return {
    schema: BUNDLE_SCHEMA,
    version: BUNDLE_VERSION,
    exportedAt: time(root.exportedAt, 'exportedAt'),
    exportedBy: str(root.exportedBy, 'exportedBy'),
    hunt: huntOut,
    session: {
      key,
      analyst: str(session.analyst, 'session.analyst'),
      createdAt: time(session.createdAt, 'session.createdAt'),
      updatedAt: time(session.updatedAt, 'session.updatedAt'),
    },
    datasets,
    checklists,
    hits,
    decisions: record(root.decisions, 'decisions', decision),
    hosts,
    hitChecklists: record(root.hitChecklists, 'hitChecklists', (v, p) => itemStates(v, p, checklists.hit.length)),
    audit: arr(root.audit, 'audit').map((x, i) => auditEntry(x, `audit[${i}]`)),
  };
}

export function parseBundle(text: string): ParseBundleResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `Not a triage bundle: the file is not valid JSON (${error instanceof Error ? error.message : 'parse error'}).` };
  }
  try {
    return { ok: true, bundle: validate(parsed) };
  } catch (error) {
    if (error instanceof BundleError) return { ok: false, error: `Invalid triage bundle: ${error.message}` };
    // Deeply nested input can still exhaust the stack inside JSON.parse's result walk.
    if (error instanceof RangeError) return { ok: false, error: 'Invalid triage bundle: the file is nested too deeply.' };
    throw error;
  }
}
