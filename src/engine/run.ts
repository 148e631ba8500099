import { compileXql } from '../xql';
import {
  CLAUSE_FAIL,
  CLAUSE_NOT_EVALUATED,
  CLAUSE_PASS,
  CLAUSE_SKIPPED,
  type BoundPlan,
  type EscapeReading,
  type Plan,
  type PipelineItem,
} from '../xql/plan';
import { createByteReader } from '../ingest';
import { createCandidateReader, type CandidateReader } from '../ingest/candidates';
import { detectProfile } from '../ingest/xdr-profile';
import { allProfiles, profileById } from '../profiles';
import type { BoundProfile } from '../ingest/profile';
import type { RecordSink } from '../ingest/types';
import type { RawRecord, Row, Value } from './value';
import type {
  FileStats,
  FunnelStep,
  Hit,
  HitSource,
  MalformedRow,
  NearMiss,
  Progress,
  RunInput,
  RunOptions,
  RunResult,
  RunStats,
} from './types';
import { openInputs } from './inputs';
import { candidateFilter } from './prefilter';

/** A failure the caller should show as one line (bad query, strict-mode violation). */
export class EngineError extends Error {
  override name = 'EngineError';
}

/** Records buffered per file before the profile is chosen, so detection can look at values. */
const DETECTION_SAMPLE = 64;
const MALFORMED_SAMPLE_CAP = 1000;
const PROGRESS_INTERVAL_MS = 50;
const HIT_BATCH = 500;

interface HitTag {
  key: string;
  eventId: string;
  raw: RawRecord;
  source: HitSource;
  /** The row the streaming stages saw, kept for explaining on demand. */
  sourceRow: Row;
  explainer: BoundPlan;
}

export function otherReading(escapes: EscapeReading): EscapeReading {
  return escapes === 'xql' ? 'backslash' : 'xql';
}

export function compileOrThrow(query: string, escapes: EscapeReading): Plan {
  const compiled = compileXql(query, { escapes });
  if (!compiled.ok) {
    const { message, line, column } = compiled.error;
    throw new EngineError(`XQL error at line ${line}, column ${column}: ${message}`);
  }
  return compiled.plan;
}

/**
 * One streaming run: chunks in, plan applied, hits out. Memory is bounded by the hits (and near
 * misses), never by the file: readers push records one at a time and nothing else is kept.
 */
