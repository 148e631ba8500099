import { describe, expect, it } from 'vitest';
import { createSession, hitRef, setHostStatus, setVerdict, toggleHostItem } from './model';
import type { TriageSession, Verdict } from './model';
import { buildBundle } from './bundle';
import { reviewBundles } from './review';
import type { Review } from './review';
import { DATASETS, HUNT, makeHit } from './testing';

const hits = [makeHit(1, { host: 'A' }), makeHit(2, { host: 'A' }), makeHit(3, { host: 'B' }), makeHit(4, { host: 'C' })];
const ref = (n: number) => hitRef(hits[n - 1]);

function bundleOf(analyst: string, edit: (s: TriageSession) => TriageSession, exportedAt = '2025-07-02T00:00:00.000Z') {
  const s = edit(createSession({ hunt: HUNT, datasets: DATASETS, analyst, now: '2025-07-01T00:00:00.000Z' }));
  return buildBundle({ session: s, hits, query: 'q', now: exportedAt });
}

function decide(n: number, v: Verdict, analyst: string, at: string) {
  return (s: TriageSession) => setVerdict(s, [ref(n)], v, analyst, at);
}

function review(...bundles: ReturnType<typeof bundleOf>[]): Review {
  const r = reviewBundles(bundles);
  if (!r.ok) throw new Error(r.error);
  return r.review;
}

describe('reviewBundles merge rules', () => {
  const alice = bundleOf('alice', (s) => {
    s = decide(1, 'malicious', 'alice', '2025-07-01T01:00:00.000Z')(s);
    s = decide(2, 'benign', 'alice', '2025-07-01T01:00:00.000Z')(s);
    return decide(3, 'suspicious', 'alice', '2025-07-01T01:00:00.000Z')(s);
  });
  const bob = bundleOf('bob', (s) => {
    s = decide(1, 'malicious', 'bob', '2025-07-01T02:00:00.000Z')(s); // same verdict: no conflict
    s = decide(2, 'suspicious', 'bob', '2025-07-01T02:00:00.000Z')(s); // differs: conflict
    return s; // 3 left untriaged: partial
  });

  it('same verdict is agreed, untriaged vs decided is partial, different decided verdicts conflict', () => {
    const r = review(alice, bob);
    const status = Object.fromEntries(r.hits.map((h) => [h.hit.id, [h.status, h.verdict]]));
    expect(status).toEqual({
      'evt-1': ['decided', 'malicious'],
      'evt-2': ['conflict', 'suspicious'], // worst of benign / suspicious
      'evt-3': ['partial', 'suspicious'],
      'evt-4': ['untriaged', 'untriaged'],
    });
    expect(r.conflicts).toHaveLength(1);
    expect(r.conflicts[0].decisions.map((d) => [d.analyst, d.verdict, d.at])).toEqual([
      ['alice', 'benign', '2025-07-01T01:00:00.000Z'],
      ['bob', 'suspicious', '2025-07-01T02:00:00.000Z'],
    ]);
    expect(r.partial.map((h) => h.hit.id)).toEqual(['evt-3']);
    expect(r.verdicts).toMatchObject({ malicious: 1, suspicious: 2, untriaged: 1, benign: 0 });
    expect(r.reviewed).toEqual({ done: 3, total: 4 });
  });

  it('an analyst changing their mind between two exports is not a conflict', () => {
    const early = bundleOf('alice', decide(1, 'benign', 'alice', '2025-07-01T01:00:00.000Z'));
    const late = bundleOf('alice', decide(1, 'malicious', 'alice', '2025-07-01T05:00:00.000Z'));
    const r = review(early, late);
    expect(r.hits[0]).toMatchObject({ status: 'decided', verdict: 'malicious' });
    expect(r.conflicts).toEqual([]);
  });

  it('ranks hosts by worst verdict and merges checklists and status by latest change', () => {
    const a = bundleOf('alice', (s) => {
      s = decide(3, 'malicious', 'alice', '2025-07-01T01:00:00.000Z')(s);
      s = toggleHostItem(s, 'B', 0, 'alice', '2025-07-01T01:00:00.000Z');
      s = toggleHostItem(s, 'B', 1, 'alice', '2025-07-01T01:00:00.000Z');
      return setHostStatus(s, 'B', 'contained', 'alice', '2025-07-01T01:00:00.000Z');
    });
    const b = bundleOf('bob', (s) => {
      s = decide(1, 'suspicious', 'bob', '2025-07-01T01:00:00.000Z')(s);
      s = decide(2, 'benign', 'bob', '2025-07-01T01:00:00.000Z')(s);
      s = decide(4, 'benign', 'bob', '2025-07-01T01:00:00.000Z')(s);
      s = toggleHostItem(s, 'B', 3, 'bob', '2025-07-01T02:00:00.000Z');
      return toggleHostItem(toggleHostItem(s, 'B', 1, 'bob', '2025-07-01T02:00:00.000Z'), 'B', 1, 'bob', '2025-07-01T03:00:00.000Z');
    });
    const r = review(a, b);
    // bob's bundle: hit 3 untriaged -> partial, merged malicious.
    expect(r.hosts.map((h) => [h.host, h.worst])).toEqual([
      ['B', 'malicious'],
      ['A', 'suspicious'],
      ['C', 'benign'],
    ]);
    const hostB = r.hosts[0];
    expect(hostB.status).toBe('contained');
    expect(hostB.checklist.map((i) => i.done)).toEqual([true, false, false, true, false]);
    expect(hostB.checklist[3]).toMatchObject({ by: 'bob' });
    expect(hostB.progress).toEqual({ done: 2, total: 5 });
    expect(r.open.openHosts).toEqual(['A']); // B is contained, C is benign
    expect(r.open.uncheckedActions.filter((x) => x.host === 'C')).toEqual([]);
    expect(r.open.uncheckedActions.filter((x) => x.host === 'B')).toHaveLength(3);
    expect(r.open.untriagedHits).toEqual([]);
    expect(r.analysts.map((x) => [x.analyst, x.reviewed, x.hits])).toEqual([
      ['alice', 1, 4],
      ['bob', 3, 4],
    ]);
  });

  it('refuses bundles of different hunts', () => {
    const other = { ...bundleOf('bob', (s) => s), hunt: { ...alice.hunt, version: '2.0' } };
    const r = reviewBundles([alice, other]);
    expect(r).toMatchObject({ ok: false, error: expect.stringMatching(/different hunts.*v1\.0.*v2\.0/) });
    expect(reviewBundles([])).toMatchObject({ ok: false });
  });

  it('unions hits of bundles over different exports', () => {
    const extra = { ...bundleOf('bob', (s) => s), hits: [{ ...alice.hits[0], id: 'evt-99', host: 'Z' }] };
    const r = review(alice, extra);
    expect(r.hits).toHaveLength(5);
    expect(r.hosts.map((h) => h.host)).toContain('Z');
  });
});
