import { describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { csvCell, csvRow, neutraliseFormula } from './csv';

describe('csv output', () => {
  it.each([
    ['=HYPERLINK("http://x","y")', `'=HYPERLINK("http://x","y")`],
    ['+cmd|/c calc', `'+cmd|/c calc`],
    ['-2+3', `'-2+3`],
    ['@SUM(A1)', `'@SUM(A1)`],
    ['\t=1', `'\t=1`],
    ['\r=1', `'\r=1`],
    ['cmd.exe /c net use', 'cmd.exe /c net use'],
  ])('neutralises %j', (input, expected) => {
    expect(neutraliseFormula(input)).toBe(expected);
  });

  it('quotes and round-trips through a well-kept CSV parser', () => {
    const cells = ['a,b', 'say "hi"', 'line\nbreak', 'plain', 'crlf\r\nx'];
    const parsed = Papa.parse<string[]>(csvRow(cells).trimEnd(), { newline: '\r\n' });
    expect(parsed.data[0]).toEqual(cells);
    expect(csvCell('plain')).toBe('plain');
  });
});
