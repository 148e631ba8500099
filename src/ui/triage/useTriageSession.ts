import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { TriageHit as Hit } from '../../triage/model';
import type { Hunt } from '../../hunt/types';
import {
  createSession,
  hitId,
  hitRef,
  reviewedCount,
  sessionKey,
  setHostStatus as setHostStatusIn,
  setNotes as setNotesIn,
  setReason as setReasonIn,
  setSessionAnalyst,
  setVerdict as setVerdictIn,
  toggleHitItem as toggleHitItemIn,
  toggleHostItem as toggleHostItemIn,
  verdictOf as verdictIn,
} from '../../triage/model';
import type { DatasetFingerprint, HostStatus, Progress, TriageSession, Verdict } from '../../triage/model';
import { loadAnalystName, loadSession, saveAnalystName, saveSession, toStorageStatus } from '../../triage/store';
import type { StorageStatus } from '../../triage/store';
import { createSessionSaver } from '../../triage/saver';
import { buildBundle, exportFile, sessionFromBundle } from '../../triage/export';
import type { ExportKind, TriageBundle } from '../../triage/export';
import { downloadText } from '../../triage/download';

export interface UseTriageSessionArgs {
  /** The hunt being run; null before one is loaded. */
  hunt: Hunt | null;
  /** The worker's per-file fingerprints after a run; null before the run has finished. */
  fingerprints: readonly DatasetFingerprint[] | null;
  /** The run's hits (final order). */
  hits: readonly Hit[];
}

export interface TriageController {
  /** The session for the current hunt + export; null until it is loaded (or there is no run). */
  session: TriageSession | null;
  /** A storage problem to show (`StorageWarning`); null while saving works. */
  storage: StorageStatus | null;
  analyst: string;
  /** True while `AnalystName` should be shown: a change is waiting for the analyst's name. */
  analystPrompt: boolean;
  /** Saves the name, applies the waiting change. */
  confirmAnalyst(name: string): void;
  /** Drops the waiting change. */
  cancelAnalyst(): void;
  /** Asks for the name again (e.g. a "change analyst" link). */
  changeAnalyst(): void;
  /** Reviewed (verdict other than untriaged) of all hits in the run. */
  progress: Progress;
  verdictOf(hit: Hit): Verdict;
  setVerdict(hits: readonly Hit[], verdict: Verdict): void;
  setReason(hits: readonly Hit[], reason: string): void;
  setNotes(hits: readonly Hit[], notes: string): void;
  toggleHitItem(hit: Hit, index: number): void;
  toggleHostItem(host: string, index: number): void;
  setHostStatus(host: string, status: HostStatus): void;
  /** Replaces the session with a bundle's; false (nothing changes) when it is for another hunt or export. */
  restore(bundle: TriageBundle): boolean;
  /** The current state as a bundle; null without a session. */
  bundle(): TriageBundle | null;
  /** Downloads the bundle, CSV, Markdown summary or HTML report. */
  download(kind: ExportKind): void;
  /** Writes a pending change now. */
  flush(): Promise<void>;
}

type Update = (session: TriageSession, analyst: string, now: string) => TriageSession;

function queryOf(hunt: Hunt | null): string | null {
  return hunt?.queries.find((q) => q.supported)?.code ?? null;
}

/**
 * Owns the triage session of the current run: loads it from IndexedDB when the export's
 * fingerprints arrive (or starts a new one), applies the pure updates from src/triage/model.ts,
 * and saves every change shortly after (flushed on pagehide and when the tab is hidden).
 * When storage fails the session lives on in memory and `storage` says why.
 */
