import { describe, expect, it } from 'vitest';
import { XqlCompileError } from './errors';
import { lex, tokensText } from './lexer';
import { literalNoteMessage, processEscapes, readStringLiteral } from './literals';

function errorOf(run: () => unknown): XqlCompileError {
  try {
    run();
  } catch (error) {
    if (error instanceof XqlCompileError) return error;
    throw error;
  }
  throw new Error('expected an error');
}

describe('string literals', () => {
  it('reads "..." literally under the documented xql reading', () => {
    const [token] = lex('"\\test\\"', 'xql');
    expect(token.kind).toBe('string');
    expect(token.value).toBe('\\test\\');
    // Under the backslash reading \t is a tab and the lone trailing backslash stays.
    expect(token.readings).toEqual({ xql: '\\test\\', backslash: '\test\\' });
  });

  it('processes escapes inside "..." under the backslash reading, and \\" does not end the string', () => {
    const tokens = lex('"a\\"b\\\\c\\n" x', 'backslash');
    expect(tokens[0].value).toBe('a"b\\c\n');
    expect(tokens[1].text).toBe('x');
  });

  it('gives four backslashes under xql and two under backslash for "\\\\\\\\"', () => {
    const [token] = lex('"\\\\\\\\"', 'xql');
    expect(token.readings).toEqual({ xql: '\\\\\\\\', backslash: '\\\\' });
  });

  it('processes escapes in triple-quoted strings under both readings', () => {
    for (const reading of ['xql', 'backslash'] as const) {
      const [token] = lex('"""\\\\test\\\\ say "hi"\\t"""', reading);
      expect(token.value).toBe('\\test\\ say "hi"\t');
      expect(token.tripleQuoted).toBe(true);
    }
  });

  it('reads "" as the empty string', () => {
    const tokens = lex('x = ""', 'xql');
    expect(tokens[2].kind).toBe('string');
    expect(tokens[2].value).toBe('');
  });

  it('keeps unknown escapes as written', () => {
    expect(processEscapes('\\d+\\.exe')).toBe('\\d+\\.exe');
    expect(readStringLiteral('C:\\Temp\\x', false).backslash).toBe('C:\\Temp\\x');
  });

  it('marks strings whose closing quote differs between readings', () => {
    const [token] = lex('"a\\" or b = "c"', 'xql');
    expect(token.value).toBe('a\\');
    expect(token.boundariesDiffer).toBe(true);
  });

  it('writes a one-sentence note', () => {
    const message = literalNoteMessage('"\\\\\\\\"', { xql: '\\\\\\\\', backslash: '\\\\' }, false);
    expect(message).toMatch(/four|4 backslashes/);
    expect(message).toMatch(/UNC/);
    expect(message.endsWith('.')).toBe(true);
  });
  it('does not name a value for the escaped reading when that reading ends the string elsewhere', () => {
    const message = literalNoteMessage('"\\"', { xql: '\\', backslash: '"' }, true);
    expect(message).toMatch(/^Under the documented XQL reading "\\" looks for \\ \(1 backslash\); with backslash escapes its closing quote is escaped/);
    expect(message).not.toMatch(/looks for " /);
  });

});

describe('lexer', () => {
  it('skips // and /* */ comments and tracks lines and columns', () => {
    const tokens = lex('// title\nfilter /* a\nb */ x = 1 // end\n| limit 2', 'xql');
    expect(tokens.map((token) => token.text)).toEqual(['filter', 'x', '=', '1', '|', 'limit', '2', '']);
    expect(tokens[1].pos).toMatchObject({ line: 3, column: 6 });
    expect(tokens[4].pos).toMatchObject({ line: 4, column: 1 });
  });

  it('lexes dotted names, operators and numbers', () => {
    const tokens = lex('ENUM.PROCESS != 1.5 ~= <= >= -3', 'xql');
    expect(tokens.map((token) => [token.kind, token.text])).toEqual([
      ['ident', 'ENUM.PROCESS'],
      ['op', '!='],
      ['number', '1.5'],
      ['op', '~='],
      ['op', '<='],
      ['op', '>='],
      ['op', '-'],
      ['number', '3'],
      ['eof', ''],
    ]);
  });

  it('reports an unterminated string at its opening quote', () => {
    const error = errorOf(() => lex('filter x = 1\n  and y = "abc', 'xql'));
    expect([error.line, error.column]).toEqual([2, 11]);
    expect(error.message).toMatch(/Unterminated string/);
  });

  it('reports an unterminated comment and an unexpected character', () => {
    const comment = errorOf(() => lex('x /* never closed', 'xql'));
    expect([comment.line, comment.column]).toEqual([1, 3]);
    const character = errorOf(() => lex('x = 1\n ; y', 'xql'));
    expect([character.line, character.column]).toEqual([2, 2]);
  });

  it('collapses whitespace and drops comments in token text', () => {
    const text = 'a   =\n  1 /* c */ and\tb=2';
    const tokens = lex(text, 'xql');
    expect(tokensText(text, tokens, 0, tokens.length)).toBe('a = 1 and b=2');
  });
});
