import { HOST_STATUS_LABELS, VERDICTS, VERDICT_LABELS } from './model';
import type { Verdict } from './model';
import { defang } from './defang';
import { valueText } from './csv';
import type { BundleHit } from './bundle';
import type { MergedHit, Review } from './review';

/**
 * Human-readable outputs of a review (one analyst's bundle reviewed alone, or the team lead's
 * merge): a Markdown summary to paste into a ticket and a self-contained HTML report to print or
 * attach. Field values are attacker-influenced, so they are defanged (no live links in tickets)
 * and, in HTML, escaped; the HTML carries a CSP that forbids scripts and any fetch.
 */

const ESCALATED: readonly Verdict[] = ['malicious', 'suspicious'];

function escalatedHits(review: Review): MergedHit[] {
  return review.hits
    .filter((h) => ESCALATED.includes(h.verdict))
    .sort((a, b) => ESCALATED.indexOf(a.verdict) - ESCALATED.indexOf(b.verdict));
}

function fieldNames(hits: readonly BundleHit[]): string[] {
  const names = new Set<string>();
  for (const h of hits) for (const f of Object.keys(h.fields)) names.add(f);
  return [...names];
}

function shortHash(sha256: string): string {
  return `${sha256.slice(0, 12)}…`;
}

function latestDecision(h: MergedHit) {
  const decided = h.decisions.filter((d) => d.verdict === h.verdict);
  return decided[decided.length - 1] ?? null;
}

// ---------------------------------------------------------------------------------------------
// Markdown

