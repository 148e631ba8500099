/**
 * Values as the engine sees them after ingest normalisation.
 * - `_time` (and every field the profile declares as a time) is epoch milliseconds (number).
 * - `"NULL"` and empty delimited cells are `null`; `"TRUE"`/`"FALSE"` are booleans.
 * - Enum values are upper-case names without the `ENUM.` prefix (`PROCESS`, `PROCESS_START`,
 *   `AGENT_OS_WINDOWS`); known numeric enum codes are translated to names.
 * - Everything else keeps its text exactly as read.
 */
export type Value = string | number | boolean | null | Value[] | { [key: string]: Value };

/** One event in canonical form: lower-case xdr_data field names to normalised values. */
export type Row = Record<string, Value>;

/** One event exactly as it was read: source column names (original spelling) to raw values. */
export type RawRecord = Record<string, unknown>;
