import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { zipSync } from 'fflate';
import { runHunt } from '../engine/run';
import type { RunInput } from '../engine/types';
import { zipEntryInputs } from '../ingest/archive';
import { FIXTURES } from './fixtures/activity';
import type { EscapeReading } from './fixtures/activity';
import { fixtureBytes } from './testing';

/** End to end: the bundled hunt over every fixture gives exactly the hits expected.json lists. */

const here = dirname(fileURLToPath(import.meta.url));
const huntMarkdown = readFileSync(join(here, '..', '..', 'public', 'hunts', 'cloudflare-tunnel-webdav.md'), 'utf8');
const query = /```xql\r?\n([\s\S]*?)```/.exec(huntMarkdown)?.[1] ?? '';

interface ExpectedHit {
  seq: number;
  eventId: string | null;
  commandLine: string;
}
interface ExpectedFixture {
  profile: string;
  events: number;
  hits: Record<EscapeReading, ExpectedHit[]>;
}
const expected = JSON.parse(readFileSync(join(here, 'fixtures', 'expected.json'), 'utf8')) as { fixtures: Record<string, ExpectedFixture> };

function input(name: string, bytes: Uint8Array, chunkSize = 8192): RunInput {
  return {
    name,
    size: bytes.length,
    async *chunks() {
      for (let i = 0; i < bytes.length; i += chunkSize) yield bytes.subarray(i, i + chunkSize);
    },
  };
}

const READINGS: readonly EscapeReading[] = ['xql', 'backslash'];

describe('bundled hunt on every fixture', () => {
  it('has a query and an expectation for every fixture', () => {
    expect(query).toMatch(/dataset = xdr_data/);
    for (const spec of FIXTURES) expect(expected.fixtures[spec.file], spec.file).toBeDefined();
    // The readings differ on this activity, so both are really exercised.
    const first = expected.fixtures[FIXTURES[0].file];
    expect(first.hits.backslash.length).toBeGreaterThan(first.hits.xql.length);
  });

  for (const spec of FIXTURES) {
    for (const reading of READINGS) {
      for (const coverage of [true, false]) {
        it(`${spec.file} under ${reading}${coverage ? '' : ' (prefiltered)'}`, async () => {
          const want = expected.fixtures[spec.file];
          // The file name carries no hint: detection must work on content alone.
          const result = await runHunt(query, [input('export', fixtureBytes(spec.file))], { escapes: reading, coverage });
          const file = result.stats.files[0];
          expect(file.profileId).toBe(want.profile);
          expect(file.malformed).toBe(0);
          if (coverage) expect(file.rows).toBe(want.events);
          const got = result.hits.map((hit) => hit.row.action_process_image_command_line);
          expect([...got].sort()).toEqual(want.hits[reading].map((h) => h.commandLine).sort());
          // `sort desc _time`: newest first.
          const times = result.hits.map((hit) => hit.row._time as number);
          expect(times).toEqual([...times].sort((a, b) => b - a));
          for (const hit of result.hits) {
            const wanted = want.hits[reading].find((h) => h.commandLine === hit.row.action_process_image_command_line);
            if (wanted?.eventId) expect(hit.eventId).toBe(wanted.eventId);
          }
        });
      }
    }
  }

  it('runs every fixture from one zip archive, each entry as its own file', async () => {
    const files: Record<string, Uint8Array> = {};
    for (const spec of FIXTURES) files[`exports/${spec.file}`] = fixtureBytes(spec.file);
    files['exports/'] = new Uint8Array(0);
    const archive = zipSync(files);
    const entries = await zipEntryInputs(input('case.zip', archive, 1000));
    expect(entries.map((e) => e.name)).toEqual(FIXTURES.map((spec) => `case.zip/exports/${spec.file}`));
    const result = await runHunt(query, entries, { escapes: 'backslash' });
    expect(result.stats.files.map((f) => f.profileId)).toEqual(FIXTURES.map((spec) => spec.profileId));
    const total = FIXTURES.reduce((n, spec) => n + expected.fixtures[spec.file].hits.backslash.length, 0);
    expect(result.hits).toHaveLength(total);
    expect(new Set(result.hits.map((hit) => hit.source.file)).size).toBe(FIXTURES.length);
  });
});
