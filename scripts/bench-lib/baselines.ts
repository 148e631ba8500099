import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import Papa from 'papaparse';
import { DuckDBInstance } from '@duckdb/node-api';
import { READ_CHUNK } from './engine';

/** The floor: read the file in the CLI's chunk size and discard it. */
export async function rawRead(path: string): Promise<number> {
  let bytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: READ_CHUNK }) as AsyncIterable<Uint8Array>) bytes += chunk.byteLength;
  return bytes;
}

/** `event_type = ENUM.PROCESS` and friends as the engine normalises them: `ENUM.` optional, case-folded, numeric codes. */
const enumIs = (value: unknown, name: string, code: string | null): boolean => {
  if (typeof value === 'number') return code !== null && String(value) === code;
  if (typeof value !== 'string') return false;
  const upper = value.trim().toUpperCase();
  return upper === name || upper === `ENUM.${name}` || (code !== null && upper === code);
};

const IMAGES = new Set(['cmd.exe', 'powershell.exe', 'wscript.exe', 'cscript.exe']);

/** The bundled hunt's filter (case-insensitive, XQL reading: "\\\\" is four backslashes) as plain JS. */
export function huntFilter(row: Record<string, unknown>): boolean {
  if (!enumIs(row['event_type'], 'PROCESS', '1')) return false;
  if (!enumIs(row['event_sub_type'], 'PROCESS_START', '1')) return false;
  if (!enumIs(row['agent_os_type'], 'AGENT_OS_WINDOWS', null)) return false;
  const cmd = row['action_process_image_command_line'];
  if (typeof cmd !== 'string') return false;
  const lower = cmd.toLowerCase();
  if (!lower.includes('cloudflare') && !lower.includes('trycloudflare.com')) return false;
  if (!lower.includes('webdav') && !lower.includes('net use') && !lower.includes('\\\\\\\\')) return false;
  const image = row['action_process_image_name'];
  return typeof image === 'string' && IMAGES.has(image.toLowerCase());
}

/** Papaparse streaming (header mode, chunk callback) with the JS filter; NDJSON.gz: zlib + JSON.parse per line. */
export async function papaparseCount(path: string): Promise<number> {
  if (path.endsWith('.ndjson.gz')) return ndjsonCount(path);
  const stream = createReadStream(path, { highWaterMark: READ_CHUNK, encoding: 'utf8' });
  return new Promise((resolve, reject) => {
    let hits = 0;
    Papa.parse<Record<string, string>>(stream as unknown as File, {
      header: true,
      skipEmptyLines: true,
      chunk(results) {
        for (const row of results.data) if (huntFilter(row)) hits++;
      },
      complete: () => resolve(hits),
      error: (error: Error) => reject(error),
    });
  });
}

async function ndjsonCount(path: string): Promise<number> {
  let hits = 0;
  let rest = '';
  const stream = createReadStream(path, { highWaterMark: READ_CHUNK }).pipe(createGunzip({ chunkSize: 1 << 20 }));
  stream.setEncoding('utf8');
  for await (const chunk of stream as AsyncIterable<string>) {
    const text = rest + chunk;
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      if (nl > start && huntFilter(JSON.parse(text.slice(start, nl)) as Record<string, unknown>)) hits++;
      start = nl + 1;
    }
    rest = text.slice(start);
  }
  if (rest.trim() !== '' && huntFilter(JSON.parse(rest) as Record<string, unknown>)) hits++;
  return hits;
}

const sqlEnum = (column: string, name: string, code: string | null): string =>
  `upper(trim(CAST(${column} AS VARCHAR))) IN ('${name}', 'ENUM.${name}'${code ? `, '${code}'` : ''})`;

/** The same filter in SQL (ILIKE is case-insensitive; ESCAPE '!' so the backslashes are literal). */
export function huntSql(source: string): string {
  const cmd = 'action_process_image_command_line';
  return `SELECT count(*) AS hits FROM ${source} WHERE ${sqlEnum('event_type', 'PROCESS', '1')}
    AND ${sqlEnum('event_sub_type', 'PROCESS_START', '1')}
    AND ${sqlEnum('agent_os_type', 'AGENT_OS_WINDOWS', null)}
    AND (${cmd} ILIKE '%cloudflare%' ESCAPE '!' OR ${cmd} ILIKE '%trycloudflare.com%' ESCAPE '!')
    AND (${cmd} ILIKE '%webdav%' ESCAPE '!' OR ${cmd} ILIKE '%net use%' ESCAPE '!' OR ${cmd} ILIKE '%\\\\\\\\%' ESCAPE '!')
    AND lower(action_process_image_name) IN ('cmd.exe', 'powershell.exe', 'wscript.exe', 'cscript.exe')`;
}

export interface DuckDb {
  /** Seconds for the query alone; hits. */
  count(path: string): Promise<{ hits: number; seconds: number }>;
  close(): void;
}

export async function openDuckDb(threads = 2): Promise<DuckDb> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(`SET threads = ${threads}`);
  return {
    async count(path) {
      const quoted = `'${path.replace(/'/g, "''")}'`;
      const source = path.endsWith('.ndjson.gz')
        ? `read_ndjson(${quoted}, compression = 'gzip', columns = {event_type: 'VARCHAR', event_sub_type: 'VARCHAR', agent_os_type: 'VARCHAR', action_process_image_name: 'VARCHAR', action_process_image_command_line: 'VARCHAR'})`
        : `read_csv(${quoted}, header = true, all_varchar = true)`;
      const started = performance.now();
      const reader = await connection.runAndReadAll(huntSql(source));
      const seconds = (performance.now() - started) / 1000;
      const value = reader.getRows()[0]?.[0];
      return { hits: Number(value), seconds };
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}
