import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { gzipSync } from 'fflate';
import { headerSignature, previewInput } from './preview';
import { runHunt } from './run';
import { bytesInput, textInput } from './test-inputs';

const here = dirname(fileURLToPath(import.meta.url));
const huntMarkdown = readFileSync(join(here, '..', '..', 'public', 'hunts', 'cloudflare-tunnel-webdav.md'), 'utf8');
const query = /```xql\r?\n([\s\S]*?)```/.exec(huntMarkdown)?.[1] ?? '';
const defender = new Uint8Array(readFileSync(join(here, '..', 'profiles', 'fixtures', 'defender.csv')));

describe('previewInput', () => {
  it('detects the profile by content, not by name, and agrees with the run', async () => {
    const preview = await previewInput(query, bytesInput('unknown', defender));
    const run = await runHunt(query, [bytesInput('unknown', defender)]);
    expect(preview.profileId).toBe('defender');
    expect(preview.profileLabel).toMatch(/Defender/);
    expect(preview.reason).toBe(run.stats.files[0].profileReason);
    expect(preview.mapping).toEqual(run.stats.files[0].mapping);
    expect(preview.missingFields).toEqual(run.stats.files[0].missingFields);
    expect(preview.format?.format).toBe('csv');
    expect(preview.columns).toContain('ProcessCommandLine');
  });

  it('names the fields the hunt needs that the export lacks', async () => {
    const csv = 'time,host,cmd\n2025-01-01T00:00:00Z,ws1,cmd.exe /c net use\n';
    const preview = await previewInput(query, textInput('x.csv', csv), { profileId: 'xdr' });
    expect(preview.missingFields).toEqual(expect.arrayContaining(['event_type', 'action_process_image_command_line']));
  });

  it('reads no more than the preview budget of a large file', async () => {
    const header = '_time,agent_hostname,event_type,event_sub_type,agent_os_type,action_process_image_name,action_process_image_command_line\n';
    const row = '2025-01-01T00:00:00Z,ws1,PROCESS,PROCESS_START,AGENT_OS_WINDOWS,cmd.exe,cmd.exe /c whoami\n';
    const bytes = new TextEncoder().encode(header + row.repeat(50_000));
    let read = 0;
    const input = {
      name: 'big.csv',
      size: bytes.length,
      async *chunks() {
        for (let i = 0; i < bytes.length; i += 65536) {
          read += Math.min(65536, bytes.length - i);
          yield bytes.subarray(i, i + 65536);
        }
      },
    };
    const preview = await previewInput(query, input);
    expect(preview.profileId).toBe('xdr');
    expect(preview.missingFields).not.toContain('event_type');
    expect(preview.missingFields).not.toContain('action_process_image_command_line');
    expect(read).toBeLessThanOrEqual(256 * 1024);
  });

  it('applies overrides and a forced profile', async () => {
    const preview = await previewInput(query, bytesInput('d.csv', defender), {
      profileOverrides: { action_process_image_command_line: 'InitiatingProcessCommandLine' },
    });
    expect(preview.mapping.action_process_image_command_line).toBe('InitiatingProcessCommandLine');
  });

  it('reads gzip', async () => {
    const preview = await previewInput(query, bytesInput('d.csv.gz', gzipSync(defender)));
    expect(preview.profileId).toBe('defender');
    expect(preview.format?.compression).toBe('gzip');
  });
});

describe('headerSignature', () => {
  it('ignores order and case', () => {
    expect(headerSignature(['B', 'a'])).toBe(headerSignature(['A', 'b']));
    expect(headerSignature(['a', 'b'])).not.toBe(headerSignature(['a', 'c']));
  });
});
