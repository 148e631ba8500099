import type { Hit } from '../engine/types';
import type { Value } from '../engine/value';
import type { Hunt } from '../hunt/types';

/**
 * The triage model: what an analyst decided about each hit of one hunt run over one export, the
 * per-host response checklist, and an append-only audit of every change. Everything here is pure:
 * each update returns a new session (or the same object when nothing changed, so React can skip
 * re-renders and the store can skip writes).
 */

export const VERDICTS = ['untriaged', 'benign', 'false_positive', 'suspicious', 'malicious'] as const;
export type Verdict = (typeof VERDICTS)[number];

export const VERDICT_LABELS: Readonly<Record<Verdict, string>> = {
  untriaged: 'Untriaged',
  benign: 'Benign',
  false_positive: 'False positive',
  suspicious: 'Suspicious',
  malicious: 'Malicious',
};

/**
 * Order for "worst verdict" (higher is worse). An untriaged hit ranks above benign and false
 * positive: a host with an unreviewed hit has not been cleared, so it must not look clean.
 */
export const VERDICT_SEVERITY: Readonly<Record<Verdict, number>> = {
  benign: 0,
  false_positive: 1,
  untriaged: 2,
  suspicious: 3,
  malicious: 4,
};

/** Suggested reason codes per verdict; the reason field stays free text. */
export const REASON_SUGGESTIONS: Readonly<Record<Verdict, readonly string[]>> = {
  untriaged: [],
  benign: ['Authorised admin activity', 'Known internal tool', 'Sanctioned remote access', 'Test / lab system'],
  false_positive: ['Query over-matches', 'Benign software pattern', 'Duplicate of another hit'],
  suspicious: ['Needs more context', 'Unusual for this user', 'Unknown tunnel endpoint', 'Escalated to IR'],
  malicious: ['Confirmed payload delivery', 'Known-bad infrastructure', 'Lateral movement confirmed', 'Matches threat intel'],
};

export function isVerdict(value: unknown): value is Verdict {
  return typeof value === 'string' && (VERDICTS as readonly string[]).includes(value);
}

export function isDecided(verdict: Verdict): boolean {
  return verdict !== 'untriaged';
}

/** The worst of several verdicts; 'untriaged' for none. */
export function worstVerdict(verdicts: Iterable<Verdict>): Verdict {
  let worst: Verdict | null = null;
  for (const v of verdicts) if (worst === null || VERDICT_SEVERITY[v] > VERDICT_SEVERITY[worst]) worst = v;
  return worst ?? 'untriaged';
}

export interface Decision {
  verdict: Verdict;
  reason: string;
  notes: string;
  /** Who made the last change to this decision. */
  analyst: string;
  /** ISO 8601 time of the last change. */
  at: string;
}

export type AuditField = 'verdict' | 'reason' | 'notes' | 'checklist' | 'host-status';

export interface AuditEntry {
  /** Hit identity (see `hitId`); null for host-level entries. */
  hitKey: string | null;
  /** The hit's event id as the engine reported it; null for host-level entries. */
  eventId: string | null;
  /** The host for host-level entries (host checklist, host status); null otherwise. */
  host: string | null;
  field: AuditField;
  /** The checklist item's text for 'checklist' entries; null otherwise. */
  item: string | null;
  /** Previous and new value as text: a verdict name, reason, notes, 'done'/'open', a host status. */
  from: string;
  to: string;
  analyst: string;
  at: string;
}

export interface ChecklistItemState {
  done: boolean;
  /** Who last ticked or unticked it, and when; null while never touched. */
  by: string | null;
  at: string | null;
}

export const HOST_STATUSES = ['open', 'contained', 'cleared'] as const;
export type HostStatus = (typeof HOST_STATUSES)[number];
export const HOST_STATUS_LABELS: Readonly<Record<HostStatus, string>> = {
  open: 'Open',
  contained: 'Contained',
  cleared: 'Cleared',
};

export function isHostStatus(value: unknown): value is HostStatus {
  return typeof value === 'string' && (HOST_STATUSES as readonly string[]).includes(value);
}

