import { createHash } from 'node:crypto';
import { defineConfig, type Plugin } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { viteSingleFile } from 'vite-plugin-singlefile';

/**
 * The built app never talks to the network: scripts, workers and fetches are same-origin only,
 * no inline script, no remote fonts or images. Inline styles stay allowed because recharts and the
 * virtualised table position elements with style attributes. Dev mode is left alone (Vite's HMR
 * client needs inline script and a websocket).
 *
 * 'wasm-unsafe-eval' lets hash-wasm compile its embedded SHA-256 WebAssembly module (the worker's
 * fingerprints, src/worker/fileInput.ts). It allows WebAssembly compilation only, not eval() or
 * new Function() ('unsafe-eval' stays forbidden). A Blob-URL worker (the single file's) inherits
 * this policy, so without it the single-file build could not hash at all.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
].join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'hunt-triage-csp',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP }, injectTo: 'head-prepend' }],
    },
  };
}

/**
 * The single-file build inlines its script, so 'self' cannot cover it: the policy names the
 * inline scripts by hash instead, computed after the bundle is inlined.
 */
function singleFileCsp(): Plugin {
  return {
    name: 'hunt-triage-single-file-csp',
    apply: 'build',
    enforce: 'post',
    // 'post' order: vite-plugin-singlefile inlines in its own 'post' generateBundle, listed before
    // this plugin; hashing earlier would hash an HTML with no inline script at all.
    generateBundle: {
      order: 'post',
      handler(_options, bundle) {
        for (const asset of Object.values(bundle)) {
          if (asset.type !== 'asset' || !asset.fileName.endsWith('.html')) continue;
          const html = String(asset.source);
          const hashes = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)]
            .map((match) => match[1] ?? '')
            .filter((body) => body.length > 0)
            .map((body) => `'sha256-${createHash('sha256').update(body).digest('base64')}'`);
          const policy = CSP.replace("script-src 'self'", `script-src ${hashes.join(' ')}`).replace(
            "connect-src 'self'",
            "connect-src 'none'",
          );
          asset.source = html.replace(/<meta http-equiv="Content-Security-Policy" content="[^"]*"\s*\/?>/, `<meta http-equiv="Content-Security-Policy" content="${policy}">`);
        }
      },
    },
  };
}

export default defineConfig(({ mode }) => {
  const single = mode === 'single';
  return {
    plugins: [react(), contentSecurityPolicy(), ...(single ? [viteSingleFile(), singleFileCsp()] : [])],
    // Chromium refuses module workers from a Blob URL in a file:// page (opaque origin), so the
    // single file's embedded worker is a classic script.
    worker: { format: single ? 'iife' : 'es' },
    // The single file swaps two modules for variants that embed the worker, the bundled hunt and
    // the sample (src/ui/single/*.single.ts); the normal build never sees them.
    resolve: single ? { alias: [{ find: /^(.*\/single\/(?:huntWorker|embedded))$/, replacement: '$1.single' }] } : {},
    build: {
      target: 'es2022',
      sourcemap: false,
      chunkSizeWarningLimit: 2000,
      outDir: single ? 'dist-single' : 'dist',
      // The single file must not point at public/ files it cannot fetch from disk.
      copyPublicDir: !single,
    },
    server: { port: 5173, host: '127.0.0.1' },
    preview: { port: 4173, strictPort: true },
    test: {
      include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
      environment: 'node',
      testTimeout: 30000,
    },
  };
});
