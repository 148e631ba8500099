import { describe, expect, it } from 'vitest';
import { hasInvisible, highlightSegments, visiblePieces, visibleText } from './visibleText';

describe('visibleText', () => {
  it('leaves ordinary text alone', () => {
    expect(visibleText('cmd.exe /c net use \\\\x.trycloudflare.com@SSL\\DavWWWRoot')).toBe(
      'cmd.exe /c net use \\\\x.trycloudflare.com@SSL\\DavWWWRoot',
    );
    expect(visiblePieces('abc')).toEqual([{ kind: 'text', text: 'abc' }]);
    expect(visiblePieces('')).toEqual([]);
  });

  it('shows bidi overrides, isolates and zero-width characters', () => {
    expect(visibleText('invoice\u202Etxt.exe')).toBe('invoice⟦U+202E⟧txt.exe');
    expect(visibleText('a\u200Bb\u200Fc')).toBe('a⟦U+200B⟧b⟦U+200F⟧c');
    expect(visibleText('\u2066x\u2069')).toBe('⟦U+2066⟧x⟦U+2069⟧');
    expect(visibleText('\u202A\u202B\u202C\u202D')).toBe('⟦U+202A⟧⟦U+202B⟧⟦U+202C⟧⟦U+202D⟧');
    expect(visibleText('\uFEFFx')).toBe('⟦U+FEFF⟧x');
  });

  it('shows control characters, including newlines and tabs', () => {
    expect(visibleText('a\nb\tc\u0000\u007F')).toBe('a⟦U+000A⟧b⟦U+0009⟧c⟦U+0000⟧⟦U+007F⟧');
  });

  it('splits into typed pieces', () => {
    expect(visiblePieces('x\u202Ey')).toEqual([
      { kind: 'text', text: 'x' },
      { kind: 'invisible', text: '⟦U+202E⟧' },
      { kind: 'text', text: 'y' },
    ]);
    expect(hasInvisible('plain')).toBe(false);
    expect(hasInvisible('p\u200Dlain')).toBe(true);
    // The regex is global; repeated calls must not carry lastIndex state.
    expect(hasInvisible('p\u200Dlain')).toBe(true);
  });

  it('does not touch visible non-ASCII text', () => {
    expect(visibleText('Grüße 東京 é')).toBe('Grüße 東京 é');
  });
});

describe('highlightSegments', () => {
  it('marks spans and merges overlaps', () => {
    expect(highlightSegments('abcdef', [{ start: 1, end: 3 }, { start: 2, end: 4 }])).toEqual([
      { text: 'a', marked: false },
      { text: 'bcd', marked: true },
      { text: 'ef', marked: false },
    ]);
  });
  it('clamps out-of-range spans and handles none', () => {
    expect(highlightSegments('abc', [{ start: 2, end: 99 }])).toEqual([
      { text: 'ab', marked: false },
      { text: 'c', marked: true },
    ]);
    expect(highlightSegments('abc', [])).toEqual([{ text: 'abc', marked: false }]);
    expect(highlightSegments('', [])).toEqual([{ text: '', marked: false }]);
  });
});