export interface HostState {
  status: HostStatus;
  statusBy: string | null;
  statusAt: string | null;
  /** Aligned by index with `session.checklists.host` (the hunt's response actions). */
  checklist: ChecklistItemState[];
}

export type HitChecklistKind = 'consideration' | 'false_positive';

export interface HitChecklistTemplateItem {
  kind: HitChecklistKind;
  text: string;
}

/**
 * The checklist texts, copied from the hunt when the session starts, so a stored session or a
 * bundle explains its own ticks without the hunt document at hand.
 */
export interface ChecklistTemplates {
  /** Per host: the hunt's Recommended Response Actions, in document order. */
  host: string[];
  /** Per hit: the hunt's Considerations, then its False Positives. */
  hit: HitChecklistTemplateItem[];
}

export interface DatasetFingerprint {
  name: string;
  size: number;
  sha256: string;
}

export interface SessionHunt {
  id: string;
  version: string | null;
  title: string;
}

export const SESSION_SCHEMA = 1;

export interface TriageSession {
  schema: typeof SESSION_SCHEMA;
  /** `sessionKey(hunt, datasets)`. */
  key: string;
  hunt: SessionHunt;
  datasets: DatasetFingerprint[];
  /** The analyst working this session on this machine (last one to set a name). */
  analyst: string;
  createdAt: string;
  updatedAt: string;
  checklists: ChecklistTemplates;
  /** By hit identity. A hit without an entry is untriaged. */
  decisions: Record<string, Decision>;
  /** Append-only, oldest first. */
  audit: AuditEntry[];
  /** By host name. A host without an entry is open with nothing ticked. */
  hosts: Record<string, HostState>;
  /** By hit identity; aligned by index with `checklists.hit`. */
  hitChecklists: Record<string, ChecklistItemState[]>;
}

/**
 * What triage reads of a hit: identity, host and command line. Narrower than `Hit` on purpose, so
 * the table's slim rows (no explanation, no raw record) can be decided and exported as they are.
 */
export type TriageHit = Pick<Hit, 'key' | 'eventId' | 'fields' | 'row' | 'source'>;

/** What the update functions need to know about a hit. */
export interface HitRef {
  /** `hitId(hit)`. */
  id: string;
  eventId: string;
}

/**
 * The identity a decision is stored under. It must survive a reload and be the same for every
 * analyst who loads the same export, so it cannot use `Hit.key` (that carries the file's index in
 * the drop order). It is the event's `event_id` when the export has one (XDR event ids are unique
 * per event, and the same event in two overlapping exports then shares its decision), else
 * `${file name}#${1-based record number}`, which is fixed for a given file.
 */
export function hitId(hit: Pick<Hit, 'key' | 'eventId' | 'source'>): string {
  if (hit.eventId !== '' && hit.eventId !== hit.key) return hit.eventId;
  return `${hit.source.file}#${hit.source.row}`;
}

export function hitRef(hit: Pick<Hit, 'key' | 'eventId' | 'source'>): HitRef {
  return { id: hitId(hit), eventId: hit.eventId };
}

/** A stable placeholder so hits without a host still group together. */
export const UNKNOWN_HOST = '(unknown host)';

function textOf(value: Value | undefined): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

/** The hit's host: `agent_hostname` from the canonical row, else from the projected fields. */
export function hostOf(hit: Pick<Hit, 'row' | 'fields'>): string {
  const host = textOf(hit.row['agent_hostname']) ?? textOf(hit.fields['agent_hostname']);
  return host === null || host.trim() === '' ? UNKNOWN_HOST : host;
}

export function commandLineOf(hit: Pick<Hit, 'row' | 'fields'>): string {
  return (
    textOf(hit.row['action_process_image_command_line']) ?? textOf(hit.fields['action_process_image_command_line']) ?? ''
  );
}

