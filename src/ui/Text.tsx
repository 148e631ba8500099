/**
 * Attacker-written text as React text nodes only: invisible characters become visible tokens and
 * match spans become <mark> elements around plain text slices.
 */
import type { ReactNode } from 'react';
import type { Explanation, ExplainNode, MatchSpan } from '../xql/plan';
import { highlightSegments, visiblePieces } from './visibleText';

export function VisibleText({ text }: { text: string }): ReactNode {
  const pieces = visiblePieces(text);
  if (pieces.length === 1 && pieces[0].kind === 'text') return pieces[0].text;
  return pieces.map((p, i) =>
    p.kind === 'text' ? (
      p.text
    ) : (
      <span key={i} className="invisible-char" title="Invisible or direction-changing character">
        {p.text}
      </span>
    ),
  );
}

export function HighlightedText({ text, spans }: { text: string; spans: readonly { start: number; end: number }[] }): ReactNode {
  if (spans.length === 0) return <VisibleText text={text} />;
  return highlightSegments(text, spans).map((s, i) =>
    s.marked ? (
      <mark key={i}>
        <VisibleText text={s.text} />
      </mark>
    ) : (
      <VisibleText key={i} text={s.text} />
    ),
  );
}

function collect(node: ExplainNode, field: string, out: MatchSpan[]): void {
  // Only comparisons that held explain the hit; a failed OR branch's spans would mislead.
  if (!node.passed || node.skipped) return;
  for (const m of node.matches) if (m.field === field) out.push(m);
  for (const c of node.children) collect(c, field, out);
}

/** All spans of `field` from the clauses that held. */
export function spansFor(explanation: Explanation | undefined, field: string): MatchSpan[] {
  const out: MatchSpan[] = [];
  if (!explanation) return out;
  for (const c of explanation.clauses) collect(c, field, out);
  return out;
}
