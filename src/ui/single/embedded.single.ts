/**
 * Single-file build only (aliased over embedded.ts): the bundled hunt and the sample are compiled
 * into the page, because a file:// page may not fetch (its CSP says `connect-src 'none'`).
 */
import huntMarkdown from '../../../public/hunts/cloudflare-tunnel-webdav.md?raw';
import sampleCsv from '../../../public/samples/xdr-sample.csv?raw';

export const BUNDLED_HUNT_NAME = 'cloudflare-tunnel-webdav.md';
export const SAMPLE_NAME = 'xdr-sample.csv';

export function loadBundledHunt(): Promise<string> {
  return Promise.resolve(huntMarkdown);
}

export function loadSample(): Promise<File> {
  return Promise.resolve(new File([sampleCsv], SAMPLE_NAME, { type: 'text/csv' }));
}