const GUID = /\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?/g;
/** The first label of a quick-tunnel host is random per tunnel ("mental-cpu-sustained-gc"). */
// Starts only at a label boundary: without the lookbehind every position of a long run of letters
// rescans the run for the lookahead, which took minutes (and froze the page) on a 1 MB command line.
const TUNNEL_LABEL = /(?<![a-z0-9-])[a-z0-9-]+(?=\.trycloudflare\.com)/g;
const DIGITS = /\d+/g;

/**
 * A command line reduced to its shape, so "the same command against another tunnel or another
 * share number" groups together for bulk decisions. Explainable on purpose: lower-cased
 * (Windows command lines are case-insensitive), whitespace runs collapsed, GUIDs -> `<guid>`,
 * the first label of `*.trycloudflare.com` -> `<tunnel>`, digit runs -> `<n>`. GUIDs go first
 * because their digits would otherwise become `<n>` pieces.
 */
export function commandLinePattern(commandLine: string): string {
  return commandLine
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    .replace(GUID, '<guid>')
    .replace(TUNNEL_LABEL, '<tunnel>')
    .replace(DIGITS, '<n>');
}

/** Hits of one host (bulk target). */
export function hitsOfHost<H extends Pick<Hit, 'row' | 'fields'>>(hits: readonly H[], host: string): H[] {
  return hits.filter((h) => hostOf(h) === host);
}

/** Hits whose command line has the same `commandLinePattern` as `pattern` (bulk target). */
export function hitsSharingPattern<H extends Pick<Hit, 'row' | 'fields'>>(hits: readonly H[], pattern: string): H[] {
  return hits.filter((h) => commandLinePattern(commandLineOf(h)) === pattern);
}

/** The hits grouped by host, hosts in first-seen order. */
export function hitsByHost<H extends Pick<Hit, 'row' | 'fields'>>(hits: readonly H[]): Map<string, H[]> {
  const groups = new Map<string, H[]>();
  for (const hit of hits) {
    const host = hostOf(hit);
    const group = groups.get(host);
    if (group) group.push(hit);
    else groups.set(host, [hit]);
  }
  return groups;
}

export function checklistTemplates(hunt: Pick<Hunt, 'responseActions' | 'considerations' | 'falsePositives'>): ChecklistTemplates {
  return {
    host: [...hunt.responseActions],
    hit: [
      ...hunt.considerations.map((text) => ({ kind: 'consideration' as const, text })),
      ...hunt.falsePositives.map((text) => ({ kind: 'false_positive' as const, text })),
    ],
  };
}

/**
 * `${hunt id}@${hunt version}:${sha256s}`. The hashes are sorted so dropping the same files in
 * another order reopens the same session; names and sizes stay in the session for display only,
 * because a renamed copy of the same bytes is the same evidence.
 */
export function sessionKey(hunt: Pick<Hunt, 'id' | 'title' | 'version'>, datasets: readonly DatasetFingerprint[]): string {
  const huntId = hunt.id !== '' ? hunt.id : hunt.title;
  const hashes = datasets.map((d) => d.sha256.toLowerCase()).sort();
  return `${huntId}@${hunt.version ?? 'unversioned'}:${hashes.join(',')}`;
}

export function createSession(args: {
  hunt: Pick<Hunt, 'id' | 'title' | 'version' | 'responseActions' | 'considerations' | 'falsePositives'>;
  datasets: readonly DatasetFingerprint[];
  analyst: string;
  now: string;
}): TriageSession {
  const { hunt, datasets, analyst, now } = args;
  return {
    schema: SESSION_SCHEMA,
    key: sessionKey(hunt, datasets),
    hunt: { id: hunt.id, version: hunt.version, title: hunt.title },
    datasets: datasets.map((d) => ({ name: d.name, size: d.size, sha256: d.sha256 })),
    analyst,
    createdAt: now,
    updatedAt: now,
    checklists: checklistTemplates(hunt),
    decisions: {},
    audit: [],
    hosts: {},
    hitChecklists: {},
  };
}

// ---------------------------------------------------------------------------------------------
// Updates

const EMPTY_DECISION: Omit<Decision, 'analyst' | 'at'> = { verdict: 'untriaged', reason: '', notes: '' };

