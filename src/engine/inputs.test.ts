import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseHunt } from '../hunt';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runHunt } from './run';
import { bytesInput, textInput } from './test-inputs';

const doc = readFileSync(fileURLToPath(new URL('../../public/hunts/cloudflare-tunnel-webdav.md', import.meta.url)), 'utf8');
const query = parseHunt(doc).queries[0]?.code ?? '';
const header = 'event_type,event_sub_type,agent_os_type,action_process_image_name,action_process_image_command_line,event_id,_time';
const hit = (id: string, time: number): string =>
  `PROCESS,PROCESS_START,AGENT_OS_WINDOWS,cmd.exe,cmd /c net use x: https://a.trycloudflare.com/webdav,${id},${time}`;

describe('archives', () => {
  it('runs every export inside a zip as its own file, told by content not name', async () => {
    const zip = zipSync({
      'exports/a.csv': strToU8(`${header}\n${hit('a1', 1)}\n`),
      'exports/b.ndjson': strToU8(`${JSON.stringify({ event_type: 'PROCESS', event_sub_type: 'PROCESS_START', agent_os_type: 'AGENT_OS_WINDOWS', action_process_image_name: 'cmd.exe', action_process_image_command_line: 'net use \\\\b.trycloudflare.com\\x', event_id: 'b1', _time: 2 })}\n`),
      '__MACOSX/._a.csv': strToU8('junk'),
    });
    const result = await runHunt(query, [bytesInput('case-files', zip, [100])]);
    expect(result.hits.map((h) => [h.eventId, h.source.file])).toEqual([
      ['b1', 'case-files/exports/b.ndjson'],
      ['a1', 'case-files/exports/a.csv'],
    ]);
    expect(result.stats.files.map((f) => f.name)).toEqual(['case-files/exports/a.csv', 'case-files/exports/b.ndjson']);
  });

  it('reports progress in the archive\'s own bytes, reaching its size', async () => {
    const zip = zipSync({ 'a.csv': strToU8(`${header}\n${hit('a1', 1)}\n`), 'b.csv': strToU8(`${header}\n${hit('b1', 2)}\n`) });
    const seen: number[] = [];
    await runHunt(query, [bytesInput('case.zip', zip, [64])], { onProgress: (p) => seen.push(p.bytes) });
    expect(seen.at(-1)).toBe(zip.byteLength);
    expect(seen.some((bytes) => bytes > 0 && bytes < zip.byteLength)).toBe(true);
    expect(seen.every((bytes, i) => i === 0 || bytes >= (seen[i - 1] ?? 0))).toBe(true);
  });

  it('leaves plain files alone', async () => {
    const result = await runHunt(query, [textInput('plain.csv', `${header}\n${hit('p', 1)}`)]);
    expect(result.stats.files.map((f) => f.name)).toEqual(['plain.csv']);
  });
});