/** A code span that survives any backticks inside (CommonMark: fence longer than any run). */
export function codeSpan(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat === '' ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** Plain analyst text in Markdown: no markup, links or HTML take effect; stays on one line. */
export function markdownText(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[\\`*_{}[\]()<>#|~!]/g, (c) => `\\${c}`);
}

export function reviewToMarkdown(review: Review): string {
  const out: string[] = [];
  const { hunt } = review;
  out.push(`# Hunt triage: ${markdownText(hunt.title)}`, '');
  out.push(`- **Hunt:** ${codeSpan(hunt.id || '(no id)')} version ${markdownText(hunt.version ?? 'unknown')}`);
  out.push(
    `- **Analysts:** ${review.analysts.map((a) => `${markdownText(a.analyst)} (exported ${a.exportedAt}, ${a.reviewed} of ${a.hits} reviewed)`).join('; ')}`,
  );
  out.push(
    `- **Datasets:** ${review.datasets.map((d) => `${codeSpan(d.name)} (${d.size} bytes, SHA-256 ${codeSpan(d.sha256)})`).join('; ') || 'none'}`,
  );
  out.push(`- **Reviewed:** ${review.reviewed.done} of ${review.reviewed.total} hits`, '');

  out.push('## Verdicts', '', '| Verdict | Hits |', '| --- | ---: |');
  for (const v of VERDICTS) out.push(`| ${VERDICT_LABELS[v]} | ${review.verdicts[v]} |`);
  out.push('');

  out.push('## Hosts', '', '| Host | Worst verdict | Hits | Status | Response actions done |', '| --- | --- | ---: | --- | --- |');
  for (const h of review.hosts) {
    out.push(
      `| ${codeSpan(h.host).replaceAll('|', '\\|')} | ${VERDICT_LABELS[h.worst]} | ${h.hits} | ${HOST_STATUS_LABELS[h.status]} | ${h.progress.done} of ${h.progress.total} |`,
    );
  }
  out.push('');

  const escalated = escalatedHits(review);
  out.push('## Malicious and suspicious hits', '');
  if (escalated.length === 0) out.push('None.', '');
  escalated.forEach((h, i) => {
    const d = latestDecision(h);
    out.push(`### ${i + 1}. ${VERDICT_LABELS[h.verdict]} on ${codeSpan(h.hit.host)}`, '');
    for (const [field, value] of Object.entries(h.hit.fields)) {
      out.push(`- ${markdownText(field)}: ${codeSpan(defang(valueText(field, value)))}`);
    }
    out.push(`- Event: ${codeSpan(h.hit.eventId)} (${codeSpan(`${h.hit.source.file}#${h.hit.source.row}`)})`);
    if (d !== null) {
      out.push(`- Decided by ${markdownText(d.analyst)} at ${d.at ?? 'unknown time'}`);
      if (d.reason !== '') out.push(`- Reason: ${markdownText(d.reason)}`);
      if (d.notes !== '') out.push(`- Notes: ${markdownText(d.notes)}`);
    }
    if (h.status === 'conflict') out.push(`- **Conflict:** ${conflictText(h)}`);
    out.push('');
  });

  if (review.conflicts.length > 0) {
    out.push('## Conflicts', '');
    for (const c of review.conflicts) {
      out.push(
        `- ${codeSpan(c.hit.eventId)} on ${codeSpan(c.hit.host)}: ${c.decisions.map((d) => `${markdownText(d.analyst)}: ${VERDICT_LABELS[d.verdict]} (${d.at ?? '?'})`).join(' vs ')}`,
      );
    }
    out.push('');
  }

  out.push('## Open items', '');
  const { open } = review;
  out.push(`- Untriaged hits: ${open.untriagedHits.length}`);
  out.push(`- Hosts still open: ${open.openHosts.length === 0 ? 'none' : open.openHosts.map(codeSpan).join(', ')}`);
  for (const a of open.uncheckedActions) out.push(`- [ ] ${codeSpan(a.host)}: ${markdownText(a.item)}`);
  out.push('', 'Indicators are defanged (`hxxp`, `[.]`).', '');
  return out.join('\n');
}

function conflictText(h: MergedHit): string {
  return h.decisions
    .filter((d) => d.verdict !== 'untriaged')
    .map((d) => `${markdownText(d.analyst)} said ${VERDICT_LABELS[d.verdict]}`)
    .join(', ');
}

// ---------------------------------------------------------------------------------------------
// HTML

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'";

const REPORT_CSS = `
body { font: 14px/1.45 system-ui, sans-serif; color: #111; margin: 2rem; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 1.6rem; border-bottom: 1px solid #999; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { border: 1px solid #bbb; padding: .25rem .4rem; text-align: left; vertical-align: top; }
th { background: #eee; }
td.num { text-align: right; }
code { font: 12px/1.3 ui-monospace, monospace; white-space: pre-wrap; word-break: break-all; }
.v-malicious { color: #a00; font-weight: bold; } .v-suspicious { color: #a60; font-weight: bold; }
.muted { color: #555; }
@media print {
  body { margin: 0; font-size: 11px; }
  h2 { break-after: avoid; }
  tr, li { break-inside: avoid; }
  thead { display: table-header-group; }
  th { background: none; }
}
`;

function td(text: string, className?: string): string {
  return `<td${className ? ` class="${className}"` : ''}>${escapeHtml(text)}</td>`;
}

function codeTd(text: string): string {
  return `<td><code>${escapeHtml(text)}</code></td>`;
}

export function reviewToHtml(review: Review, options: { generatedAt: string }): string {
  const { hunt } = review;
  const parts: string[] = [];
  parts.push(
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`,
    '<meta name="referrer" content="no-referrer">',
    `<title>${escapeHtml(`Hunt triage: ${hunt.title}`)}</title>`,
    `<style>${REPORT_CSS}</style></head><body>`,
    `<h1>Hunt triage: ${escapeHtml(hunt.title)}</h1>`,
    '<table><tbody>',
    `<tr><th>Hunt</th><td><code>${escapeHtml(hunt.id || '(no id)')}</code> version ${escapeHtml(hunt.version ?? 'unknown')}</td></tr>`,
    `<tr><th>Analysts</th>${td(review.analysts.map((a) => `${a.analyst} (exported ${a.exportedAt}, ${a.reviewed} of ${a.hits} reviewed)`).join('; '))}</tr>`,
    `<tr><th>Datasets</th>${td(review.datasets.map((d) => `${d.name} (${d.size} bytes, SHA-256 ${shortHash(d.sha256)})`).join('; ') || 'none')}</tr>`,
    `<tr><th>Reviewed</th>${td(`${review.reviewed.done} of ${review.reviewed.total} hits`)}</tr>`,
    `<tr><th>Generated</th>${td(options.generatedAt)}</tr>`,
    '</tbody></table>',
  );

  parts.push('<h2>Verdicts</h2><table><thead><tr><th>Verdict</th><th>Hits</th></tr></thead><tbody>');
  for (const v of VERDICTS) parts.push(`<tr>${td(VERDICT_LABELS[v], `v-${v}`)}${td(String(review.verdicts[v]), 'num')}</tr>`);
  parts.push('</tbody></table>');

  parts.push(
    '<h2>Hosts</h2><table><thead><tr><th>Host</th><th>Worst verdict</th><th>Hits</th><th>Status</th><th>Response actions</th></tr></thead><tbody>',
  );
  for (const h of review.hosts) {
    const items = h.checklist
      .map((i) => `<li>${i.done ? '☑' : '☐'} ${escapeHtml(i.text)}${i.done && i.by ? ` <span class="muted">(${escapeHtml(`${i.by}, ${i.at ?? ''}`)})</span>` : ''}</li>`)
      .join('');
    parts.push(
      `<tr>${codeTd(h.host)}${td(VERDICT_LABELS[h.worst], `v-${h.worst}`)}${td(String(h.hits), 'num')}${td(HOST_STATUS_LABELS[h.status])}<td>${escapeHtml(`${h.progress.done} of ${h.progress.total} done`)}<ul>${items}</ul></td></tr>`,
    );
  }
  parts.push('</tbody></table>');

  if (review.conflicts.length > 0) {
    parts.push('<h2>Conflicts</h2><ul>');
    for (const c of review.conflicts) {
      parts.push(
        `<li><code>${escapeHtml(c.hit.eventId)}</code> on <code>${escapeHtml(c.hit.host)}</code>: ${escapeHtml(c.decisions.map((d) => `${d.analyst}: ${VERDICT_LABELS[d.verdict]} (${d.at ?? '?'})`).join(' vs '))}</li>`,
      );
    }
    parts.push('</ul>');
  }

  const { open } = review;
  parts.push(
    '<h2>Open items</h2><ul>',
    `<li>${escapeHtml(`Untriaged hits: ${open.untriagedHits.length}`)}</li>`,
    `<li>${escapeHtml(`Hosts still open: ${open.openHosts.join(', ') || 'none'}`)}</li>`,
    ...open.uncheckedActions.map((a) => `<li>☐ ${escapeHtml(`${a.host}: ${a.item}`)}</li>`),
    '</ul>',
  );

  const hits = [...escalatedHits(review), ...review.hits.filter((h) => !ESCALATED.includes(h.verdict))];
  const fields = fieldNames(hits.map((h) => h.hit));
  parts.push(
    '<h2>Hits</h2><p class="muted">Malicious and suspicious first. Indicators are defanged (hxxp, [.]).</p>',
    `<table><thead><tr>${['Verdict', ...fields, 'Reason', 'Notes', 'Analyst', 'Source'].map((f) => `<th>${escapeHtml(f)}</th>`).join('')}</tr></thead><tbody>`,
  );
  for (const h of hits) {
    const d = latestDecision(h);
    const verdictText = h.status === 'conflict' ? `${VERDICT_LABELS[h.verdict]} (conflict)` : VERDICT_LABELS[h.verdict];
    parts.push(
      `<tr>${td(verdictText, `v-${h.verdict}`)}${fields.map((f) => codeTd(defang(valueText(f, h.hit.fields[f])))).join('')}${td(d?.reason ?? '')}${td(d?.notes ?? '')}${td(d?.analyst ?? '')}${td(`${h.hit.source.file}#${h.hit.source.row}`)}</tr>`,
    );
  }
  parts.push('</tbody></table></body></html>', '');
  return parts.join('\n');
}
