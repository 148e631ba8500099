import { VERDICT_SEVERITY, checklistProgress, emptyVerdictCounts, isDecided, worstVerdict } from './model';
import type { AuditEntry, ChecklistItemState, DatasetFingerprint, HostStatus, Progress, Verdict } from './model';
import type { BundleHit, TriageBundle } from './bundle';

/**
 * The team lead's review: several bundles of the same hunt (one per analyst, or one analyst's
 * exports over time) merged into one view.
 *
 * Merge rules, per hit:
 * - Each bundle that contains the hit contributes that bundle's decision, or "untriaged" when it
 *   has none. Contributions are grouped by analyst and only each analyst's latest one counts, so an
 *   analyst re-exporting after changing their mind is not a conflict with themselves.
 * - No decided verdict -> `untriaged`. Two or more different decided verdicts -> `conflict`.
 *   One decided verdict and someone still untriaged -> `partial` (not a conflict: nobody disagrees).
 *   Everyone decided the same -> `decided`.
 * - The merged verdict is the decided one, or for a conflict the worst of the decided ones, so a
 *   disagreement never makes a host look cleaner than any analyst judged it.
 * Per host: the status and each checklist item take the most recent change across bundles.
 */

export type MergedStatus = 'untriaged' | 'decided' | 'partial' | 'conflict';

export interface ReviewDecision {
  analyst: string;
  verdict: Verdict;
  reason: string;
  notes: string;
  /** null when the analyst's bundle contains the hit but has no decision for it. */
  at: string | null;
  /** Index into the bundles given to `reviewBundles`. */
  bundle: number;
}

export interface MergedHit {
  hit: BundleHit;
  verdict: Verdict;
  status: MergedStatus;
  /** One per analyst (their latest), in bundle order. */
  decisions: ReviewDecision[];
}

export interface MergedChecklistItem extends ChecklistItemState {
  text: string;
}

export interface ReviewHost {
  host: string;
  hits: number;
  worst: Verdict;
  verdicts: Record<Verdict, number>;
  status: HostStatus;
  statusBy: string | null;
  statusAt: string | null;
  checklist: MergedChecklistItem[];
  progress: Progress;
  /** Some hit is untriaged, suspicious or malicious: the host is not cleared by its verdicts. */
  needsResponse: boolean;
}

export interface ReviewConflict {
  hit: BundleHit;
  /** The differing decided verdicts, each with analyst and time. */
  decisions: ReviewDecision[];
}

export interface ReviewAnalyst {
  analyst: string;
  exportedBy: string;
  exportedAt: string;
  bundle: number;
  hits: number;
  reviewed: number;
}

export interface OpenItems {
  untriagedHits: MergedHit[];
  /** Unticked response actions on hosts that need a response. */
  uncheckedActions: { host: string; item: string }[];
  /** Hosts that need a response and are neither contained nor cleared. */
  openHosts: string[];
}

export interface Review {
  hunt: TriageBundle['hunt'];
  analysts: ReviewAnalyst[];
  datasets: DatasetFingerprint[];
  hits: MergedHit[];
  verdicts: Record<Verdict, number>;
  reviewed: Progress;
  /** Worst verdict first, then most malicious + suspicious hits, then name. */
  hosts: ReviewHost[];
  conflicts: ReviewConflict[];
  partial: MergedHit[];
  open: OpenItems;
  /** Every bundle's audit, oldest first. */
  audit: AuditEntry[];
}

export type ReviewResult = { ok: true; review: Review } | { ok: false; error: string };

function analystOf(bundle: TriageBundle, index: number): string {
  return bundle.session.analyst || bundle.exportedBy || `Bundle ${index + 1}`;
}

function huntLabel(b: TriageBundle): string {
  return `"${b.hunt.title}" (${b.hunt.id || 'no id'} v${b.hunt.version ?? '?'})`;
}

/** Latest first by time; an untouched (null time) entry is older than any touched one. */
function newer(a: string | null, b: string | null): boolean {
  if (a === null) return false;
  if (b === null) return true;
  return Date.parse(a) > Date.parse(b);
}

function mergeHit(hit: BundleHit, contributions: ReviewDecision[]): MergedHit {
  const latest = new Map<string, ReviewDecision>();
  for (const c of contributions) {
    const seen = latest.get(c.analyst);
    if (seen === undefined || newer(c.at, seen.at)) latest.set(c.analyst, c);
  }
  const decisions = [...latest.values()].sort((a, b) => a.bundle - b.bundle);
  const decided = decisions.filter((d) => isDecided(d.verdict));
  const distinct = new Set(decided.map((d) => d.verdict));
  let status: MergedStatus;
  if (distinct.size === 0) status = 'untriaged';
  else if (distinct.size > 1) status = 'conflict';
  else if (decided.length < decisions.length) status = 'partial';
  else status = 'decided';
  return { hit, verdict: worstVerdict(distinct), status, decisions };
}

