/**
 * Creates the hunt worker. The normal build loads it as a same-origin module file; the single-file
 * build swaps this module for huntWorker.single.ts (see the alias in vite.config.ts), because a
 * page opened from disk cannot load a worker from a sibling file.
 */
export function createHuntWorker(): Worker {
  return new Worker(new URL('../../worker/hunt.worker.ts', import.meta.url), { type: 'module' });
}
