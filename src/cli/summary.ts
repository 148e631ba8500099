import type { RunResult } from '../engine/types';

/** The stderr summary of a scan: warnings, malformed rows, funnel, totals. */
export function summaryLines(result: RunResult): string[] {
  const { stats } = result;
  const lines: string[] = [];
  for (const warning of stats.warnings) lines.push(`warning: ${warning}`);
  for (const bad of stats.malformedSamples.slice(0, 20)) lines.push(`skipped: ${bad.file}:${bad.line}: ${bad.reason}`);
  if (stats.malformed > 20) lines.push(`skipped: … and ${stats.malformed - 20} more malformed rows`);
  for (const note of stats.literalNotes) lines.push(`note: ${note.message}`);
  if (stats.otherReadingHits !== null) {
    const other = stats.escapes === 'xql' ? 'backslash' : 'xql';
    lines.push(`note: the ${other} reading of the string literals finds ${stats.otherReadingHits} hits (this run: ${stats.hits}, reading ${stats.escapes})`);
  }
  if (stats.funnel) {
    for (const step of stats.funnel) {
      const flag = step.skipped ? ' (skipped: column missing)' : '';
      lines.push(`funnel: ${String(step.cumulative).padStart(10)} cumulative ${String(step.passed).padStart(10)} alone  ${step.clause.text}${flag}`);
    }
  }
  for (const file of stats.files) {
    lines.push(`file: ${file.name}: ${file.rows} rows, ${file.malformed} skipped, ${file.format?.format ?? 'unknown'} (${file.format?.compression ?? 'none'}), profile ${file.profileId ?? 'none'}`);
  }
  const mb = stats.bytes / 1e6;
  const seconds = stats.elapsedMs / 1000;
  lines.push(
    `scanned ${stats.rows} rows, ${mb.toFixed(1)} MB in ${seconds.toFixed(2)} s (${seconds > 0 ? (mb / seconds).toFixed(1) : '∞'} MB/s): ${stats.hits} hits, ${stats.malformed} malformed rows skipped`,
  );
  return lines;
}
