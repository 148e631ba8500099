/**
 * Where the bundled hunt and the sample export come from. The normal build fetches them from the
 * app's own origin (public/); the single-file build swaps this module for embedded.single.ts (see
 * the alias in vite.config.ts), which carries both as text and never fetches.
 */
const BASE = import.meta.env.BASE_URL;
export const BUNDLED_HUNT_NAME = 'cloudflare-tunnel-webdav.md';
export const SAMPLE_NAME = 'xdr-sample.csv';

export async function loadBundledHunt(): Promise<string> {
  const url = `${BASE}hunts/${BUNDLED_HUNT_NAME}`;
  const r = await fetch(url);
  if (!r.ok) throw new Error(`HTTP ${r.status} for ${url}`);
  return r.text();
}

export async function loadSample(): Promise<File> {
  const r = await fetch(`${BASE}samples/${SAMPLE_NAME}`);
  if (!r.ok) throw new Error(`HTTP ${r.status}`);
  return new File([await r.blob()], SAMPLE_NAME, { type: 'text/csv' });
}
