import { describe, expect, it } from 'vitest';
import type { Hit } from '../engine/types';
import type { Row } from '../engine/value';
import { FileTable, HitStore, StoreRows, encodeHits } from './columns';

function hit(i: number, host: string): Hit {
  const row: Row = { _time: 1000 + i, agent_hostname: host, action_process_image_command_line: `cmd ${i}`, event_type: 'PROCESS' };
  return {
    key: `0:${i + 1}`,
    eventId: `ev-${i}`,
    fields: { _time: row._time, agent_hostname: host, action_process_image_command_line: row.action_process_image_command_line },
    row,
    raw: { whatever: i },
    source: { file: i % 2 ? 'b.csv' : 'a.csv', row: i + 1, line: i + 2 },
    explanation: { clauses: [] },
  };
}

describe('encodeHits / HitStore', () => {
  it('round-trips what the table needs, dictionary-encoding repeated values', () => {
    const hits = Array.from({ length: 40 }, (_, i) => hit(i, `WS-${i % 3}`));
    const files = new FileTable();
    const store = new HitStore();
    const first = encodeHits(hits.slice(0, 25), files, null);
    const hostCol = first.batch.columns[first.batch.fieldNames.indexOf('agent_hostname')];
    expect(hostCol.kind).toBe('dict');
    store.append(first.batch);
    store.append(encodeHits(hits.slice(25), files, null).batch);
    expect(store.count).toBe(40);
    for (const i of [0, 7, 39]) {
      const h = store.at(i);
      expect(h.key).toBe(hits[i].key);
      expect(h.eventId).toBe(hits[i].eventId);
      expect(h.source).toEqual(hits[i].source);
      expect(h.fields).toEqual(hits[i].fields);
      expect(h.row.agent_hostname).toBe(hits[i].row.agent_hostname);
    }
    expect(JSON.stringify(first.batch)).not.toContain('whatever');
    expect(store.indexOfKey('0:8')).toBe(7);
  });

  it('orders rows by an index list', () => {
    const files = new FileTable();
    const store = new HitStore();
    store.append(encodeHits([hit(0, 'a'), hit(1, 'b'), hit(2, 'c')], files, null).batch);
    const rows = new StoreRows(store, Uint32Array.from([2, 0]), 2);
    expect(rows.at(0).eventId).toBe('ev-2');
    expect(rows.positionOfKey('0:1')).toBe(1);
    expect(rows.positionOfKey('0:2')).toBe(-1);
  });
});
