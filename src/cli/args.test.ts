import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from './args';

const spec = { valued: { format: ['table', 'ndjson'], hunt: [] }, switches: ['strict'] };

describe('parseArgs', () => {
  it('reads values, switches and files in any order', () => {
    const args = parseArgs(['a.csv', '--format', 'ndjson', '--strict', '--hunt=doc.md', 'b.csv'], spec);
    expect(args.values).toEqual({ format: 'ndjson', hunt: 'doc.md' });
    expect([...args.switches]).toEqual(['strict']);
    expect(args.positional).toEqual(['a.csv', 'b.csv']);
  });

  it('rejects unknown flags, missing values and values outside the allowed set', () => {
    expect(() => parseArgs(['--fromat', 'x'], spec)).toThrow(UsageError);
    expect(() => parseArgs(['--format'], spec)).toThrow(/needs a value/);
    expect(() => parseArgs(['--format', 'xml'], spec)).toThrow(/one of table, ndjson/);
    expect(() => parseArgs(['--strict=yes'], spec)).toThrow(/takes no value/);
  });
});
