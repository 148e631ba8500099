import { describe, expect, it } from 'vitest';
import { createSession, hitRef, setHostStatus, setNotes, setVerdict, toggleHitItem, toggleHostItem } from './model';
import { BUNDLE_VERSION, buildBundle, bundleToJson, parseBundle, sessionFromBundle } from './bundle';
import { DATASETS, HUNT, makeHit } from './testing';

const T0 = '2025-07-01T10:00:00.000Z';
const hits = [makeHit(1), makeHit(2, { host: 'WS-9' }), makeHit(3, { eventId: null })];

function workedSession() {
  let s = createSession({ hunt: HUNT, datasets: DATASETS, analyst: 'alice', now: T0 });
  s = setVerdict(s, hits.slice(0, 2).map(hitRef), 'suspicious', 'alice', '2025-07-01T10:01:00.000Z');
  s = setVerdict(s, [hitRef(hits[2])], 'malicious', 'alice', '2025-07-01T10:02:00.000Z');
  s = setNotes(s, [hitRef(hits[2])], 'payload "x" <script>', 'alice', '2025-07-01T10:03:00.000Z');
  s = toggleHostItem(s, 'WS-9', 3, 'alice', '2025-07-01T10:04:00.000Z');
  s = setHostStatus(s, 'WS-9', 'contained', 'alice', '2025-07-01T10:05:00.000Z');
  s = toggleHitItem(s, hitRef(hits[0]), 1, 'alice', '2025-07-01T10:06:00.000Z');
  return s;
}

function bundleText() {
  return bundleToJson(buildBundle({ session: workedSession(), hits, query: 'dataset = xdr_data', now: '2025-07-01T11:00:00.000Z' }));
}

function mutate(edit: (b: Record<string, unknown>) => void): string {
  const b = JSON.parse(bundleText()) as Record<string, unknown>;
  edit(b);
  return JSON.stringify(b);
}

describe('triage bundle', () => {
  it('round-trips: session -> bundle -> JSON -> session is deep-equal', () => {
    const s = workedSession();
    const parsed = parseBundle(bundleText());
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(sessionFromBundle(parsed.bundle)).toStrictEqual(s);
    expect(parsed.bundle.hits.map((h) => h.id)).toEqual(['evt-1', 'evt-2', 'xdr_export.csv#3']);
    expect(parsed.bundle.hits[1].host).toBe('WS-9');
    expect(parsed.bundle.hunt.query).toBe('dataset = xdr_data');
    expect(parsed.bundle.exportedBy).toBe('alice');
  });

  it('keeps one copy of an event that appears twice', () => {
    const b = buildBundle({ session: workedSession(), hits: [...hits, { ...hits[0], key: '1:1' }], query: null, now: T0 });
    expect(b.hits).toHaveLength(3);
  });

  it('rejects an unknown version with a clear error', () => {
    const r = parseBundle(mutate((b) => (b.version = 2)));
    expect(r).toEqual({ ok: false, error: `Invalid triage bundle: version: bundle version 2 is not supported; this app reads version ${BUNDLE_VERSION}` });
  });

  it('rejects other JSON and non-JSON', () => {
    expect(parseBundle('{"a":1}')).toMatchObject({ ok: false, error: expect.stringMatching(/not a triage bundle/) });
    expect(parseBundle('nope')).toMatchObject({ ok: false, error: expect.stringMatching(/not valid JSON/) });
    expect(parseBundle('[]')).toMatchObject({ ok: false });
    expect(parseBundle('null')).toMatchObject({ ok: false });
  });

  it('rejects prototype-pollution keys anywhere', () => {
    const text = bundleText().replace('"decisions": {', '"decisions": {\n"__proto__": {"polluted": true},');
    const r = parseBundle(text);
    expect(r).toMatchObject({ ok: false, error: expect.stringMatching(/__proto__/) });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const deep = parseBundle(bundleText().replace('"fields": {', '"fields": {"x": {"constructor": {"prototype": 1}},'));
    expect(deep).toMatchObject({ ok: false, error: expect.stringMatching(/constructor/) });
  });

  it('checks every type', () => {
    const cases: [string, (b: Record<string, unknown>) => void, RegExp][] = [
      ['verdict', (b) => ((b.decisions as Record<string, Record<string, unknown>>)['evt-1'].verdict = 'evil'), /decisions\["evt-1"\]\.verdict/],
      ['time', (b) => (b.exportedAt = 'yesterday'), /exportedAt: expected an ISO/],
      ['row', (b) => (((b.hits as Record<string, unknown>[])[0].source as Record<string, unknown>).row = '1'), /hits\[0\]\.source\.row/],
      ['duplicate', (b) => (b.hits as unknown[]).push((b.hits as unknown[])[0]), /duplicate hit id/],
      ['checklist length', (b) => ((b.hosts as Record<string, Record<string, unknown[]>>)['WS-9'].checklist.pop()), /expected 5 checklist items/],
      ['sha', (b) => ((b.datasets as Record<string, unknown>[])[0].sha256 = 'zz'), /64 hex/],
      ['key', (b) => ((b.session as Record<string, unknown>).key = 'other'), /session\.key/],
      ['field value', (b) => ((b.hits as Record<string, Record<string, unknown>>[])[0].fields.x = { y: [1, 2, {}] }), /^$/],
      ['status', (b) => ((b.hosts as Record<string, Record<string, unknown>>)['WS-9'].status = 'gone'), /status/],
      ['audit field', (b) => ((b.audit as Record<string, unknown>[])[0].field = 'x'), /audit\[0\]\.field/],
    ];
    for (const [name, edit, error] of cases) {
      const r = parseBundle(mutate(edit));
      if (name === 'field value') expect(r.ok, name).toBe(true);
      else expect(r.ok ? '' : r.error, name).toMatch(error);
    }
  });

  it('drops unknown members instead of carrying them into the app', () => {
    const r = parseBundle(mutate((b) => ((b as Record<string, unknown>).extra = { a: 1 })));
    expect(r.ok && 'extra' in r.bundle).toBe(false);
  });
});
