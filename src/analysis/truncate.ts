/**
 * Shortens text for a label, by code point so an emoji or a surrogate pair is never cut in half
 * (a lone surrogate renders as a replacement box, which an analyst could take for real content).
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const points = Array.from(text);
  if (points.length <= max) return text;
  return `${points.slice(0, Math.max(1, max - 1)).join('')}…`;
}
