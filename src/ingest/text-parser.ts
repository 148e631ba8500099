/** A push parser over decoded text chunks of one file (the stage after decoding, before records). */
export interface TextParser {
  push(text: string): void;
  /** No more text: flush the last record and report anything left open. */
  end(): void;
}

/**
 * An open quoted CSV field or JSON element is buffered up to these caps; past them it is reported as
 * unterminated and parsing restarts at the next line, so one stray quote cannot swallow the file.
 */
export const OPEN_RECORD_CHAR_CAP = 8 * 1024 * 1024;
export const OPEN_RECORD_LINE_CAP = 10_000;

/** Number of `\n` in `text[from, to)`. */
export function countLineBreaks(text: string, from = 0, to = text.length): number {
  let count = 0;
  let at = text.indexOf('\n', from);
  while (at !== -1 && at < to) {
    count++;
    at = text.indexOf('\n', at + 1);
  }
  return count;
}
