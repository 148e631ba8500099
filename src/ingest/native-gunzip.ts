import { lastBytes } from './bytes';
import { GzipStage, trailerIsize } from './gzip';
import { InflatedStream } from './preinflated';

/**
 * Gunzip with the platform's native zlib, ahead of the (synchronous) readers.
 *
 * Node: node:zlib, found through process.getBuiltinModule (no import, so the engine stays free of
 * Node modules; zlib also inflates on the thread pool, beside the scan). Browsers: the
 * DecompressionStream. Either is trusted only where it is exact: it must end without an error and
 * have taken every byte as gzip members (Node's zlib stops silently at a zero byte after a member;
 * Chromium's DecompressionStream rejects a second member as junk, and does not report where the
 * first one ended). Otherwise the stream is read again from its start with fflate, the bytes
 * already emitted are skipped, and fflate's outcome (its output after those bytes, its problem
 * message) is the stream's: exactly what the reader would have reported on its own.
 */

/** A native inflater: output through `onData`, as it comes. */
export interface NativeInflater {
  /** Resolves once the chunk has been taken; false once the stream has failed. */
  write(chunk: Uint8Array): Promise<boolean>;
  /** Resolves after the last output: true when the result is exact (see above). */
  end(): Promise<boolean>;
  /** Stops early (the reader went away). */
  abort(): void;
}

/** `sizeHint`: the compressed size when known (RunInput.size), to size output buffers. */
export type NativeGunzip = (onData: (data: Uint8Array) => void, sizeHint?: number) => NativeInflater;

/** Compressed bytes per carrier: the next one is inflated (on zlib's thread) while the reader works through this one. */
const CARRIER_BYTES = 1 << 20;
const FIRST_CARRIER_BYTES = 64 << 10;
/**
 * A carrier's output is handed on as it came when every piece is at least this large, else joined
 * into one (DecompressionStream gives 16-64 KiB pieces): the fast path's reader
 * (src/ingest/candidates.ts) copies a piece smaller than its 64 KiB scan batch, then joins the batch.
 * 4 MiB blocks (when the reader gathered 4 MiB) measured 2.1-2.4 s on the 1M NDJSON.gz, 64 KiB 1.4-1.8 s.
 */
const OUTPUT_BLOCK = 64 << 10;
/**
 * node:zlib's output buffer, at most (small files get a small one). A carrier's output is one piece
 * unless it crosses from one buffer into the next, and then the two are joined: with 16 MiB about
 * every other carrier of the bench's NDJSON.gz (340 MB copied, ~100 ms); 64 MiB copies a quarter of
 * that, but measured no faster end to end and holds 4 times the memory.
 */
const ZLIB_CHUNK = 16 << 20;
const ZLIB_MIN_CHUNK = 64 << 10;

export interface GunzipAheadOptions {
  carrierBytes?: number;
  outputBlock?: number;
  /** The compressed size, when known. */
  sizeHint?: number;
}

let override: NativeGunzip | null | undefined;
let detected: Promise<NativeGunzip | null> | null = null;

/** Tests: force a native gunzip (or none, with null); undefined goes back to detection. */
export function setNativeGunzip(gunzip: NativeGunzip | null | undefined): void {
  override = gunzip;
}

export function nativeGunzip(): Promise<NativeGunzip | null> {
  if (override !== undefined) return Promise.resolve(override);
  detected ??= detect();
  return detected;
}

async function detect(): Promise<NativeGunzip | null> {
  const zlib = nodeZlib();
  if (zlib) return zlibGunzip(zlib);
  if (typeof DecompressionStream === 'function' && (await rejectsTrailingBytes())) return streamGunzip;
  return null;
}

// --- Node ---------------------------------------------------------------------------------------

