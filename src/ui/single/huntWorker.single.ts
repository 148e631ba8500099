/**
 * Single-file build only (aliased over huntWorker.ts): the worker's bundle is embedded as text and
 * started from a Blob URL, which the single file's CSP allows (`worker-src blob:`).
 */
import InlineHuntWorker from '../../worker/hunt.worker.ts?worker&inline';

export function createHuntWorker(): Worker {
  return new InlineHuntWorker({ name: 'hunt' });
}
