import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { createSession, hitRef, setVerdict, toggleHostItem, verdictOf, hitId } from '../../triage/model';
import type { TriageSession } from '../../triage/model';
import { buildBundle } from '../../triage/bundle';
import { routeBundles } from '../../triage/review';
import { DATASETS, HUNT, makeHit } from '../../triage/testing';
import type { TriageController } from './useTriageSession';
import { BulkBar, VerdictControls } from './VerdictControls';
import { HitChecklist, HostChecklist } from './Checklists';
import { ReviewedProgress } from './ReviewedProgress';
import { StorageWarning } from './StorageWarning';
import { ReviewView } from './ReviewView';
import { AnalystName } from './AnalystName';
import { verdictForKey } from './useVerdictShortcuts';

const hits = [makeHit(1, { host: 'WS-A' }), makeHit(2, { host: 'WS-A' }), makeHit(3, { host: 'WS-B' })];

function controller(session: TriageSession): TriageController {
  const noop = () => {};
  return {
    session,
    storage: null,
    analyst: 'alice',
    analystPrompt: false,
    confirmAnalyst: noop,
    cancelAnalyst: noop,
    changeAnalyst: noop,
    progress: { done: 1, total: 3 },
    verdictOf: (h) => verdictOf(session, hitId(h)),
    setVerdict: noop,
    setReason: noop,
    setNotes: noop,
    toggleHitItem: noop,
    toggleHostItem: noop,
    setHostStatus: noop,
    restore: () => false,
    bundle: () => null,
    download: noop,
    flush: async () => {},
  };
}

function worked() {
  let s = createSession({ hunt: HUNT, datasets: DATASETS, analyst: 'alice', now: '2025-07-01T00:00:00.000Z' });
  s = setVerdict(s, [hitRef(hits[0])], 'malicious', 'alice', '2025-07-01T01:00:00.000Z');
  return toggleHostItem(s, 'WS-A', 0, 'alice', '2025-07-01T02:00:00.000Z');
}

describe('triage components (static render)', () => {
  it('VerdictControls shows the verdict select with every verdict, bulk actions and the audit trail', () => {
    const html = renderToStaticMarkup(createElement(VerdictControls, { triage: controller(worked()), hit: hits[0], hits }));
    expect(html).toContain('data-testid="verdict-select"');
    for (const v of ['untriaged', 'benign', 'false_positive', 'suspicious', 'malicious']) expect(html).toContain(`value="${v}"`);
    expect(html).toMatch(/<option value="malicious" selected="">/);
    expect(html).toContain('Apply “Malicious” to');
    expect(html).toContain('all 2 on this host');
    expect(html).toContain('data-testid="bulk-pattern-text"');
    // The selected-rows button appears only for a real selection.
    expect(html).not.toContain('data-testid="bulk-selected"');
    expect(html).toContain('data-testid="audit-entry"');
    expect(html).toContain('2025-07-01 01:00:00 UTC');
  });

  it('VerdictControls offers the bulk selection, and BulkBar sets one verdict for it', () => {
    const html = renderToStaticMarkup(createElement(VerdictControls, { triage: controller(worked()), hit: hits[0], hits, selected: hits.slice(0, 2) }));
    expect(html).toContain('data-testid="bulk-selected"');
    expect(html).toContain('2 selected rows');
    const bar = renderToStaticMarkup(createElement(BulkBar, { count: 3, onVerdict: () => {}, onClear: () => {} }));
    expect(bar).toContain('3 selected');
    expect(bar).toContain('data-testid="bulk-verdict"');
  });

  it('HostChecklist shows each host with progress and who ticked', () => {
    const html = renderToStaticMarkup(createElement(HostChecklist, { triage: controller(worked()), hits }));
    expect(html).toContain('data-testid="checklist"');
    expect(html.match(/data-testid="host-checklist"/g)).toHaveLength(2);
    // WS-A needs action (a malicious hit, a ticked item) and is open with its body; WS-B is
    // collapsed and builds its status select and items when it is first opened.
    expect(html).toMatch(/data-host="WS-A"[^>]*open=""/);
    expect(html).not.toMatch(/data-host="WS-B"[^>]*open=""/);
    expect(html.match(/data-testid="checklist-item"/g)).toHaveLength(5);
    expect(html.match(/data-testid="host-status"/g)).toHaveLength(1);
    expect(html).toContain('aria-label="0 of 5 response actions done"');
    expect(html).toContain('aria-label="1 of 5 response actions done"');
    expect(html).toContain('>1/5</span>');
    expect(html).toContain('alice');
  });

  it('HitChecklist lists considerations and false positives', () => {
    const html = renderToStaticMarkup(createElement(HitChecklist, { triage: controller(worked()), hit: hits[0] }));
    expect(html.match(/data-testid="hit-checklist-item"/g)).toHaveLength(3);
    expect(html).toContain('data-kind="false_positive"');
  });

  it('ReviewedProgress text is exactly "N of M"', () => {
    const html = renderToStaticMarkup(createElement(ReviewedProgress, { progress: { done: 2, total: 7 } }));
    expect(html).toContain('<span data-testid="reviewed-progress">2 of 7</span>');
  });

  it('StorageWarning renders only with a status, with the export action', () => {
    expect(renderToStaticMarkup(createElement(StorageWarning, { status: null, onExport: () => {} }))).toBe('');
    const html = renderToStaticMarkup(createElement(StorageWarning, { status: { kind: 'quota', message: 'full' }, onExport: () => {} }));
    expect(html).toContain('data-testid="storage-warning"');
    expect(html).toContain('Export bundle now');
  });

  it('ReviewView lists conflicts', () => {
    const a = buildBundle({ session: worked(), hits, query: null, now: '2025-07-02T00:00:00.000Z' });
    let bobSession = createSession({ hunt: HUNT, datasets: DATASETS, analyst: 'bob', now: '2025-07-01T00:00:00.000Z' });
    bobSession = setVerdict(bobSession, [hitRef(hits[0])], 'benign', 'bob', '2025-07-01T03:00:00.000Z');
    const b = buildBundle({ session: bobSession, hits, query: null, now: '2025-07-02T00:00:00.000Z' });
    const html = renderToStaticMarkup(createElement(ReviewView, { bundles: [a, b] }));
    expect(html).toContain('data-testid="review-view"');
    expect(html.match(/data-testid="conflict"/g)).toHaveLength(1);
    expect(routeBundles([a], a.session.key)).toMatchObject({ kind: 'restore' });
    expect(routeBundles([a, b], a.session.key)).toMatchObject({ kind: 'review' });
    expect(routeBundles([a], 'other')).toMatchObject({ kind: 'review' });
  });

  it('AnalystName has its input', () => {
    const html = renderToStaticMarkup(createElement(AnalystName, { initial: '', onConfirm: () => {}, onCancel: () => {} }));
    expect(html).toContain('data-testid="analyst-name"');
  });

  it('maps shortcut keys to verdicts and ignores modified keys', () => {
    const k = (key: string, mod: Partial<KeyboardEvent> = {}) =>
      verdictForKey({ key, ctrlKey: false, metaKey: false, altKey: false, repeat: false, ...mod });
    expect([k('1'), k('2'), k('3'), k('4'), k('5')]).toEqual(['untriaged', 'benign', 'false_positive', 'suspicious', 'malicious']);
    expect([k('u'), k('B'), k('f'), k('s'), k('m')]).toEqual(['untriaged', 'benign', 'false_positive', 'suspicious', 'malicious']);
    expect(k('m', { ctrlKey: true })).toBeNull();
    expect(k('x')).toBeNull();
  });
});
