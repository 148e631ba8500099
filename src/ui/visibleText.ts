/**
 * Make invisible and direction-changing characters visible. Attackers hide intent in command
 * lines with bidi overrides (U+202E makes `exe.txt` read `txt.exe`), zero-width characters that
 * defeat copy-paste searches, and control characters; the analyst must see them.
 */

export interface TextPiece {
  /** 'text' is shown as is; 'invisible' is a code point rendered as a ⟦U+XXXX⟧ token. */
  kind: 'text' | 'invisible';
  text: string;
}

/**
 * C0 controls (including tab and newlines: a one-line cell must not hide a second line), DEL and
 * C1 controls, soft hyphen, Arabic letter mark, zero-width and directional marks (U+200B-U+200F),
 * line/paragraph separators, bidi embeddings and overrides (U+202A-U+202E), word joiner and
 * invisible operators (U+2060-U+2064), bidi isolates (U+2066-U+2069) and the BOM / ZWNBSP.
 */
// Matching control characters is the point of this pattern.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001F\u007F-\u009F\u00AD\u061C\u200B-\u200F\u2028\u2029\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

export function isInvisible(ch: string): boolean {
  INVISIBLE.lastIndex = 0;
  return INVISIBLE.test(ch);
}

export function codePointLabel(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  return `⟦U+${cp.toString(16).toUpperCase().padStart(4, '0')}⟧`;
}

/** Split `text` into plain runs and one piece per invisible character. */
export function visiblePieces(text: string): TextPiece[] {
  const out: TextPiece[] = [];
  let last = 0;
  INVISIBLE.lastIndex = 0;
  for (let m = INVISIBLE.exec(text); m !== null; m = INVISIBLE.exec(text)) {
    if (m.index > last) out.push({ kind: 'text', text: text.slice(last, m.index) });
    out.push({ kind: 'invisible', text: codePointLabel(m[0]) });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ kind: 'text', text: text.slice(last) });
  return out;
}

/** The same as one plain string (for titles, copy buttons and tests). */
export function visibleText(text: string): string {
  return visiblePieces(text)
    .map((p) => p.text)
    .join('');
}

export function hasInvisible(text: string): boolean {
  INVISIBLE.lastIndex = 0;
  return INVISIBLE.test(text);
}

export interface HighlightSegment {
  text: string;
  marked: boolean;
}

/**
 * Cut `text` at match spans ([start, end) in UTF-16 code units, possibly overlapping or out of
 * range) into alternating plain and marked segments.
 */
export function highlightSegments(text: string, spans: readonly { start: number; end: number }[]): HighlightSegment[] {
  const ranges = spans
    .map((s) => [Math.max(0, Math.min(s.start, text.length)), Math.max(0, Math.min(s.end, text.length))] as const)
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  const merged: [number, number][] = [];
  for (const [a, b] of ranges) {
    const prev = merged[merged.length - 1];
    if (prev && a <= prev[1]) prev[1] = Math.max(prev[1], b);
    else merged.push([a, b]);
  }
  const out: HighlightSegment[] = [];
  let at = 0;
  for (const [a, b] of merged) {
    if (a > at) out.push({ text: text.slice(at, a), marked: false });
    out.push({ text: text.slice(a, b), marked: true });
    at = b;
  }
  if (at < text.length || out.length === 0) out.push({ text: text.slice(at), marked: false });
  return out;
}
