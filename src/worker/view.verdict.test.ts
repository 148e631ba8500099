import { describe, expect, it } from 'vitest';
import { computeView } from './view';
import { VERDICT_COLUMN } from './protocol';
import type { ViewSpec } from './protocol';
import { VERDICTS } from '../triage/model';
import type { Verdict } from '../triage/model';
import { makeHit } from '../triage/testing';

// Verdicts live on the UI thread and travel with the view request as codes into VERDICTS.
const hits = [0, 1, 2, 3, 4].map((n) => makeHit(n));
const codes = (vs: Verdict[]) => Uint8Array.from(vs.map((v) => VERDICTS.indexOf(v)));
const spec = (over: Partial<ViewSpec>): ViewSpec => ({ sorting: [], columnFilters: [], globalFilter: '', chartFilters: [], ...over });
const verdicts = codes(['benign', 'malicious', 'untriaged', 'false_positive', 'malicious']);

describe('computeView over the verdict column', () => {
  it('filters on the verdict label', () => {
    expect([...computeView(hits, spec({ verdicts, columnFilters: [{ id: VERDICT_COLUMN, value: 'malicious' }] }), [])]).toEqual([1, 4]);
    expect([...computeView(hits, spec({ verdicts, columnFilters: [{ id: VERDICT_COLUMN, value: 'false positive' }] }), [])]).toEqual([3]);
  });

  it('sorts by severity, worst first when descending, ties in query order', () => {
    expect([...computeView(hits, spec({ verdicts, sorting: [{ id: VERDICT_COLUMN, desc: true }] }), [])]).toEqual([1, 4, 2, 3, 0]);
    expect([...computeView(hits, spec({ verdicts, sorting: [{ id: VERDICT_COLUMN, desc: false }] }), [])]).toEqual([0, 3, 2, 1, 4]);
  });

  it('reads every hit as untriaged when no verdicts are sent', () => {
    expect([...computeView(hits, spec({ columnFilters: [{ id: VERDICT_COLUMN, value: 'untriaged' }] }), [])]).toEqual([0, 1, 2, 3, 4]);
  });
});