interface ZlibStream {
  write(chunk: Uint8Array, callback: (error?: Error | null) => void): boolean;
  end(): void;
  destroy(): void;
  on(event: 'data', listener: (data: Uint8Array) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  on(event: 'end', listener: () => void): void;
  readonly bytesWritten: number;
}

export interface NodeZlib {
  createGunzip(options: { chunkSize: number }): ZlibStream;
}

function nodeZlib(): NodeZlib | null {
  const process = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  try {
    const zlib = process?.getBuiltinModule?.('node:zlib') as Partial<NodeZlib> | undefined;
    return typeof zlib?.createGunzip === 'function' ? (zlib as NodeZlib) : null;
  } catch {
    return null;
  }
}

export function zlibGunzip(zlib: NodeZlib, maxChunk = ZLIB_CHUNK): NativeGunzip {
  return (onData, sizeHint) => {
    // Text compresses about 4-10 times.
    const wanted = sizeHint !== undefined && sizeHint > 0 ? Math.max(ZLIB_MIN_CHUNK, sizeHint * 8) : maxChunk;
    const stream = zlib.createGunzip({ chunkSize: Math.min(maxChunk, wanted) });
    let written = 0;
    let failed = false;
    let ended = false;
    const waiting = new Set<(ok: boolean) => void>();
    const settle = (): void => {
      for (const resolve of waiting) resolve(!failed);
      waiting.clear();
    };
    stream.on('data', onData);
    stream.on('error', () => {
      failed = true;
      settle();
    });
    stream.on('end', () => {
      ended = true;
      settle();
    });
    return {
      write(chunk) {
        if (failed) return Promise.resolve(false);
        written += chunk.byteLength;
        return new Promise((resolve) => {
          waiting.add(resolve);
          stream.write(chunk, (error) => {
            if (error) failed = true;
            if (waiting.delete(resolve)) resolve(!failed);
          });
        });
      },
      end() {
        if (failed) return Promise.resolve(false);
        return new Promise((resolve) => {
          const done = (ok: boolean): void => resolve(ok && ended && stream.bytesWritten === written);
          if (ended) return done(true);
          waiting.add(done);
          stream.end();
        });
      },
      abort() {
        failed = true;
        stream.destroy();
        settle();
      },
    };
  };
}

// --- Browsers -----------------------------------------------------------------------------------

export const streamGunzip: NativeGunzip = (onData) => {
  const ds = new DecompressionStream('gzip');
  const writer = ds.writable.getWriter();
  const reader = ds.readable.getReader();
  let failed = false;
  let output = 0;
  let tail: Uint8Array = new Uint8Array(0);
  const reading = (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        output += value.byteLength;
        onData(value);
      }
    } catch {
      failed = true;
    }
  })();
  return {
    async write(chunk) {
      if (failed) return false;
      tail = lastBytes(tail, chunk, 4);
      try {
        await writer.write(chunk as Uint8Array<ArrayBuffer>);
      } catch {
        failed = true;
      }
      return !failed;
    },
    async end() {
      if (!failed) {
        try {
          await writer.close();
        } catch {
          failed = true;
        }
      }
      await reading;
      // A strict DecompressionStream reads one member (a second one is an error), so its ISIZE,
      // the last four bytes, must be the whole output.
      const isize = tail.length === 4 ? trailerIsize(tail) : -1;
      return !failed && isize === output % 2 ** 32;
    },
    abort() {
      failed = true;
      writer.abort().catch(() => {});
      reader.cancel().catch(() => {});
    },
  };
};

/**
 * Whether this DecompressionStream rejects bytes after a member (Chromium does; Node's does not,
 * and stops at a zero byte unnoticed): only then does its success mean every byte was read.
 */
export async function rejectsTrailingBytes(): Promise<boolean> {
  // An empty gzip member, then a zero byte.
  const bytes = new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  try {
    const ds = new DecompressionStream('gzip');
    const writer = ds.writable.getWriter();
    const reading = new Response(ds.readable).arrayBuffer();
    writer.write(bytes).catch(() => {});
    writer.close().catch(() => {});
    await reading;
    return false;
  } catch {
    return true;
  }
}

// --- The carriers -------------------------------------------------------------------------------

