import { toStorageStatus } from './store';
import type { StorageStatus } from './store';
import type { TriageSession } from './model';

/**
 * Saves the latest session shortly after each change. Changes inside the delay are written once
 * (a bulk verdict or typing notes is one write); `flush()` writes at once and is called on
 * pagehide / visibilitychange so closing the tab inside the delay loses nothing. Writes run one
 * at a time, so a slow failure can never overwrite the status of a later success. A failed write
 * is kept and retried on the next change or flush; the session itself stays in memory.
 */
export interface SessionSaver {
  schedule(session: TriageSession): void;
  flush(): Promise<void>;
  /** Stops the timer; a pending change is written first. */
  dispose(): Promise<void>;
}

export const SAVE_DELAY_MS = 150;

export function createSessionSaver(options: {
  save(session: TriageSession): Promise<void>;
  /** null after a successful write, a status after a failed one. */
  onStatus(status: StorageStatus | null): void;
  delayMs?: number;
}): SessionSaver {
  const delay = options.delayMs ?? SAVE_DELAY_MS;
  let pending: TriageSession | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let chain: Promise<void> = Promise.resolve();

  function write(): Promise<void> {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    chain = chain.then(async () => {
      const session = pending;
      if (session === null) return;
      pending = null;
      try {
        await options.save(session);
        options.onStatus(null);
      } catch (error) {
        // Keep it for the retry unless a newer change has arrived meanwhile.
        pending ??= session;
        options.onStatus(toStorageStatus(error));
      }
    });
    return chain;
  }

  return {
    schedule(session) {
      pending = session;
      if (timer === null) timer = setTimeout(() => void write(), delay);
    },
    flush: write,
    dispose: write,
  };
}
