import { describe, expect, it } from 'vitest';
import { COLUMN_SAMPLE_RECORDS } from './json-records';
import { STREAM_ID_MESSAGE } from './json-stream';
import { readEverywhere } from './test-helpers';


const records = (collected: ReturnType<typeof readEverywhere>): unknown[] => collected.records.map((entry) => entry.record);

describe('NDJSON reader', () => {
  it('reads one object per line, ignores blank lines, gives lines and raw text', () => {
    const text = '{"_time":1,"agent_hostname":"h1"}\r\n\n   \n{"_time":2,"cmd":"a\\\\b ü"}\n';
    const result = readEverywhere(text, 'x.json');
    expect(result.format?.format).toBe('ndjson');
    expect(result.columns).toEqual(['_time', 'agent_hostname', 'cmd']);
    expect(result.records).toEqual([
      { record: { _time: 1, agent_hostname: 'h1' }, line: 1, rawText: '{"_time":1,"agent_hostname":"h1"}' },
      { record: { _time: 2, cmd: 'a\\b ü' }, line: 4, rawText: '{"_time":2,"cmd":"a\\\\b ü"}' },
    ]);
  });

  it('reports an invalid line in the middle with its line and reason, keeping good lines around it', () => {
    const result = readEverywhere('{"a":1}\n{"a":2,}\n[1,2]\n"text"\n{"a":3}', 'x.ndjson');
    expect(records(result)).toEqual([{ a: 1 }, { a: 3 }]);
    expect(result.malformed.map((entry) => entry.line)).toEqual([2, 3, 4]);
    expect(result.malformed[0].reason).toMatch(/^invalid JSON: /);
    expect(result.malformed[1].reason).toBe('not a JSON object (found an array)');
    expect(result.malformed[2].reason).toBe('not a JSON object (found string)');
  });

  it('unwraps Splunk export lines and Elasticsearch hits', () => {
    const text = [
      '{"preview":false,"offset":0,"result":{"host":"h1","CommandLine":"cmd"}}',
      '{"preview":false,"messages":[{"type":"INFO","text":"x"}]}',
      '{"_index":"winlogbeat","_id":"abc","_source":{"process":{"command_line":"x"}}}',
      '{"_index":"winlogbeat","_id":"abc","_source":{"_id":"own"}}',
    ].join('\n');
    const result = readEverywhere(text, 'x.json');
    expect(records(result)).toEqual([{ host: 'h1', CommandLine: 'cmd' }, { process: { command_line: 'x' }, _id: 'abc' }, { _id: 'own' }]);
    expect(result.malformed).toEqual([]);
  });

  it('announces the union of the first 256 records keys before streaming the rest', () => {
    const lines = Array.from({ length: COLUMN_SAMPLE_RECORDS + 10 }, (_, i) => JSON.stringify(i === 5 ? { a: i, late: true } : i === 300 ? { a: i, never: 1 } : { a: i }));
    const result = readEverywhere(lines.join('\n'), 'x.json');
    expect(result.columns).toEqual(['a', 'late']);
    expect(result.records.length).toBe(COLUMN_SAMPLE_RECORDS + 10);
    expect(result.records[COLUMN_SAMPLE_RECORDS].line).toBe(COLUMN_SAMPLE_RECORDS + 1);
  });
});

describe('JSON array reader', () => {
  it('streams elements with the line where each starts, tolerating strings with brackets and escapes', () => {
    const text = '[\n  {"a": "x]}\\"y", "n": [1, {"b": 2}]},\n  {"a": "\\\\"}\n]\n';
    const result = readEverywhere(text, 'x.csv');
    expect(result.format?.format).toBe('json-array');
    expect(result.records).toEqual([
      { record: { a: 'x]}"y', n: [1, { b: 2 }] }, line: 2, rawText: '{"a": "x]}\\"y", "n": [1, {"b": 2}]}' },
      { record: { a: '\\' }, line: 3, rawText: '{"a": "\\\\"}' },
    ]);
  });

  it('reports a broken element and continues with the next one', () => {
    const result = readEverywhere('[{"a":1},{"a":},{"a":3},7]', 'x.json');
    expect(records(result)).toEqual([{ a: 1 }, { a: 3 }]);
    expect(result.malformed.length).toBe(2);
    expect(result.malformed[0].reason).toMatch(/^invalid JSON: /);
    expect(result.malformed[1].reason).toBe('not a JSON object (found number)');
  });

  it('reads an empty array and reports a truncated one', () => {
    expect(readEverywhere('[ ]').columns).toEqual([]);
    const truncated = readEverywhere('[{"a":1},\n{"a":2');
    expect(records(truncated)).toEqual([{ a: 1 }]);
    expect(truncated.malformed).toEqual([{ line: 2, reason: 'unterminated JSON element (is the file truncated?)' }]);
  });
});

describe('XQL API response reader', () => {
  it('streams reply.results.data with other keys before and after', () => {
    const response = {
      reply: {
        status: 'SUCCESS',
        number_of_results: 2,
        query_cost: { '376699223': 0.003 },
        results: { data: [{ _time: 1652982800000, event_type: 'PROCESS', data: ['not', 'this'] }, { _time: 2, agent_hostname: 'h[1]' }] },
        remaining_quota: 1000.0,
      },
    };
    const result = readEverywhere(JSON.stringify(response, null, 2), 'results.json');
    expect(result.format?.format).toBe('xql-api');
    expect(records(result)).toEqual(response.reply.results.data);
    expect(result.malformed).toEqual([]);
    expect(result.records[0].line).toBe(10);
  });

  it('finds data even when results comes after other nested objects with a data key', () => {
    const text = '{"reply":{"meta":{"data":[{"wrong":1}]},"results":{"data":[{"right":1}]}}}';
    expect(records(readEverywhere(text))).toEqual([{ right: 1 }]);
  });

  it('explains a stream_id response', () => {
    const result = readEverywhere('{"reply":{"status":"SUCCESS","number_of_results":5000,"results":{"stream_id":"abc"}}}');
    expect(result.records).toEqual([]);
    expect(result.columns).toEqual([]);
    expect(result.malformed).toEqual([{ line: 1, reason: STREAM_ID_MESSAGE }]);
  });
});
