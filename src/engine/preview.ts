/**
 * A look at one input before the run: its format, columns, the profile that would be chosen (and
 * why), the resulting field mapping and the source fields the query reads that the file would not
 * provide. Reads at most PREVIEW_BYTES, so it answers in milliseconds whatever the file size and the
 * analyst sees a wrong mapping before waiting for a gigabyte to stream.
 */
import { createByteReader } from '../ingest';
import { detectProfile } from '../ingest/xdr-profile';
import type { FormatInfo } from '../ingest/types';
import { allProfiles, profileById } from '../profiles';
import { compileOrThrow } from './run';
import { openInputs } from './inputs';
import type { RunInput } from './types';
import type { RawRecord } from './value';
import type { EscapeReading } from '../xql/plan';

export const PREVIEW_BYTES = 256 * 1024;
/** The engine's detection sample (run.ts DETECTION_SAMPLE): same records, same verdict. */
const SAMPLE_RECORDS = 64;

export interface PreviewOptions {
  escapes?: EscapeReading;
  profileId?: string;
  profileOverrides?: Readonly<Record<string, string>>;
  maxBytes?: number;
}

export interface PreviewResult {
  /** The name the engine reads under (a zip's first entry is `archive.zip/entry.csv`). */
  entry: string;
  format: FormatInfo | null;
  columns: string[];
  profileId: string | null;
  profileLabel: string | null;
  reason: string | null;
  /** canonical field -> source column (or rule), as the run would bind it. */
  mapping: Record<string, string>;
  canonicalColumns: string[];
  /** Source fields the query reads that this file would not provide. */
  missingFields: string[];
  /** Records seen in the preview (up to the detection sample). */
  sampled: number;
}

export async function previewInput(query: string, input: RunInput, options: PreviewOptions = {}): Promise<PreviewResult> {
  const plan = compileOrThrow(query, options.escapes ?? 'xql');
  const maxBytes = options.maxBytes ?? PREVIEW_BYTES;
  let format: FormatInfo | null = null;
  let columns: string[] = [];
  const sample: RawRecord[] = [];
  let entry = input.name;
  let truncated = false;
  let closing = false;

  for await (const opened of openInputs([input])) {
    entry = opened.name;
    const reader = createByteReader(opened.name, {
      format(info) {
        format = info;
      },
      columns(names) {
        columns = names;
      },
      record(raw) {
        // Flushing a cut-off file yields a half record; it would only mislead detection.
        if (closing && truncated && sample.length > 0) return;
        if (sample.length < SAMPLE_RECORDS) sample.push(raw);
      },
      malformed() {},
    });
    let read = 0;
    for await (const chunk of opened.chunks) {
      const room = maxBytes - read;
      const piece = chunk.byteLength > room ? chunk.subarray(0, room) : chunk;
      reader.push(piece);
      read += piece.byteLength;
      if (read >= maxBytes || sample.length >= SAMPLE_RECORDS) {
        truncated = true;
        break;
      }
    }
    closing = true;
    try {
      reader.end();
    } catch {
      // A truncated gzip or quote may throw on flush; what was read is still a fair preview.
    }
    // Only the first file of an archive: enough to show what the run will make of the export.
    break;
  }

  const chosen = options.profileId
    ? (() => {
        const profile = profileById(options.profileId);
        return profile ? { profile, detection: { score: 1, reason: `chosen: ${options.profileId}` } } : null;
      })()
    : detectProfile(columns, sample, allProfiles);
  if (!chosen) {
    return {
      entry,
      format,
      columns,
      profileId: null,
      profileLabel: null,
      reason: options.profileId ? `unknown profile "${options.profileId}"` : 'no profile recognises these columns',
      mapping: {},
      canonicalColumns: [],
      missingFields: plan.sourceFields.slice(),
      sampled: sample.length,
    };
  }
  const bound = chosen.profile.bind(columns, options.profileOverrides);
  const missingFields = plan.bind(new Set(bound.canonicalColumns)).missingFields;
  return {
    entry,
    format,
    columns,
    profileId: bound.profileId,
    profileLabel: chosen.profile.label,
    reason: chosen.detection.reason,
    mapping: bound.mapping,
    canonicalColumns: [...bound.canonicalColumns],
    missingFields,
    sampled: sample.length,
  };
}

/**
 * A short stable hash (FNV-1a, 32 bit, hex) of the sorted, lower-cased column names: the same export
 * layout gets the same key whatever the column order or file name, for remembering a mapping.
 */
export function headerSignature(columns: readonly string[]): string {
  const text = [...columns].map((c) => c.toLowerCase()).sort().join('\n');
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