/**
 * The compressed bytes of `source` (a gzip stream from its first byte) as carriers: each one is
 * registered with its output, decompressed ahead by `native` (the next carrier is being inflated
 * while the reader works through this one). `reopen` reads the stream again from its start, for
 * fflate, when native decompression is not exact.
 */
export async function* gunzipAhead(
  source: AsyncIterable<Uint8Array>,
  reopen: () => AsyncIterable<Uint8Array>,
  native: NativeGunzip,
  options: GunzipAheadOptions = {},
): AsyncGenerator<Uint8Array> {
  const carrierBytes = options.carrierBytes ?? CARRIER_BYTES;
  const outputBlock = options.outputBlock ?? OUTPUT_BLOCK;
  const stream = new InflatedStream();
  let output: Uint8Array[] = [];
  let outputBytes = 0;
  let nativeBytes = 0;
  const collect = (data: Uint8Array): void => {
    if (data.byteLength === 0) return;
    output.push(data);
    outputBytes += data.byteLength;
  };
  const nativeInflater = native((data) => {
    nativeBytes += data.byteLength;
    collect(data);
  }, options.sizeHint);
  let inflater: NativeInflater | null = nativeInflater;
  /** fflate, once native decompression has failed or was not exact. */
  let fallback: GzipStage | null = null;
  let read = 0;
  let pending: Uint8Array | null = null;

  const handOn = (carrier: Uint8Array, final: boolean, problem: string | null): Uint8Array => {
    // The output so far goes with this carrier (a reader that stops early, such as the preview,
    // gets the output of what it read), small pieces joined.
    stream.add(carrier, blocks(output, outputBytes, outputBlock), final, problem);
    output = [];
    outputBytes = 0;
    return carrier;
  };
  const startFallback = async (): Promise<void> => {
    inflater = null;
    let skip = nativeBytes;
    const stage = new GzipStage((data) => {
      if (skip >= data.byteLength) {
        skip -= data.byteLength;
        return;
      }
      collect(skip > 0 ? data.subarray(skip) : data);
      skip = 0;
    });
    fallback = stage;
    // The bytes read so far, again (a RunInput may be read more than once).
    let replayed = 0;
    for await (const chunk of reopen()) {
      const part = chunk.subarray(0, read - replayed);
      stage.push(part);
      replayed += part.byteLength;
      if (replayed >= read) break;
    }
  };

  try {
    for await (const chunk of source) {
      for (let at = 0; at < chunk.byteLength; ) {
        // The magic on its own first, so the reader's copy of what it sniffed is two bytes; then
        // small carriers growing to full size, so that a reader that needs only the start (the
        // preview) is not handed megabytes.
        const size = read < 2 ? 2 - read : Math.min(carrierBytes, Math.max(FIRST_CARRIER_BYTES, read));
        const carrier = chunk.subarray(at, at + size);
        at += carrier.byteLength;
        read += carrier.byteLength;
        const writing: Promise<boolean> | null = inflater ? inflater.write(carrier) : null;
        if (!writing) (fallback as GzipStage | null)?.push(carrier);
        if (pending) yield handOn(pending, false, null);
        if (writing && !(await writing)) await startFallback();
        pending = carrier;
      }
      // Held past the next read of the source: a copy, in case the source reuses its buffer.
      if (pending && pending.buffer === chunk.buffer) pending = pending.slice();
    }
    if (inflater && !(await inflater.end())) await startFallback();
    const stage = fallback as GzipStage | null;
    stage?.end();
    if (pending) yield handOn(pending, true, stage ? stage.problem : null);
  } finally {
    nativeInflater.abort();
  }
}

/** The parts as they are when there is one or none is small, else joined into one. */
function blocks(parts: Uint8Array[], bytes: number, block: number): Uint8Array[] {
  if (parts.length < 2 || parts.every((part) => part.byteLength >= block)) return parts;
  const joined = new Uint8Array(bytes);
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.byteLength;
  }
  return [joined];
}
