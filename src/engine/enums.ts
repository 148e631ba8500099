/**
 * XDR enum codes. Only PROCESS=1 and (within PROCESS) PROCESS_START=1 are confirmed by Palo Alto's
 * documentation; the other event_type numbers come from a community table (see
 * ../shared/research/xql-xdr.md §2) and are used only to translate, never to guess further.
 */
export const EVENT_TYPE_BY_CODE: Readonly<Record<number, string>> = {
  1: 'PROCESS',
  2: 'NETWORK',
  3: 'FILE',
  4: 'REGISTRY',
  5: 'INJECTION',
  6: 'LOAD_IMAGE',
  7: 'USER_STATUS_CHANGE',
  8: 'TIME_CHANGE',
  9: 'THREAD',
  10: 'CAUSALITY',
  11: 'HOST_STATUS_CHANGE',
  12: 'AGENT_STATUS_CHANGE',
  13: 'INTERNAL_STATISTICS',
  14: 'PROCESS_HANDLE',
  15: 'EVENT_LOG',
  16: 'EPM_STATUS',
  17: 'METADATA_CHANGE',
  18: 'SYSTEM_CALL',
  19: 'DEVICE',
  23: 'HOST_FIREWALL',
};

/** event_sub_type codes, keyed by event_type name. */
export const EVENT_SUB_TYPE_BY_CODE: Readonly<Record<string, Readonly<Record<number, string>>>> = {
  PROCESS: { 1: 'PROCESS_START' },
};

/** Fields whose values are XDR enums (compared by name, `ENUM.` prefix optional). */
export const ENUM_FIELDS: ReadonlySet<string> = new Set([
  'event_type',
  'event_sub_type',
  'agent_os_type',
  'agent_os_sub_type',
  'action_file_type',
  'actor_process_signature_status',
  'action_process_signature_status',
  'causality_actor_process_signature_status',
  'action_file_signature_status',
]);

/** Name for a numeric enum code, or null when the code is not known (then it stays a number). */
export function enumName(field: string, code: number, eventType?: string | null): string | null {
  if (field === 'event_type') return EVENT_TYPE_BY_CODE[code] ?? null;
  if (field === 'event_sub_type' && eventType) return EVENT_SUB_TYPE_BY_CODE[eventType]?.[code] ?? null;
  return null;
}

/** `ENUM.PROCESS`, `enum.process`, `PROCESS` -> `PROCESS`. */
export function canonicalEnumName(text: string): string {
  const upper = text.trim().toUpperCase();
  return upper.startsWith('ENUM.') ? upper.slice(5) : upper;
}