export function decisionOf(session: TriageSession, id: string): Decision | null {
  return Object.hasOwn(session.decisions, id) ? session.decisions[id] : null;
}

export function verdictOf(session: TriageSession, id: string): Verdict {
  return decisionOf(session, id)?.verdict ?? 'untriaged';
}

type DecisionTextField = 'verdict' | 'reason' | 'notes';

/**
 * Consecutive edits of the same text by the same analyst within this window are one audit entry
 * (its `to` is updated), so typing notes does not write an entry per keystroke.
 */
export const TEXT_EDIT_COALESCE_MS = 2 * 60 * 1000;

function coalescible(last: AuditEntry | undefined, entry: AuditEntry): boolean {
  return (
    last !== undefined &&
    (entry.field === 'notes' || entry.field === 'reason') &&
    last.field === entry.field &&
    last.hitKey === entry.hitKey &&
    last.analyst === entry.analyst &&
    Date.parse(entry.at) - Date.parse(last.at) <= TEXT_EDIT_COALESCE_MS
  );
}

function appendAudit(audit: AuditEntry[], entries: AuditEntry[]): AuditEntry[] {
  const out = audit.slice();
  for (const entry of entries) {
    const last = out[out.length - 1];
    if (coalescible(last, entry)) {
      // Keep the original `from` and time so the entry still says what the text was before.
      if (last.from === entry.to) out.pop();
      else out[out.length - 1] = { ...last, to: entry.to };
    } else {
      out.push(entry);
    }
  }
  return out;
}

function updateDecisions<F extends DecisionTextField>(
  session: TriageSession,
  targets: readonly HitRef[],
  field: F,
  value: Decision[F],
  analyst: string,
  now: string,
): TriageSession {
  let decisions: Record<string, Decision> | null = null;
  const entries: AuditEntry[] = [];
  const seen = new Set<string>();
  for (const target of targets) {
    if (seen.has(target.id)) continue;
    seen.add(target.id);
    const current = decisionOf(session, target.id);
    const before = current ?? { ...EMPTY_DECISION, analyst, at: now };
    if (before[field] === value) continue;
    decisions ??= { ...session.decisions };
    decisions[target.id] = { ...before, [field]: value, analyst, at: now };
    entries.push({
      hitKey: target.id,
      eventId: target.eventId,
      host: null,
      field,
      item: null,
      from: before[field],
      to: value,
      analyst,
      at: now,
    });
  }
  if (decisions === null) return session;
  return { ...session, decisions, audit: appendAudit(session.audit, entries), updatedAt: now };
}

/** Bulk: sets the verdict of every target; audits only the hits whose verdict changed. */
export function setVerdict(
  session: TriageSession,
  targets: readonly HitRef[],
  verdict: Verdict,
  analyst: string,
  now: string,
): TriageSession {
  return updateDecisions(session, targets, 'verdict', verdict, analyst, now);
}

export function setReason(session: TriageSession, targets: readonly HitRef[], reason: string, analyst: string, now: string): TriageSession {
  return updateDecisions(session, targets, 'reason', reason, analyst, now);
}

export function setNotes(session: TriageSession, targets: readonly HitRef[], notes: string, analyst: string, now: string): TriageSession {
  return updateDecisions(session, targets, 'notes', notes, analyst, now);
}

function untouchedItems(count: number): ChecklistItemState[] {
  return Array.from({ length: count }, () => ({ done: false, by: null, at: null }));
}

export function hostStateOf(session: TriageSession, host: string): HostState {
  if (Object.hasOwn(session.hosts, host)) return session.hosts[host];
  return { status: 'open', statusBy: null, statusAt: null, checklist: untouchedItems(session.checklists.host.length) };
}

export function hitChecklistOf(session: TriageSession, id: string): ChecklistItemState[] {
  if (Object.hasOwn(session.hitChecklists, id)) return session.hitChecklists[id];
  return untouchedItems(session.checklists.hit.length);
}