export async function runHunt(query: string, inputs: RunInput[], options: RunOptions = {}): Promise<RunResult> {
  const started = performance.now();
  const escapes = options.escapes ?? 'xql';
  const coverage = options.coverage ?? true;
  const nearMissLimit = options.nearMissLimit ?? 1000;
  const plan = compileOrThrow(query, escapes);
  const otherPlan = plan.literalNotes.length > 0 ? compileOrThrow(query, otherReading(escapes)) : null;

  const clauseCount = plan.clauses.length;
  const passedByClause = new Array<number>(clauseCount).fill(0);
  const cumulativeByClause = new Array<number>(clauseCount).fill(0);
  const skippedClauses = new Set<number>();
  const clauseOut = new Uint8Array(clauseCount);

  const items: PipelineItem<HitTag>[] = [];
  const nearMisses: NearMiss[] = [];
  const files: FileStats[] = [];
  const warnings: string[] = [];
  const malformedSamples: MalformedRow[] = [];
  const allColumns = new Set<string>();
  const totalBytes = inputs.reduce((sum, input) => sum + input.size, 0);
  let bytesDone = 0;
  let rowsDone = 0;
  let otherHits = 0;
  let malformedTotal = 0;
  let usedPrefilter = false;
  let skippedUnparsed = false;
  let pendingHits: Hit[] = [];
  let lastProgress = 0;
  let reportedBytes = 0;

  const reportProgress = (file: string, force: boolean): void => {
    if (!options.onProgress) return;
    const now = performance.now();
    if (!force && now - lastProgress < PROGRESS_INTERVAL_MS) return;
    lastProgress = now;
    reportedBytes = bytesDone;
    const progress: Progress = { bytes: bytesDone, totalBytes, rows: rowsDone, hits: items.length, file };
    options.onProgress(progress);
  };
  const flushHits = (): void => {
    if (pendingHits.length > 0 && options.onHits) options.onHits(pendingHits);
    pendingHits = [];
  };

  let fileIndex = 0;
  // Archive entries are decompressed bytes; progress counts the archive's own bytes as they are read.
  for await (const file of openInputs(inputs, (bytes) => (bytesDone += bytes))) {
    const index = fileIndex++;
    const stats: FileStats = {
      name: file.name,
      bytes: 0,
      rows: 0,
      malformed: 0,
      format: null,
      profileId: null,
      profileReason: null,
      mapping: {},
      missingFields: [],
    };
    files.push(stats);

    let profile: BoundProfile | null = null;
    let bound: BoundPlan | null = null;
    let otherBound: BoundPlan | null = null;
    let columns: string[] = [];
    let pending: { raw: RawRecord; line: number }[] = [];
    /** No profile recognises the file: it is reported and its records are passed over. */
    let unrecognised = false;

    const bind = (): void => {
      const sample = pending.map((p) => p.raw);
      const chosen = options.profileId
        ? { profile: profileById(options.profileId), detection: { score: 1, reason: `chosen: ${options.profileId}` } }
        : detectProfile(columns, sample, allProfiles);
      if (!chosen || !chosen.profile) {
        if (options.profileId) throw new EngineError(`unknown profile "${options.profileId}"`);
        const reason = `no profile recognises these columns (${describeColumns(columns)})`;
        // One unknown file must not cost the hits of the others; strict mode makes it an error.
        if (options.strict) throw new EngineError(`${file.name}: ${reason}`);
        unrecognised = true;
        pending = [];
        stats.malformed++;
        malformedTotal++;
        if (malformedSamples.length < MALFORMED_SAMPLE_CAP) malformedSamples.push({ file: file.name, line: 1, reason: `${reason}; the file was not read` });
        return;
      }
      profile = chosen.profile.bind(columns, options.profileOverrides);
      stats.profileId = profile.profileId;
      stats.profileReason = chosen.detection.reason;
      stats.mapping = profile.mapping;
      const canonical = new Set(profile.canonicalColumns);
      for (const c of canonical) allColumns.add(c);
      bound = plan.bind(canonical);
      otherBound = otherPlan ? otherPlan.bind(canonical) : null;
      stats.missingFields = bound.missingFields;
      for (const clauseIndex of bound.skippedClauses) skippedClauses.add(clauseIndex);
      if (bound.missingFields.length > 0 && columns.length > 0) {
        const skippedText = bound.skippedClauses.map((i) => `"${plan.clauses[i]?.text ?? i}"`).join(', ');
        const message =
          `${file.name}: the export has no column ${bound.missingFields.join(', ')}; ` +
          (skippedText ? `clause ${skippedText} not evaluated` : 'comparisons on it not evaluated');
        if (options.strict) throw new EngineError(`${message} (strict mode)`);
        warnings.push(message);
      }
      if (!coverage) {
        // The raw-text scan is sound only where every literal appears verbatim in the file's text:
        // the xdr profile copies values (see BoundPlan.requiredLiterals). Other profiles derive
        // values (basenames, joined user names, constants such as _product = "Falcon"), so a
        // literal may be in a field and not in the text: their records are all parsed.
        const filter = profile.profileId === 'xdr' ? candidateFilter(plan.caseSensitive, bound, otherBound) : null;
        candidates?.setFilter(filter);
        if (filter) usedPrefilter = true;
      }
    };

    const processRecord = (raw: RawRecord, line: number): void => {
      const boundPlan = bound as BoundPlan | null;
      const boundProfile = profile as BoundProfile | null;
      if (!boundPlan || !boundProfile) return;
      stats.rows++;
      rowsDone++;
      const rowNumber = stats.rows;
      const row = boundProfile.toRow(raw);
      let out: Row | null;
      if (coverage) {
        clauseOut.fill(CLAUSE_NOT_EVALUATED);
        out = boundPlan.evaluate(row, clauseOut);
        countFunnel(row, line, rowNumber, boundPlan);
      } else {
        out = boundPlan.evaluate(row);
      }
      const otherBoundPlan = otherBound as BoundPlan | null;
      if (otherBoundPlan && otherBoundPlan.evaluate(row) !== null) otherHits++;
      if (out === null) return;
      const source: HitSource = { file: file.name, row: rowNumber, line };
      const key = `${index}:${rowNumber}`;
      const eventId = eventIdOf(row, key);
      // Readers hand out slices of their decoded chunk; copying keeps a hit from pinning the chunk.
      const copied = structuredClone(out === row ? [raw, row] : [raw, row, out]);
      const sourceRow = copied[1] as Row;
      out = (copied[2] ?? sourceRow) as Row;
      const tag: HitTag = { key, eventId, raw: copied[0] as RawRecord, source, sourceRow, explainer: boundPlan };
      items.push({ row: out, tag });
      if (options.onHits) {
        pendingHits.push(toHit(out, tag, boundPlan));
        if (pendingHits.length >= HIT_BATCH) flushHits();
      }
    };

    const countFunnel = (row: Row, line: number, rowNumber: number, boundPlan: BoundPlan): void => {
      let allSoFar = true;
      let failures = 0;
      let failedClause = -1;
      let complete = true;
      for (let i = 0; i < clauseCount; i++) {
        const outcome = clauseOut[i];
        const passed = outcome === CLAUSE_PASS || outcome === CLAUSE_SKIPPED;
        if (passed) passedByClause[i]++;
        allSoFar = allSoFar && passed;
        if (allSoFar) cumulativeByClause[i]++;
        if (outcome === CLAUSE_FAIL) {
          failures++;
          failedClause = i;
        } else if (outcome === CLAUSE_NOT_EVALUATED) {
          complete = false;
        }
      }
      if (complete && failures === 1 && nearMisses.length < nearMissLimit) {
        const key = `${index}:${rowNumber}`;
        nearMisses.push({
          key,
          eventId: eventIdOf(row, key),
          row: structuredClone(row),
          source: { file: file.name, row: rowNumber, line },
          failedClause,
          explanation: boundPlan.explain(row),
        });
      }
    };

    const sink: RecordSink = {
      format(info) {
        stats.format = info;
      },
      columns(names) {
        columns = names;
      },
      record(raw, line) {
        if (unrecognised) return;
        if (profile) {
          processRecord(raw, line);
          return;
        }
        pending.push({ raw, line });
        if (pending.length >= DETECTION_SAMPLE) {
          bind();
          const buffered = pending;
          pending = [];
          for (const p of buffered) processRecord(p.raw, p.line);
        }
      },
      malformed(line, reason) {
        stats.malformed++;
        malformedTotal++;
        if (malformedSamples.length < MALFORMED_SAMPLE_CAP) malformedSamples.push({ file: file.name, line, reason });
      },
      warning(line, message) {
        warnings.push(`${file.name}:${line}: ${message}`);
      },
      rowsSkipped(count) {
        // Only after binding (the candidate reader skips nothing before setFilter).
        stats.rows += count;
        rowsDone += count;
      },
    };
    // Without coverage the candidate reader parses only records that can match (once bound).
    const candidates: CandidateReader | null = coverage ? null : createCandidateReader(file.name, sink);
    const reader = candidates ?? createByteReader(file.name, sink);

    for await (const chunk of file.chunks) {
      if (options.signal?.aborted) throw abortError();
      reader.push(chunk);
      stats.bytes += chunk.byteLength;
      if (file.countsTowardsTotal) bytesDone += chunk.byteLength;
      flushHits();
      reportProgress(file.name, false);
    }
    reader.end();
    if (candidates?.skipped) skippedUnparsed = true;
    if (!profile && !unrecognised && (pending.length > 0 || columns.length > 0)) {
      bind();
      for (const p of pending) processRecord(p.raw, p.line);
      pending = [];
    }
    flushHits();
    reportProgress(file.name, true);
  }

  // A zip's central directory is read after its last entry has been reported.
  if (reportedBytes !== bytesDone) reportProgress(files.at(-1)?.name ?? '', true);
  const finisher = plan.bind(allColumns);
  const finished = finisher.finish(items);
  const aggregateRows = finished.some((item) => item.tag === undefined);
  const hits: Hit[] = [];
  let aggregate: RunResult['aggregate'] = null;
  if (aggregateRows) {
    const fields = finisher.outputFields ?? [...new Set(finished.flatMap((item) => Object.keys(item.row)))];
    aggregate = { fields, rows: finished.map((item) => item.row) };
  } else {
    for (const item of finished) if (item.tag) hits.push(toHit(item.row, item.tag, finisher));
  }

  const funnel: FunnelStep[] | null =
    coverage && !usedPrefilter
      ? plan.clauses.map((clause, i) => ({
          clause,
          passed: passedByClause[i] ?? 0,
          cumulative: cumulativeByClause[i] ?? 0,
          skipped: skippedClauses.has(i),
        }))
      : null;

  const stats: RunStats = {
    files,
    bytes: files.reduce((sum, f) => sum + f.bytes, 0),
    rows: rowsDone,
    hits: aggregate ? aggregate.rows.length : hits.length,
    malformed: malformedTotal,
    malformedSamples,
    funnel,
    warnings,
    escapes,
    literalNotes: plan.literalNotes,
    otherReadingHits: otherPlan ? otherHits : null,
    malformedCandidatesOnly: skippedUnparsed,
    elapsedMs: performance.now() - started,
  };
  return { plan, hits, aggregate, nearMisses, stats };
}

