import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSession, hitRef, setVerdict } from './model';
import {
  TriageStorageError,
  closeStore,
  deleteSession,
  listSessions,
  loadAnalystName,
  loadSession,
  saveAnalystName,
  saveSession,
  toStorageStatus,
} from './store';
import { createSessionSaver } from './saver';
import type { StorageStatus } from './store';
import { DATASETS, HUNT, makeHit } from './testing';

const T0 = '2025-07-01T10:00:00.000Z';

function session(analyst = 'alice', datasets = DATASETS) {
  const s = createSession({ hunt: HUNT, datasets, analyst, now: T0 });
  return setVerdict(s, [hitRef(makeHit(1))], 'malicious', analyst, '2025-07-01T10:05:00.000Z');
}

afterEach(async () => {
  vi.restoreAllMocks();
  await closeStore();
  indexedDB.deleteDatabase('hunt-triage');
});

describe('IndexedDB store', () => {
  it('saves, restores, lists and deletes sessions', async () => {
    const s = session();
    await saveSession(s);
    await closeStore(); // a reload: a new connection
    expect(await loadSession(s.key)).toEqual(s);
    const other = session('bob', [{ name: 'other.csv', size: 1, sha256: 'c'.repeat(64) }]);
    await saveSession({ ...other, updatedAt: '2025-07-02T00:00:00.000Z' });
    const list = await listSessions();
    expect(list.map((x) => x.analyst)).toEqual(['bob', 'alice']);
    expect(list[1]).toMatchObject({ key: s.key, verdicts: { malicious: 1 }, auditEntries: 1 });
    await deleteSession(s.key);
    expect(await loadSession(s.key)).toBeNull();
    expect(await listSessions()).toHaveLength(1);
  });

  it('reports quota errors as kind "quota"', async () => {
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    const error = await saveSession(session()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TriageStorageError);
    expect((error as TriageStorageError).status.kind).toBe('quota');
  });

  it('reports a missing IndexedDB as kind "unavailable", and recovers when it comes back', async () => {
    await closeStore();
    const original = globalThis.indexedDB;
    // @ts-expect-error -- simulating a browser without IndexedDB
    delete globalThis.indexedDB;
    try {
      const error = await loadSession('x').catch((e: unknown) => e);
      expect((error as TriageStorageError).status.kind).toBe('unavailable');
    } finally {
      globalThis.indexedDB = original;
    }
    expect(await loadSession('x')).toBeNull();
  });

  it('reports an open that throws (private mode) as "unavailable"', async () => {
    await closeStore();
    vi.spyOn(indexedDB, 'open').mockImplementation(() => {
      throw new DOMException('A mutation operation was attempted on a database that did not allow mutations.', 'InvalidStateError');
    });
    const error = await saveSession(session()).catch((e: unknown) => e);
    expect(toStorageStatus(error).kind).toBe('unavailable');
    expect(toStorageStatus(error).message).toMatch(/not available/);
  });

  it('remembers the analyst name', () => {
    saveAnalystName('Dana');
    expect(loadAnalystName()).toBe('Dana');
  });
});

describe('session saver', () => {
  it('writes the latest of several quick changes once, and flush writes at once', async () => {
    const saved: string[] = [];
    const saver = createSessionSaver({
      save: async (s) => void saved.push(s.updatedAt),
      onStatus: () => {},
      delayMs: 10_000,
    });
    saver.schedule({ ...session(), updatedAt: 'a' });
    saver.schedule({ ...session(), updatedAt: 'b' });
    await saver.flush();
    expect(saved).toEqual(['b']);
    await saver.flush();
    expect(saved).toEqual(['b']);
  });

  it('keeps a failed write, reports it, and retries on the next change', async () => {
    const statuses: (StorageStatus | null)[] = [];
    let fail = true;
    const saved: string[] = [];
    const saver = createSessionSaver({
      save: async (s) => {
        if (fail) throw new DOMException('full', 'QuotaExceededError');
        saved.push(s.updatedAt);
      },
      onStatus: (st) => statuses.push(st),
      delayMs: 1,
    });
    saver.schedule({ ...session(), updatedAt: 'first' });
    await saver.flush();
    expect(statuses.at(-1)?.kind).toBe('quota');
    fail = false;
    await saver.flush(); // e.g. pagehide: the kept session is retried
    expect(saved).toEqual(['first']);
    expect(statuses.at(-1)).toBeNull();
  });

  it('works end to end against IndexedDB with a quota failure in the middle', async () => {
    const statuses: (StorageStatus | null)[] = [];
    const saver = createSessionSaver({ save: saveSession, onStatus: (s) => statuses.push(s), delayMs: 1 });
    const s = session();
    const put = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('full', 'QuotaExceededError');
    });
    saver.schedule(s);
    await saver.flush();
    expect(statuses).toEqual([expect.objectContaining({ kind: 'quota' })]);
    expect(await loadSession(s.key)).toBeNull();
    put.mockRestore();
    const next = setVerdict(s, [hitRef(makeHit(2))], 'benign', 'alice', '2025-07-01T10:06:00.000Z');
    saver.schedule(next);
    await saver.flush();
    expect(statuses.at(-1)).toBeNull();
    expect(await loadSession(s.key)).toEqual(next);
  });
});