export function useTriageSession({ hunt, fingerprints, hits }: UseTriageSessionArgs): TriageController {
  // No fingerprints yet (or an empty list before a run finishes): no session to load.
  const key = hunt !== null && fingerprints !== null && fingerprints.length > 0 ? sessionKey(hunt, fingerprints) : null;
  const [loaded, setLoaded] = useState<TriageSession | null>(null);
  const [storage, setStorage] = useState<StorageStatus | null>(null);
  const [analyst, setAnalyst] = useState(loadAnalystName);
  const [analystPrompt, setAnalystPrompt] = useState(false);
  const [saver] = useState(() => createSessionSaver({ save: saveSession, onStatus: setStorage }));

  // Derived, not reset in an effect: a session of another key is never shown.
  const session = loaded !== null && loaded.key === key ? loaded : null;

  // Latest values for the event handlers below (they run after commit, so effects are in time).
  const sessionRef = useRef<TriageSession | null>(null);
  const analystRef = useRef(analyst);
  const argsRef = useRef({ hunt, fingerprints, hits });
  const pendingRef = useRef<((analyst: string) => void) | null>(null);
  useEffect(() => {
    sessionRef.current = session;
    analystRef.current = analyst;
    argsRef.current = { hunt, fingerprints, hits };
  });

  useEffect(() => {
    if (key === null) return;
    let cancelled = false;
    loadSession(key)
      .catch((error: unknown) => {
        setStorage(toStorageStatus(error));
        return null;
      })
      .then((found) => {
        if (cancelled) return;
        const { hunt: h, fingerprints: f } = argsRef.current;
        let next = found;
        if (next === null) {
          if (h === null || f === null) return;
          next = createSession({ hunt: h, datasets: f, analyst: analystRef.current, now: new Date().toISOString() });
        }
        sessionRef.current = next;
        setLoaded(next);
      });
    return () => {
      cancelled = true;
    };
  }, [key]);

  useEffect(() => {
    const flushNow = () => void saver.flush();
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') flushNow();
    };
    window.addEventListener('pagehide', flushNow);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      window.removeEventListener('pagehide', flushNow);
      document.removeEventListener('visibilitychange', onVisibility);
      flushNow();
    };
  }, [saver]);

  const commit = useCallback(
    (next: TriageSession) => {
      sessionRef.current = next;
      setLoaded(next);
      saver.schedule(next);
    },
    [saver],
  );

  const apply = useCallback(
    (update: Update) => {
      const run = (name: string) => {
        const current = sessionRef.current;
        if (current === null) return;
        const next = update(setSessionAnalyst(current, name), name, new Date().toISOString());
        if (next !== current) commit(next);
      };
      if (sessionRef.current === null) return;
      if (analystRef.current.trim() === '') {
        // Asked once, at the first decision, so nobody is asked for a name just to look.
        pendingRef.current = run;
        setAnalystPrompt(true);
        return;
      }
      run(analystRef.current);
    },
    [commit],
  );

  const confirmAnalyst = useCallback((name: string) => {
    const trimmed = name.trim();
    if (trimmed === '') return;
    saveAnalystName(trimmed);
    analystRef.current = trimmed;
    setAnalyst(trimmed);
    setAnalystPrompt(false);
    const pending = pendingRef.current;
    pendingRef.current = null;
    pending?.(trimmed);
  }, []);

  const cancelAnalyst = useCallback(() => {
    pendingRef.current = null;
    setAnalystPrompt(false);
  }, []);

  const changeAnalyst = useCallback(() => setAnalystPrompt(true), []);

  const makeBundle = useCallback((): TriageBundle | null => {
    const current = sessionRef.current;
    if (current === null) return null;
    const { hunt: h, hits: hs } = argsRef.current;
    return buildBundle({ session: current, hits: hs, query: queryOf(h), exportedBy: analystRef.current || current.analyst, now: new Date().toISOString() });
  }, []);

  const ids = useMemo(() => hits.map(hitId), [hits]);
  const progress = useMemo(() => (session === null ? { done: 0, total: ids.length } : reviewedCount(session, ids)), [session, ids]);

  return {
    session,
    storage,
    analyst,
    analystPrompt,
    confirmAnalyst,
    cancelAnalyst,
    changeAnalyst,
    progress,
    verdictOf: (hit) => (session === null ? 'untriaged' : verdictIn(session, hitId(hit))),
    setVerdict: (targets, verdict) => apply((s, a, now) => setVerdictIn(s, targets.map(hitRef), verdict, a, now)),
    setReason: (targets, reason) => apply((s, a, now) => setReasonIn(s, targets.map(hitRef), reason, a, now)),
    setNotes: (targets, notes) => apply((s, a, now) => setNotesIn(s, targets.map(hitRef), notes, a, now)),
    toggleHitItem: (hit, index) => apply((s, a, now) => toggleHitItemIn(s, hitRef(hit), index, a, now)),
    toggleHostItem: (host, index) => apply((s, a, now) => toggleHostItemIn(s, host, index, a, now)),
    setHostStatus: (host, status) => apply((s, a, now) => setHostStatusIn(s, host, status, a, now)),
    restore: (bundle) => {
      if (key === null || bundle.session.key !== key) return false;
      commit(sessionFromBundle(bundle));
      return true;
    },
    bundle: makeBundle,
    download: (kind) => {
      const b = makeBundle();
      if (b === null) return;
      const file = exportFile(b, kind);
      downloadText(file.filename, file.text, file.mime);
    },
    flush: () => saver.flush(),
  };
}
