/**
 * Field mappings the analyst chose, remembered per export layout: the key is the header signature
 * (a hash of the sorted column names), so next week's export from the same EDR console maps the
 * same way without asking again. Stored in localStorage; nothing here is sent anywhere.
 */
import type { MappingChoice } from '../../worker/protocol';

const KEY = 'hunt-triage.mappings.v1';

function isChoice(v: unknown): v is MappingChoice {
  if (typeof v !== 'object' || v === null) return false;
  const c = v as Record<string, unknown>;
  if (c.profileId !== undefined && typeof c.profileId !== 'string') return false;
  if (c.profileOverrides !== undefined) {
    if (typeof c.profileOverrides !== 'object' || c.profileOverrides === null) return false;
    for (const x of Object.values(c.profileOverrides)) if (typeof x !== 'string') return false;
  }
  return true;
}

/** Every remembered mapping by signature; {} when storage is unavailable or holds junk. */
export function rememberedMappings(): Record<string, MappingChoice> {
  try {
    const parsed: unknown = JSON.parse(globalThis.localStorage?.getItem(KEY) ?? '{}');
    if (typeof parsed !== 'object' || parsed === null) return {};
    const out: Record<string, MappingChoice> = {};
    for (const [sig, v] of Object.entries(parsed)) if (isChoice(v)) out[sig] = v;
    return out;
  } catch {
    return {};
  }
}

/** Remembers (or with null forgets) the mapping for a header signature. */
export function rememberMapping(signature: string, choice: MappingChoice | null): void {
  try {
    const all = rememberedMappings();
    if (choice) all[signature] = choice;
    else delete all[signature];
    globalThis.localStorage?.setItem(KEY, JSON.stringify(all));
  } catch {
    // Private mode or a full quota: the mapping still applies to this run, it is just not kept.
  }
}