function describeColumns(columns: readonly string[]): string {
  if (columns.length === 0) return 'none';
  const shown = columns.slice(0, 6).join(', ');
  return columns.length > 6 ? `${shown}, … ${columns.length} in all` : shown;
}

function eventIdOf(row: Row, key: string): string {
  const id = row['event_id'];
  return id === null || id === undefined || id === '' ? key : String(id);
}

function toHit(out: Row, tag: HitTag, boundPlan: BoundPlan): Hit {
  const outputFields = boundPlan.outputFields;
  let fields: Record<string, Value>;
  if (outputFields) {
    fields = {};
    for (const name of outputFields) fields[name] = out[name] ?? null;
  } else {
    fields = out;
  }
  const hit = { key: tag.key, eventId: tag.eventId, fields, row: out, raw: tag.raw, source: tag.source } as Hit;
  // Explanations are trees of dozens of objects; keeping one per hit made 100,000 hits cost
  // seconds of garbage collection. They are recomputed (deterministically) whenever read, and
  // the getter is an own enumerable property so JSON and structured clone still carry them.
  const { sourceRow, explainer } = tag;
  Object.defineProperty(hit, 'explanation', { enumerable: true, configurable: true, get: () => explainer.explain(sourceRow) });
  return hit;
}

function abortError(): Error {
  const error = new Error('run cancelled');
  error.name = 'AbortError';
  return error;
}