function toggled(items: ChecklistItemState[], index: number, analyst: string, now: string): ChecklistItemState[] {
  const next = items.slice();
  next[index] = { done: !items[index].done, by: analyst, at: now };
  return next;
}

export function toggleHostItem(session: TriageSession, host: string, index: number, analyst: string, now: string): TriageSession {
  const text = session.checklists.host[index];
  if (text === undefined) return session;
  const state = hostStateOf(session, host);
  const checklist = toggled(state.checklist, index, analyst, now);
  const entry: AuditEntry = {
    hitKey: null,
    eventId: null,
    host,
    field: 'checklist',
    item: text,
    from: state.checklist[index].done ? 'done' : 'open',
    to: checklist[index].done ? 'done' : 'open',
    analyst,
    at: now,
  };
  return {
    ...session,
    hosts: { ...session.hosts, [host]: { ...state, checklist } },
    audit: appendAudit(session.audit, [entry]),
    updatedAt: now,
  };
}

export function setHostStatus(session: TriageSession, host: string, status: HostStatus, analyst: string, now: string): TriageSession {
  const state = hostStateOf(session, host);
  if (state.status === status) return session;
  const entry: AuditEntry = {
    hitKey: null,
    eventId: null,
    host,
    field: 'host-status',
    item: null,
    from: state.status,
    to: status,
    analyst,
    at: now,
  };
  return {
    ...session,
    hosts: { ...session.hosts, [host]: { ...state, status, statusBy: analyst, statusAt: now } },
    audit: appendAudit(session.audit, [entry]),
    updatedAt: now,
  };
}

export function toggleHitItem(session: TriageSession, target: HitRef, index: number, analyst: string, now: string): TriageSession {
  const item = session.checklists.hit[index];
  if (item === undefined) return session;
  const items = hitChecklistOf(session, target.id);
  const next = toggled(items, index, analyst, now);
  const entry: AuditEntry = {
    hitKey: target.id,
    eventId: target.eventId,
    host: null,
    field: 'checklist',
    item: item.text,
    from: items[index].done ? 'done' : 'open',
    to: next[index].done ? 'done' : 'open',
    analyst,
    at: now,
  };
  return {
    ...session,
    hitChecklists: { ...session.hitChecklists, [target.id]: next },
    audit: appendAudit(session.audit, [entry]),
    updatedAt: now,
  };
}

/** Sets the session's analyst (not audited: it names who makes the next changes). */
export function setSessionAnalyst(session: TriageSession, analyst: string): TriageSession {
  return session.analyst === analyst ? session : { ...session, analyst };
}

// ---------------------------------------------------------------------------------------------
// Selectors

export interface Progress {
  done: number;
  total: number;
}

/** Hits with a verdict other than untriaged, of all `ids`. */
export function reviewedCount(session: TriageSession, ids: readonly string[]): Progress {
  const unique = new Set(ids);
  let done = 0;
  for (const id of unique) if (isDecided(verdictOf(session, id))) done++;
  return { done, total: unique.size };
}

export function verdictCounts(session: TriageSession, ids: readonly string[]): Record<Verdict, number> {
  const counts = emptyVerdictCounts();
  for (const id of new Set(ids)) counts[verdictOf(session, id)]++;
  return counts;
}

export function emptyVerdictCounts(): Record<Verdict, number> {
  return { untriaged: 0, benign: 0, false_positive: 0, suspicious: 0, malicious: 0 };
}

export function checklistProgress(items: readonly ChecklistItemState[]): Progress {
  return { done: items.filter((i) => i.done).length, total: items.length };
}

export function hostProgress(session: TriageSession, host: string): Progress {
  return checklistProgress(hostStateOf(session, host).checklist);
}

/** Audit entries about one hit, oldest first. */
export function auditOfHit(session: TriageSession, id: string): AuditEntry[] {
  return session.audit.filter((e) => e.hitKey === id);
}

export function auditOfHost(session: TriageSession, host: string): AuditEntry[] {
  return session.audit.filter((e) => e.host === host);
}