export function reviewBundles(bundles: readonly TriageBundle[]): ReviewResult {
  if (bundles.length === 0) return { ok: false, error: 'No bundles to review.' };
  const first = bundles[0];
  const other = bundles.find((b) => b.hunt.id !== first.hunt.id || b.hunt.version !== first.hunt.version);
  if (other !== undefined) {
    return {
      ok: false,
      error: `These bundles are for different hunts: ${huntLabel(first)} and ${huntLabel(other)}. Review one hunt at a time.`,
    };
  }

  // Hits: union by identity, first bundle's copy wins (same identity = same event).
  const hitById = new Map<string, BundleHit>();
  const contributions = new Map<string, ReviewDecision[]>();
  bundles.forEach((bundle, index) => {
    for (const hit of bundle.hits) {
      if (!hitById.has(hit.id)) hitById.set(hit.id, hit);
      const d = Object.hasOwn(bundle.decisions, hit.id) ? bundle.decisions[hit.id] : null;
      const list = contributions.get(hit.id) ?? [];
      list.push({
        analyst: d?.analyst || analystOf(bundle, index),
        verdict: d?.verdict ?? 'untriaged',
        reason: d?.reason ?? '',
        notes: d?.notes ?? '',
        at: d?.at ?? null,
        bundle: index,
      });
      contributions.set(hit.id, list);
    }
  });
  const hits = [...hitById.values()].map((hit) => mergeHit(hit, contributions.get(hit.id) ?? []));

  const verdicts = emptyVerdictCounts();
  for (const h of hits) verdicts[h.verdict]++;

  const hosts = reviewHosts(bundles, hits, first.checklists.host);
  const conflicts = hits
    .filter((h) => h.status === 'conflict')
    .map((h) => ({ hit: h.hit, decisions: h.decisions.filter((d) => isDecided(d.verdict)) }));

  const datasets = new Map<string, DatasetFingerprint>();
  for (const b of bundles) for (const d of b.datasets) if (!datasets.has(d.sha256)) datasets.set(d.sha256, d);

  return {
    ok: true,
    review: {
      hunt: first.hunt,
      analysts: bundles.map((b, index) => ({
        analyst: analystOf(b, index),
        exportedBy: b.exportedBy,
        exportedAt: b.exportedAt,
        bundle: index,
        hits: b.hits.length,
        reviewed: b.hits.filter((h) => Object.hasOwn(b.decisions, h.id) && isDecided(b.decisions[h.id].verdict)).length,
      })),
      datasets: [...datasets.values()],
      hits,
      verdicts,
      reviewed: { done: hits.filter((h) => isDecided(h.verdict)).length, total: hits.length },
      hosts,
      conflicts,
      partial: hits.filter((h) => h.status === 'partial'),
      open: {
        untriagedHits: hits.filter((h) => h.status === 'untriaged'),
        uncheckedActions: hosts
          .filter((h) => h.needsResponse)
          .flatMap((h) => h.checklist.filter((i) => !i.done).map((i) => ({ host: h.host, item: i.text }))),
        openHosts: hosts.filter((h) => h.needsResponse && h.status === 'open').map((h) => h.host),
      },
      audit: bundles.flatMap((b) => b.audit).sort((a, b) => Date.parse(a.at) - Date.parse(b.at)),
    },
  };
}

function reviewHosts(bundles: readonly TriageBundle[], hits: readonly MergedHit[], actions: readonly string[]): ReviewHost[] {
  const hitsByHost = new Map<string, MergedHit[]>();
  for (const h of hits) hitsByHost.set(h.hit.host, [...(hitsByHost.get(h.hit.host) ?? []), h]);
  for (const b of bundles) for (const host of Object.keys(b.hosts)) if (!hitsByHost.has(host)) hitsByHost.set(host, []);

  const out: ReviewHost[] = [];
  for (const [host, hostHits] of hitsByHost) {
    const counts = emptyVerdictCounts();
    for (const h of hostHits) counts[h.verdict]++;
    let status: HostStatus = 'open';
    let statusBy: string | null = null;
    let statusAt: string | null = null;
    const checklist: MergedChecklistItem[] = actions.map((text) => ({ text, done: false, by: null, at: null }));
    for (const b of bundles) {
      if (!Object.hasOwn(b.hosts, host)) continue;
      const state = b.hosts[host];
      if (newer(state.statusAt, statusAt)) ({ status, statusBy, statusAt } = state);
      // Items are matched by text: the same hunt version should have the same list, but a
      // hand-edited document might not, and a tick must never land on another action.
      b.checklists.host.forEach((text, i) => {
        const target = checklist.find((c) => c.text === text);
        const item = state.checklist[i];
        if (target !== undefined && item !== undefined && newer(item.at, target.at)) Object.assign(target, item);
      });
    }
    const worst = worstVerdict(hostHits.map((h) => h.verdict));
    out.push({
      host,
      hits: hostHits.length,
      worst,
      verdicts: counts,
      status,
      statusBy,
      statusAt,
      checklist,
      progress: checklistProgress(checklist),
      needsResponse: hostHits.length > 0 && VERDICT_SEVERITY[worst] >= VERDICT_SEVERITY.untriaged,
    });
  }
  return out.sort(
    (a, b) =>
      VERDICT_SEVERITY[b.worst] - VERDICT_SEVERITY[a.worst] ||
      b.verdicts.malicious + b.verdicts.suspicious - (a.verdicts.malicious + a.verdicts.suspicious) ||
      (a.host < b.host ? -1 : a.host > b.host ? 1 : 0),
  );
}

export type BundleRoute = { kind: 'none' } | { kind: 'restore'; bundle: TriageBundle } | { kind: 'review'; bundles: TriageBundle[] };

/**
 * What opening bundles means: exactly one bundle of the session on screen restores it (resume
 * on another machine or after clearing storage); anything else is a review.
 */
export function routeBundles(bundles: readonly TriageBundle[], currentKey: string | null): BundleRoute {
  if (bundles.length === 0) return { kind: 'none' };
  if (bundles.length === 1 && currentKey !== null && bundles[0].session.key === currentKey) {
    return { kind: 'restore', bundle: bundles[0] };
  }
  return { kind: 'review', bundles: [...bundles] };
}
