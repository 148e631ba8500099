import { openDB } from 'idb';
import type { DBSchema, IDBPDatabase } from 'idb';
import { SESSION_SCHEMA, emptyVerdictCounts } from './model';
import type { TriageSession, Verdict } from './model';

/**
 * Triage sessions in IndexedDB, on the analyst's machine only. Every failure becomes a typed
 * `StorageStatus` the UI shows as it is, so work is never lost silently: the caller keeps the
 * in-memory session, tells the analyst to export a bundle, and tries again on the next change.
 */

export type StorageStatus = { kind: 'unavailable' | 'quota'; message: string };

export class TriageStorageError extends Error {
  readonly status: StorageStatus;
  constructor(status: StorageStatus, options?: { cause?: unknown }) {
    super(status.message, options);
    this.name = 'TriageStorageError';
    this.status = status;
  }
}

const DB_NAME = 'hunt-triage';
const DB_VERSION = 1;
/** Opening can hang forever when another tab holds an old version open ("blocked"). */
const OPEN_TIMEOUT_MS = 5000;

interface TriageDB extends DBSchema {
  sessions: { key: string; value: TriageSession; indexes: { updatedAt: string } };
}

const UNAVAILABLE_MESSAGE =
  'Browser storage (IndexedDB) is not available here, e.g. in a private window. Decisions are kept only in this tab until you export a bundle.';
const QUOTA_MESSAGE =
  'Browser storage is full, so the latest decisions could not be saved. They are kept in this tab; export a bundle now and free some space.';

function errorName(error: unknown): string {
  return typeof error === 'object' && error !== null && 'name' in error && typeof error.name === 'string' ? error.name : '';
}

function isQuotaError(error: unknown): boolean {
  const name = errorName(error);
  // Old Firefox names it NS_ERROR_DOM_QUOTA_REACHED; legacy DOMException code 22.
  if (name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED') return true;
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 22;
}

/** The status for any error a storage call raised. */
export function toStorageStatus(error: unknown): StorageStatus {
  if (error instanceof TriageStorageError) return error.status;
  if (isQuotaError(error)) return { kind: 'quota', message: QUOTA_MESSAGE };
  const detail = error instanceof Error && error.message !== '' ? ` (${error.message})` : '';
  return { kind: 'unavailable', message: `${UNAVAILABLE_MESSAGE}${detail}` };
}

function asStorageError(error: unknown): TriageStorageError {
  return error instanceof TriageStorageError ? error : new TriageStorageError(toStorageStatus(error), { cause: error });
}

let dbPromise: Promise<IDBPDatabase<TriageDB>> | null = null;

async function openStore(): Promise<IDBPDatabase<TriageDB>> {
  if (typeof indexedDB === 'undefined' || indexedDB === null) {
    throw new TriageStorageError({ kind: 'unavailable', message: UNAVAILABLE_MESSAGE });
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('opening the database timed out')), OPEN_TIMEOUT_MS);
  });
  try {
    const db = await Promise.race([
      openDB<TriageDB>(DB_NAME, DB_VERSION, {
        upgrade(database) {
          const sessions = database.createObjectStore('sessions', { keyPath: 'key' });
          sessions.createIndex('updatedAt', 'updatedAt');
        },
        terminated() {
          dbPromise = null;
        },
      }),
      timeout,
    ]);
    // Another tab upgrading must not be blocked by us; reopen lazily afterwards.
    db.addEventListener('versionchange', () => {
      db.close();
      dbPromise = null;
    });
    return db;
  } finally {
    clearTimeout(timer);
  }
}

function database(): Promise<IDBPDatabase<TriageDB>> {
  if (dbPromise === null) {
    dbPromise = openStore().catch((error: unknown) => {
      // Forget the failure so the next call retries (storage may come back, e.g. after a prompt).
      dbPromise = null;
      throw asStorageError(error);
    });
  }
  return dbPromise;
}

async function run<T>(operation: (db: IDBPDatabase<TriageDB>) => Promise<T>): Promise<T> {
  const db = await database();
  try {
    return await operation(db);
  } catch (error) {
    throw asStorageError(error);
  }
}

/** Closes the connection; the next call opens it again (tests swap the IndexedDB factory). */
export async function closeStore(): Promise<void> {
  const pending = dbPromise;
  dbPromise = null;
  if (pending === null) return;
  try {
    (await pending).close();
  } catch {
    // It never opened: nothing to close.
  }
}

/** Throws `TriageStorageError` when storage is unavailable or full. */
export async function saveSession(session: TriageSession): Promise<void> {
  await run((db) => db.put('sessions', session));
}

/** null when there is no session under `key` (or it was written by an unknown schema). */
export async function loadSession(key: string): Promise<TriageSession | null> {
  const session = await run((db) => db.get('sessions', key));
  return session !== undefined && session.schema === SESSION_SCHEMA ? session : null;
}

export async function deleteSession(key: string): Promise<void> {
  await run((db) => db.delete('sessions', key));
}

export interface SessionSummary extends Pick<TriageSession, 'key' | 'hunt' | 'datasets' | 'analyst' | 'createdAt' | 'updatedAt'> {
  /** Hits with a decision record, by verdict (hits never touched are not known to the store). */
  verdicts: Record<Verdict, number>;
  auditEntries: number;
}

export function summarise(session: TriageSession): SessionSummary {
  const verdicts = emptyVerdictCounts();
  for (const decision of Object.values(session.decisions)) verdicts[decision.verdict]++;
  return {
    key: session.key,
    hunt: session.hunt,
    datasets: session.datasets,
    analyst: session.analyst,
    createdAt: session.createdAt,
    updatedAt: session.updatedAt,
    verdicts,
    auditEntries: session.audit.length,
  };
}

/** Newest first. */
export async function listSessions(): Promise<SessionSummary[]> {
  const sessions = await run((db) => db.getAll('sessions'));
  return sessions
    .filter((s) => s.schema === SESSION_SCHEMA)
    .map(summarise)
    .sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0));
}

// ---------------------------------------------------------------------------------------------
// The analyst's name: small, synchronous and needed before any session loads, so localStorage,
// with an in-memory fallback where localStorage is blocked.

const ANALYST_KEY = 'hunt-triage.analyst';
let analystFallback = '';

function localStore(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    // Accessing localStorage itself throws when site data is blocked.
    return null;
  }
}

export function loadAnalystName(): string {
  try {
    return localStore()?.getItem(ANALYST_KEY) ?? analystFallback;
  } catch {
    return analystFallback;
  }
}

export function saveAnalystName(name: string): void {
  analystFallback = name;
  try {
    localStore()?.setItem(ANALYST_KEY, name);
  } catch {
    // Remembered for this tab only; the name is also stored in each session.
  }
}
