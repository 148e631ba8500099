import { Gunzip } from 'fflate';

/**
 * A streaming gunzip that also notices what fflate does not report: fflate ends a cut-off stream
 * silently, so the last member's trailer (ISIZE) is checked against the bytes it produced.
 * Concatenated members are read one after the other.
 */
export class GzipStage {
  /** The first problem, as a message for the analyst; decoding stops there. */
  problem: string | null = null;
  /** Compressed bytes seen and the last 8 of them (the trailer: CRC32, ISIZE). */
  private compressedBytes = 0;
  private tail = new Uint8Array(0);
  /** Decompressed bytes of the current member. */
  private memberBytes = 0;
  private readonly gunzip: Gunzip;

  constructor(onData: (data: Uint8Array) => void) {
    this.gunzip = new Gunzip((data) => {
      this.memberBytes += data.length;
      onData(data);
    });
    this.gunzip.onmember = () => {
      this.memberBytes = 0;
    };
  }

  push(chunk: Uint8Array): void {
    if (this.problem !== null || chunk.length === 0) return;
    this.compressedBytes += chunk.length;
    const joined = new Uint8Array(Math.min(8, this.tail.length + chunk.length));
    const fromChunk = Math.min(chunk.length, joined.length);
    joined.set(this.tail.subarray(this.tail.length - (joined.length - fromChunk)), 0);
    joined.set(chunk.subarray(chunk.length - fromChunk), joined.length - fromChunk);
    this.tail = joined;
    try {
      this.gunzip.push(chunk);
    } catch (error) {
      this.problem = describeGzipError(error);
    }
  }

  /** Flushes; afterwards `problem` says whether the stream was complete. */
  end(): void {
    if (this.problem !== null) return;
    try {
      this.gunzip.push(new Uint8Array(0), true);
      if (!this.trailerMatches()) this.problem = 'truncated gzip stream';
    } catch (error) {
      this.problem = describeGzipError(error);
    }
  }

  private trailerMatches(): boolean {
    // 10-byte header, at least 2 bytes of deflate data, 8-byte trailer.
    if (this.compressedBytes < 20 || this.tail.length < 8) return false;
    const t = this.tail;
    const isize = ((t[4] ?? 0) | ((t[5] ?? 0) << 8) | ((t[6] ?? 0) << 16) | ((t[7] ?? 0) << 24)) >>> 0;
    return isize === this.memberBytes % 2 ** 32;
  }
}

export function describeGzipError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return /unexpected EOF/i.test(message) ? 'truncated gzip stream' : `corrupt gzip stream (${message})`;
}
