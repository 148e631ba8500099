import { Unzip, UnzipInflate } from 'fflate';
import type { UnzipFile } from 'fflate';
import type { RunInput } from '../engine/types';

/**
 * `.zip` archives of several exports, expanded as a stream with fflate's `Unzip`: entries come out
 * one after another while the archive is read, and neither the archive nor an entry is held
 * whole. Each entry is meant to run as its own input file named `archive.zip/entry.csv`.
 *
 * Stored (0) and deflated (8) entries are supported, which is what Windows, macOS, 7-Zip and
 * Python write; an entry with another method (e.g. Deflate64, 9) fails with an error naming it.
 */

export interface ZipEntry {
  /** Path inside the archive, as stored (`exports/defender.csv`). */
  name: string;
  /** Uncompressed size when the local header states it (not with data descriptors). */
  size: number | null;
  /**
   * The entry's uncompressed bytes. Read it before asking `expandZip` for the next entry: the
   * archive is one stream, so asking for the next entry discards what is left of this one.
   */
  chunks: AsyncIterable<Uint8Array>;
}

/** `PK\x03\x04` (a local file header), or `PK\x05\x06` (an empty archive). */
export function isZip(firstBytes: Uint8Array): boolean {
  return (
    firstBytes.length >= 4 &&
    firstBytes[0] === 0x50 &&
    firstBytes[1] === 0x4b &&
    ((firstBytes[2] === 0x03 && firstBytes[3] === 0x04) || (firstBytes[2] === 0x05 && firstBytes[3] === 0x06))
  );
}

/** Entries that hold no export: directories, macOS resource forks and Finder metadata. */
export function isSkippedEntry(name: string): boolean {
  if (name.endsWith('/') || name.endsWith('\\')) return true;
  const parts = name.split(/[\\/]/);
  if (parts.includes('__MACOSX')) return true;
  const base = parts[parts.length - 1];
  return base === '.DS_Store' || base.startsWith('._');
}

/** The name an entry runs under: `archive.zip/exports/defender.csv`. */
export function entryInputName(archiveName: string, entryName: string): string {
  return `${archiveName}/${entryName.replace(/\\/g, '/').replace(/^\/+/, '')}`;
}

interface EntryState {
  name: string;
  size: number | null;
  queue: Uint8Array[];
  done: boolean;
  error: Error | null;
  /** The consumer moved on; later data of this entry is dropped. */
  abandoned: boolean;
}

/**
 * Expands a zip archive given as byte chunks. Entries are yielded in archive order; skipped
 * entries (see `isSkippedEntry`) are read past without being yielded. Throws on a corrupt or
 * truncated archive, from whichever iterator is reading when the problem is found.
 */
export async function* expandZip(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<ZipEntry, void, undefined> {
  const source = chunks[Symbol.asyncIterator]();
  const found: EntryState[] = [];
  let sourceDone = false;
  let failure: Error | null = null;

  const unzip = new Unzip((file: UnzipFile) => {
    const state: EntryState = {
      name: file.name,
      size: typeof file.originalSize === 'number' ? file.originalSize : null,
      queue: [],
      done: false,
      error: null,
      abandoned: isSkippedEntry(file.name),
    };
    file.ondata = (error, data, final) => {
      if (error) {
        state.error = error;
        state.done = true;
        return;
      }
      if (!state.abandoned && data.length > 0) state.queue.push(data);
      if (final) state.done = true;
    };
    // Started at once so data flows straight to the decoder: fflate otherwise keeps the
    // compressed bytes of an unstarted entry for the life of the stream.
    try {
      file.start();
    } catch (error) {
      state.error = error instanceof Error ? error : new Error(String(error));
      state.done = true;
    }
    if (!state.abandoned) found.push(state);
  });
  unzip.register(UnzipInflate);

  /** Feeds one more source chunk; false once the source is exhausted. */
  const pull = async (): Promise<boolean> => {
    if (failure) throw failure;
    if (sourceDone) return false;
    const next = await source.next();
    try {
      if (next.done) {
        sourceDone = true;
        unzip.push(new Uint8Array(0), true);
        return false;
      }
      unzip.push(next.value, false);
      return true;
    } catch (error) {
      failure = new Error(`corrupt zip archive: ${error instanceof Error ? error.message : String(error)}`);
      throw failure;
    }
  };

  const entryChunks = async function* (state: EntryState): AsyncGenerator<Uint8Array, void, undefined> {
    for (;;) {
      if (state.abandoned) throw new Error(`zip entry ${state.name} was read after the next entry was requested`);
      const chunk = state.queue.shift();
      if (chunk) {
        yield chunk;
        continue;
      }
      if (state.error) throw new Error(`zip entry ${state.name}: ${state.error.message}`);
      if (state.done) return;
      if (!(await pull()) && !state.done && state.queue.length === 0) {
        throw new Error(`zip entry ${state.name} is truncated`);
      }
    }
  };

  try {
    for (;;) {
      const state = found.shift();
      if (!state) {
        if (!(await pull()) && found.length === 0) return;
        continue;
      }
      yield { name: state.name, size: state.size, chunks: entryChunks(state) };
      // Whatever the consumer left unread is discarded.
      state.abandoned = true;
      state.queue = [];
    }
  } finally {
    // Stop reading the archive when the consumer stops early.
    if (!sourceDone) await source.return?.();
  }
}

/**
 * The entries of an archive input as inputs of their own, each named `archive.zip/entry`. Lists
 * by reading the archive once (sizes are the uncompressed byte counts); each entry's `chunks()`
 * reads the archive again up to that entry, so it can be called more than once (RunInput's
 * contract) and never holds other entries.
 */
export async function zipEntryInputs(archive: RunInput): Promise<RunInput[]> {
  const listed: { name: string; size: number; ordinal: number }[] = [];
  const seen = new Map<string, number>();
  for await (const entry of expandZip(archive.chunks())) {
    let size = 0;
    for await (const chunk of entry.chunks) size += chunk.length;
    const ordinal = seen.get(entry.name) ?? 0;
    seen.set(entry.name, ordinal + 1);
    listed.push({ name: entry.name, size, ordinal });
  }
  return listed.map(({ name, size, ordinal }) => ({
    name: entryInputName(archive.name, name),
    size,
    chunks: () => entryStream(archive, name, ordinal),
  }));
}

/** The `ordinal`-th entry called `name` (archives may repeat a name). */
async function* entryStream(archive: RunInput, name: string, ordinal: number): AsyncGenerator<Uint8Array, void, undefined> {
  let seen = 0;
  for await (const entry of expandZip(archive.chunks())) {
    if (entry.name !== name || seen++ !== ordinal) continue;
    yield* entry.chunks;
    return;
  }
  throw new Error(`zip entry ${name} not found in ${archive.name}`);
}
