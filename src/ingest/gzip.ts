import { Gunzip } from 'fflate';
import { lastBytes } from './bytes';
import { continuesCarrier, inflatedPieceOf, type InflatedPiece, type InflatedStream, PREINFLATED_HEAD_BYTES } from './preinflated';

/**
 * A streaming gunzip that also notices what fflate does not report: fflate ends a cut-off stream
 * silently, so the last member's trailer (ISIZE) is checked against the bytes it produced.
 * Concatenated members are read one after the other.
 *
 * When the bytes pushed are the carriers of a stream decompressed ahead (src/ingest/preinflated.ts,
 * src/ingest/native-gunzip.ts), in order from its first byte, their output is emitted as it is and
 * fflate is not used. The first few bytes (a reader's copy of the magic it sniffed) are held back
 * until the next chunk tells which way it goes.
 */
export class GzipStage {
  /** The first problem, as a message for the analyst; decoding stops there. */
  problem: string | null = null;
  /** Compressed bytes seen and the last 8 of them (the trailer: CRC32, ISIZE). */
  private compressedBytes = 0;
  private tail: Uint8Array = new Uint8Array(0);
  /** Decompressed bytes of the current member. */
  private memberBytes = 0;
  private readonly onData: (data: Uint8Array) => void;
  private gunzip: Gunzip | null = null;
  /** Bytes held back before choosing between the stream decompressed ahead and fflate (null: chosen). */
  private held: Uint8Array[] | null = [];
  private heldBytes = 0;
  /** Bound: the piece being read, and how far into its carrier. */
  private piece: InflatedPiece | null = null;
  private within = 0;

  constructor(onData: (data: Uint8Array) => void) {
    this.onData = onData;
  }

  /** Whether the output comes from a stream decompressed ahead (for tests and benchmarks). */
  get preinflated(): boolean {
    return this.piece !== null;
  }

  push(chunk: Uint8Array): void {
    if (this.problem !== null || chunk.length === 0) return;
    if (this.piece) return this.pushBound(chunk);
    if (this.held) {
      const piece = inflatedPieceOf(chunk);
      if (piece && this.canBind(piece.stream, piece.start)) return this.bind(piece, chunk);
      // Not (yet) a stream decompressed ahead: hold back a few bytes, else decode with fflate.
      if (!piece && this.heldBytes + chunk.length <= PREINFLATED_HEAD_BYTES) {
        this.held.push(chunk.slice()); // the caller may reuse its buffer
        this.heldBytes += chunk.length;
        return;
      }
      this.release();
    }
    this.inflate(chunk);
  }

  /** Flushes; afterwards `problem` says whether the stream was complete. */
  end(): void {
    if (this.problem !== null) return;
    if (this.piece) {
      const piece = this.piece;
      const complete = piece.final && this.within === piece.carrier.byteLength;
      this.problem = complete ? piece.problem : 'truncated gzip stream';
      return;
    }
    this.release();
    if (this.problem !== null) return;
    try {
      this.fflate().push(new Uint8Array(0), true);
      if (!this.trailerMatches()) this.problem = 'truncated gzip stream';
    } catch (error) {
      this.problem = describeGzipError(error);
    }
  }

  private canBind(stream: InflatedStream, start: number): boolean {
    if (stream.bound || start !== this.heldBytes || stream.head.length < this.heldBytes) return false;
    let at = 0;
    for (const part of this.held ?? []) {
      for (let i = 0; i < part.length; i++) if (part[i] !== stream.head[at + i]) return false;
      at += part.length;
    }
    return true;
  }

  private bind(piece: InflatedPiece, chunk: Uint8Array): void {
    piece.stream.bound = true;
    this.held = null;
    this.heldBytes = 0;
    this.enter(piece, chunk);
  }

  private pushBound(chunk: Uint8Array): void {
    let rest = chunk;
    while (rest.length > 0) {
      const current = this.piece as InflatedPiece;
      const room = current.carrier.byteLength - this.within;
      if (room === 0) {
        // The next carrier (a chunk may also run on from one carrier into the next).
        const next = current.next;
        const part = next ? rest.subarray(0, next.carrier.byteLength) : rest;
        if (!next || !continuesCarrier(next, 0, part)) return this.lostStream();
        this.enter(next, part);
        rest = rest.subarray(part.length);
        continue;
      }
      const part = rest.subarray(0, room);
      if (!continuesCarrier(current, this.within, part)) return this.lostStream();
      this.within += part.length;
      rest = rest.subarray(part.length);
    }
  }

  /** The first bytes of a piece's carrier: its output is emitted now (all of it, however much of the carrier came). */
  private enter(piece: InflatedPiece, chunk: Uint8Array): void {
    this.piece = piece;
    this.within = chunk.byteLength;
    const output = piece.output;
    piece.output = [];
    for (const data of output) this.onData(data);
  }

  /** Bytes that do not follow the stream the output was taken from: nothing more can be decoded. */
  private lostStream(): void {
    this.problem = 'corrupt gzip stream (the bytes read do not follow the stream decompressed ahead)';
  }

  /** Gives the held-back bytes to fflate: from here on it decodes. */
  private release(): void {
    const held = this.held;
    if (!held) return;
    this.held = null;
    for (const part of held) this.inflate(part);
  }

  private fflate(): Gunzip {
    if (this.gunzip) return this.gunzip;
    const gunzip = new Gunzip((data) => {
      this.memberBytes += data.length;
      this.onData(data);
    });
    gunzip.onmember = () => {
      this.memberBytes = 0;
    };
    return (this.gunzip = gunzip);
  }

  private inflate(chunk: Uint8Array): void {
    if (this.problem !== null) return;
    this.compressedBytes += chunk.length;
    this.tail = lastBytes(this.tail, chunk, 8);
    try {
      this.fflate().push(chunk);
    } catch (error) {
      this.problem = describeGzipError(error);
    }
  }

  private trailerMatches(): boolean {
    // 10-byte header, at least 2 bytes of deflate data, 8-byte trailer.
    if (this.compressedBytes < 20 || this.tail.length < 8) return false;
    return trailerIsize(this.tail.subarray(4)) === this.memberBytes % 2 ** 32;
  }
}

/** A gzip member's ISIZE (its output length mod 2^32) from the trailer's last four bytes, little-endian. */
export function trailerIsize(last4: Uint8Array): number {
  return ((last4[0] ?? 0) | ((last4[1] ?? 0) << 8) | ((last4[2] ?? 0) << 16) | ((last4[3] ?? 0) << 24)) >>> 0;
}

export function describeGzipError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return /unexpected EOF/i.test(message) ? 'truncated gzip stream' : `corrupt gzip stream (${message})`;
}
