/** "2025-07-01 10:00:00 UTC": one fixed zone, so two analysts' screens and reports agree. */
export function formatTime(iso: string | null): string {
  if (iso === null) return '';
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
