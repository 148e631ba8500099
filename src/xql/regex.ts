/**
 * XQL regexes are RE2; JavaScript's dialect differs in a few spellings that hunts use. We translate
 * the common ones and reject what JavaScript cannot compile.
 */
export function compileRegex(pattern: string, caseInsensitive: boolean, global = false): RegExp | string {
  let source = pattern;
  let flags = global ? 'g' : '';
  let insensitive = caseInsensitive;
  // RE2 leading inline flags, e.g. (?i) or (?is).
  const inline = /^\(\?([imsU]+)\)/.exec(source);
  if (inline) {
    if (inline[1].includes('i')) insensitive = true;
    if (inline[1].includes('s')) flags += 's';
    if (inline[1].includes('m')) flags += 'm';
    source = source.slice(inline[0].length);
  }
  if (insensitive) flags += 'i';
  source = source.replace(/\(\?P</g, '(?<').replace(/\\A/g, '^').replace(/\\z/g, '$');
  try {
    return new RegExp(source, flags);
  } catch (error) {
    return error instanceof Error ? error.message : 'invalid regular expression';
  }
}
