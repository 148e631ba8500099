/**
 * Gzip chunks that arrive already decompressed.
 *
 * The readers are synchronous (push/end), native decompression (node:zlib, DecompressionStream) is
 * not. So src/engine/inputs.ts decompresses a gzip input ahead, natively, and still hands the
 * readers the file's own compressed bytes ("carriers"), each registered here with the output it
 * stands for. GzipStage looks a carrier up and, when it has been given exactly the stream's bytes in
 * order, emits that output instead of inflating (it "binds" to the stream). Everything else about a
 * gzip file (format detection, byte counts, progress, line numbers, the problem report) stays as
 * it is, and a reader that never binds (a copy, a consumer that does not know about this) simply
 * inflates the carriers itself with fflate: they are the real bytes.
 */

export interface InflatedPiece {
  readonly stream: InflatedStream;
  /** The compressed bytes, as handed on. */
  readonly carrier: Uint8Array;
  /** Offset of the carrier in the compressed stream. */
  readonly start: number;
  /** The decompressed bytes this piece stands for (emptied once emitted). */
  output: Uint8Array[];
  /** The last piece of the stream: `problem` is the stream's outcome. */
  readonly final: boolean;
  readonly problem: string | null;
  /** The piece after this one, once it has been handed on. */
  next: InflatedPiece | null;
}

/** Compressed bytes kept from the start of a stream, to check what a reader saw before binding. */
export const PREINFLATED_HEAD_BYTES = 64;

export class InflatedStream {
  /** Set by the one GzipStage that emits this stream's output. */
  bound = false;
  /** The first PREINFLATED_HEAD_BYTES compressed bytes. */
  head = new Uint8Array(0);
  private last: InflatedPiece | null = null;

  /** Records a carrier (before it is handed on) with the output it stands for. */
  add(carrier: Uint8Array, output: Uint8Array[], final: boolean, problem: string | null): InflatedPiece {
    const start = this.last ? this.last.start + this.last.carrier.byteLength : 0;
    if (this.head.length < PREINFLATED_HEAD_BYTES) {
      const take = carrier.subarray(0, PREINFLATED_HEAD_BYTES - this.head.length);
      const head = new Uint8Array(this.head.length + take.length);
      head.set(this.head, 0);
      head.set(take, this.head.length);
      this.head = head;
    }
    const piece: InflatedPiece = { stream: this, carrier, start, output, final, problem, next: null };
    if (this.last) this.last.next = piece;
    this.last = piece;
    // Found by the carrier object itself, not by its memory: another stream over the same bytes
    // (the same file read again, the fallback's second read) has carriers of its own.
    registry.set(carrier, piece);
    return piece;
  }
}

const registry = new WeakMap<Uint8Array, InflatedPiece>();

/** The piece `chunk` is the carrier of. */
export function inflatedPieceOf(chunk: Uint8Array): InflatedPiece | undefined {
  return registry.get(chunk);
}

/** Whether `chunk` is the bytes of `piece`'s carrier from `within` on: the same memory, or equal bytes. */
export function continuesCarrier(piece: InflatedPiece, within: number, chunk: Uint8Array): boolean {
  const carrier = piece.carrier;
  if (within + chunk.byteLength > carrier.byteLength) return false;
  if (chunk.buffer === carrier.buffer && chunk.byteOffset === carrier.byteOffset + within) return true;
  for (let i = 0; i < chunk.byteLength; i++) if (chunk[i] !== carrier[within + i]) return false;
  return true;
}
