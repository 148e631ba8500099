import { bundleToJson } from './bundle';
import type { TriageBundle } from './bundle';
import { bundleToCsv } from './csv';
import { reviewToHtml, reviewToMarkdown } from './report';
import { reviewBundles } from './review';

/**
 * The export surface: every output is derived from one `TriageBundle`, so the JSON, CSV,
 * Markdown and HTML an analyst downloads together always describe the same state.
 * Formats live in bundle.ts (JSON), csv.ts and report.ts (Markdown, HTML).
 */

export { BUNDLE_SCHEMA, BUNDLE_VERSION, buildBundle, bundleHit, bundleToJson, parseBundle, sessionFromBundle } from './bundle';
export type { BundleHit, ParseBundleResult, TriageBundle } from './bundle';
export { bundleToCsv, csvCell, neutraliseCell, quoteCell } from './csv';
export { codeSpan, escapeHtml, markdownText, reviewToHtml, reviewToMarkdown, REPORT_CSP } from './report';
export { defang } from './defang';

export type ExportKind = 'bundle' | 'csv' | 'markdown' | 'html';

export interface ExportFile {
  filename: string;
  mime: string;
  text: string;
}

/** File-name safe: letters, digits, dot, dash, underscore. */
function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'hunt';
}

export function exportFile(bundle: TriageBundle, kind: ExportKind): ExportFile {
  const stamp = bundle.exportedAt.replace(/[:.]/g, '-');
  const who = bundle.exportedBy ? `-${slug(bundle.exportedBy)}` : '';
  const base = `triage-${slug(bundle.hunt.id || bundle.hunt.title)}${who}-${stamp}`;
  switch (kind) {
    case 'bundle':
      return { filename: `${base}.json`, mime: 'application/json', text: bundleToJson(bundle) };
    case 'csv':
      return { filename: `${base}.csv`, mime: 'text/csv;charset=utf-8', text: bundleToCsv(bundle) };
    case 'markdown':
      return { filename: `${base}.md`, mime: 'text/markdown;charset=utf-8', text: reviewToMarkdown(singleReview(bundle)) };
    case 'html':
      return {
        filename: `${base}.html`,
        mime: 'text/html;charset=utf-8',
        text: reviewToHtml(singleReview(bundle), { generatedAt: bundle.exportedAt }),
      };
  }
}

function singleReview(bundle: TriageBundle) {
  const result = reviewBundles([bundle]);
  // One bundle is always one hunt; the error branch cannot happen.
  if (!result.ok) throw new Error(result.error);
  return result.review;
}
