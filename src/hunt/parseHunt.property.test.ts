import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseHunt } from './index';
import type { Hunt } from './index';

const bundled = readFileSync(fileURLToPath(new URL('../../public/hunts/cloudflare-tunnel-webdav.md', import.meta.url)), 'utf8');
const bundledLines = bundled.split('\n');

function expectWellFormed(hunt: Hunt): void {
  expect(typeof hunt.title).toBe('string');
  expect(hunt.title.length).toBeGreaterThan(0);
  expect(hunt.riskScore === null || Number.isFinite(hunt.riskScore)).toBe(true);
  for (const query of hunt.queries) {
    expect(query.line).toBeGreaterThanOrEqual(1);
    expect(query.supported).toBe(query.language === 'xql');
  }
  for (const row of hunt.attack) expect(row.subtechnique === null || row.subtechnique.length > 0).toBe(true);
}

/** Pieces of the family's syntax, so random documents reach tables, fences and known headings. */
const markdownPiece = fc.constantFrom(
  '# ', '## ', '### ', '1. ', '- ', '* ', '> ', '| ', ' | ', '|---|---|', '```', '```xql', '~~~', '**', '*', '`', '[', '](', ')', ':', '—', '-', '\n', '\r\n', '\n\n', '    ', '\t',
  'Risk Score:', 'Severity', 'ATT&CK Mapping', 'Hunt Query Syntax', 'Recommended Response Actions', 'Version History', 'False Positives', 'References', 'Version', 'Tactic', 'Technique', 'https://x.example',
);

describe('parseHunt never throws', () => {
  it('on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        expectWellFormed(parseHunt(text));
      }),
      { numRuns: 300 },
    );
  });

  it('on arbitrary markdown-like strings', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(markdownPiece, fc.string({ maxLength: 8 })), { maxLength: 120 }), (pieces) => {
        expectWellFormed(parseHunt(pieces.join('')));
      }),
      { numRuns: 300 },
    );
  });

  it('on line deletions and duplications of the bundled document', () => {
    const edit = fc.record({ index: fc.nat({ max: bundledLines.length - 1 }), kind: fc.constantFrom('delete', 'duplicate', 'swap') });
    fc.assert(
      fc.property(fc.array(edit, { maxLength: 25 }), fc.boolean(), (edits, crlf) => {
        const lines = [...bundledLines];
        for (const { index, kind } of edits) {
          const at = index % Math.max(lines.length, 1);
          if (kind === 'delete') lines.splice(at, 1);
          else if (kind === 'duplicate') lines.splice(at, 0, lines[at] ?? '');
          else [lines[at], lines[0]] = [lines[0] ?? '', lines[at] ?? ''];
        }
        expectWellFormed(parseHunt(lines.join(crlf ? '\r\n' : '\n')));
      }),
      { numRuns: 300 },
    );
  });

  // Nesting deep enough to overflow the stack inside the markdown library itself; list depth stays
  // modest because micromark is quadratic in list depth (2,500 levels take seconds).
  it('on deep nesting and a non-string argument', () => {
    expectWellFormed(parseHunt('>'.repeat(20000) + ' deep'));
    expectWellFormed(parseHunt('- '.repeat(400) + 'deep'));
    expectWellFormed(parseHunt('['.repeat(20000)));
    expectWellFormed(parseHunt(undefined as unknown as string));
  });
});
