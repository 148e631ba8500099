/**
 * Indicator extraction, defanging and PowerShell -EncodedCommand decoding for attacker-written
 * command lines. Pure and DOM-free: it runs in the worker, in Node (CLI) and in the UI.
 */

export type IndicatorKind = 'trycloudflare-host' | 'domain' | 'unc-path' | 'url' | 'ip' | 'file';

export interface Indicator {
  kind: IndicatorKind;
  /** Exactly `text.slice(start, end)`. */
  value: string;
  start: number;
  end: number;
}

/** Extensions of files that stage or run code in these chains (data-formats §1). */
export const INTERESTING_EXTENSIONS: readonly string[] = [
  'lnk', 'wsf', 'vbs', 'js', 'jse', 'bat', 'cmd', 'ps1', 'hta', 'py', 'zip', 'exe', 'dll', 'url',
];

/**
 * TLDs accepted for bare domains. A closed list because command lines are full of dotted names
 * that are not hosts (`System.Net.WebClient`, `davclnt.dll`, `v1.0`); a TLD that is also a file
 * extension we flag (`.zip`, `.py`) or a common script extension (`.md`, `.sh`, `.pl`, `.ps`) is
 * left out, so `bab.zip` is a file. URLs and UNC paths still capture such hosts.
 */
const DOMAIN_TLDS = new Set(
  (
    'com net org edu gov mil int info biz io dev app xyz shop sbs click top online site live cloud me co ' +
    'icu vip club store tech space website fun pro link work lol buzz rest bond cfd monster cyou quest ' +
    'ru su cn tk ml ga cf gq pw cc ws tv us uk de fr nl eu in br jp kr ir ua it es ca au ch se no fi dk ' +
    'be at cz sk hu ro bg gr tr il za mx ar cl pe ve ng ke eg sa ae pk bd vn th my sg id ph tw hk nz ie pt ' +
    'lt lv ee by kz uz am az ge lu is li mc'
  ).split(' '),
);

const EXT_GROUP = INTERESTING_EXTENSIONS.join('|');

/** `sub.trycloudflare.com`, optionally with the WebDAV client's `@SSL`, `@443` or `@SSL@443` suffix. */
const TRYCLOUDFLARE_RE =
  /(?<![\w.-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+trycloudflare\.com(?:@ssl(?:@\d{1,5})?|@\d{1,5})?(?![\w-]|\.\w)/giu;
/** http(s) URLs up to whitespace, quotes, or characters that cannot appear unescaped in one. */
const URL_RE = /\bhttps?:\/\/[^\s"'<>`^{}|\\]+/giu;
/** `\\host\share\...`, `\\host@SSL\DavWWWRoot\...`, `\\?\UNC\host\share\...`. */
const UNC_START_RE = /\\\\(?:\?\\UNC\\)?[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?:@ssl)?(?:@\d{1,5})?/giu;
/** Dotted quads with each octet <= 255, not part of a longer dotted number (versions like 1.2.3.4.5). */
const IPV4_RE =
  /(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?!\d|\.\d)/gu;
/**
 * A file name (no directory) ending in an interesting extension; greedy so `a.pdf.lnk` is whole.
 * The lookbehind pins the start to the beginning of a name: without it every position inside a
 * long run of name characters would be retried, which is quadratic on hostile input.
 */
const FILE_NAME_CHARS = `[^\\s\\\\/:*?"<>|,;=&()'\`%]`;
const FILE_RE = new RegExp(`(?<!${FILE_NAME_CHARS})${FILE_NAME_CHARS}+\\.(?:${EXT_GROUP})(?![\\w-])`, 'giu');
const DOMAIN_RE = /(?<![\w.-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}(?![\w-]|\.\w)/giu;

/** Characters that end a UNC path outside quotes: cmd metacharacters and rundll32's `,Export`. */
const UNC_UNQUOTED_STOP = /[\s"'&|<>^,;`]/u;
/** Characters never valid in a Windows path component, so they end a quoted UNC path too. */
const UNC_QUOTED_STOP = /["<>|*?\r\n\t]/u;
const TRAILING_PUNCT = /[.,;:!?)\]}'"]+$/u;

function push(out: Indicator[], kind: IndicatorKind, text: string, start: number, end: number): void {
  if (end > start) out.push({ kind, value: text.slice(start, end), start, end });
}

function findUncPaths(text: string, out: Indicator[]): void {
  UNC_START_RE.lastIndex = 0;
  for (let m = UNC_START_RE.exec(text); m !== null; m = UNC_START_RE.exec(text)) {
    const start = m.index;
    const quote = start > 0 ? text[start - 1] : '';
    // Inside quotes a path may hold spaces ("\\host\My Files\x.vbs"); outside, whitespace ends it.
    const stop = quote === '"' || quote === "'" ? UNC_QUOTED_STOP : UNC_UNQUOTED_STOP;
    let end = start + m[0].length;
    let components = 0;
    while (end < text.length && text[end] === '\\') {
      let j = end + 1;
      while (j < text.length && text[j] !== '\\' && !stop.test(text[j]) && text[j] !== quote) j++;
      if (j === end + 1) break; // `\\` or `\"`: no component
      components++;
      end = j;
    }
    const hasSuffix = m[0].includes('@');
    if (components === 0 && !hasSuffix) continue; // a bare `\\name` is too often an escape artefact
    const trimmed = text.slice(start, end).replace(TRAILING_PUNCT, '');
    push(out, 'unc-path', text, start, start + trimmed.length);
    UNC_START_RE.lastIndex = end;
  }
}

function findAll(re: RegExp, text: string, kind: IndicatorKind, out: Indicator[], accept?: (value: string) => boolean): void {
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    let value = m[0];
    if (kind === 'url') value = value.replace(TRAILING_PUNCT, '');
    if (accept && !accept(value)) continue;
    push(out, kind, text, m.index, m.index + value.length);
  }
}

function isBareDomain(value: string): boolean {
  const lower = value.toLowerCase();
  if (lower.endsWith('.trycloudflare.com')) return false; // reported as trycloudflare-host
  const tld = lower.slice(lower.lastIndexOf('.') + 1);
  return DOMAIN_TLDS.has(tld);
}

/**
 * Every indicator in the text, ordered by position (an enclosing indicator before the ones inside
 * it: a UNC path, then its tunnel host, then its file name). Deduplicated by value,
 * case-insensitively, because DNS names and Windows paths are; the first occurrence is kept.
 */
export function extractIndicators(text: string): Indicator[] {
  const found: Indicator[] = [];
  findUncPaths(text, found);
  findAll(URL_RE, text, 'url', found);
  findAll(TRYCLOUDFLARE_RE, text, 'trycloudflare-host', found);
  findAll(IPV4_RE, text, 'ip', found);
  findAll(FILE_RE, text, 'file', found);
  findAll(DOMAIN_RE, text, 'domain', found, isBareDomain);
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const seen = new Set<string>();
  const out: Indicator[] = [];
  for (const ind of found) {
    const key = ind.value.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(ind);
  }
  return out;
}

/** Dots not already inside `[.]`, so defanging twice changes nothing. */
function defangHost(host: string): string {
  return host.replace(/(?<!\[)\.(?!\])/gu, '[.]');
}

/**
 * Safe-to-paste form: `hxxp(s)://` and `[.]` in host parts, so the value is neither a link in a
 * ticket nor resolvable by a careless copy. `@SSL`/`@443` are kept (they tell the reader it was
 * WebDAV). File names are not hosts and are returned unchanged when `kind` says so. Idempotent.
 */
export function defang(value: string, kind?: IndicatorKind): string {
  if (kind === 'file') return value;
  const url = /^(h)(?:tt|xx)(ps?)(:\/\/)([^/?#]*)(.*)$/isu.exec(value);
  if (url) return `${url[1]}xx${url[2]}${url[3]}${defangHost(url[4])}${url[5]}`;
  if (value.startsWith('\\\\')) {
    const unc = /^(\\\\(?:\?\\UNC\\)?)([^\\]*)(.*)$/su.exec(value);
    if (unc) return `${unc[1]}${defangHost(unc[2])}${unc[3]}`;
  }
  const at = value.indexOf('@');
  return at < 0 ? defangHost(value) : defangHost(value.slice(0, at)) + value.slice(at);
}

export interface EncodedCommand {
  /** The flag as written, e.g. `-enc`, `/e`, `–EncodedCommand`. */
  flag: string;
  base64: string;
  /** UTF-16LE text, or null when the argument is not valid base64. */
  decoded: string | null;
  error?: string;
}

/**
 * `-EncodedCommand` and every prefix of it that PowerShell accepts (`-e`, `-en`, `-enc`, ...), the
 * `-ec` alias, any case, with `-`, `/` or the en/em dash and horizontal bar PowerShell also accepts
 * as a parameter prefix (attackers use `–enc` to dodge `-enc` matching). The argument may be
 * quoted; it must end at whitespace, a quote or the end, so `-e C:\x` is not taken as base64.
 * After a `/e`-style flag an argument starting with `/` is another switch (`robocopy /e /ns`), not
 * base64; after `-e` it can be base64 (first byte >= 0xFC), so it is kept.
 */
const ENCODED_FLAG_RE =
  /(?<=^|[\s"'])([-/\u2013\u2014\u2015](?:ec|e(?:n(?:c(?:o(?:d(?:e(?:d(?:c(?:o(?:m(?:m(?:a(?:n(?:d)?)?)?)?)?)?)?)?)?)?)?)?)?))\s+["']?([A-Za-z0-9+/=]+)(?=$|[\s"'])/giu;

/** Finds and decodes PowerShell encoded commands. The caller decides whether the process is PowerShell. */
export function decodePowerShellEncoded(commandLine: string): EncodedCommand[] {
  const out: EncodedCommand[] = [];
  ENCODED_FLAG_RE.lastIndex = 0;
  for (let m = ENCODED_FLAG_RE.exec(commandLine); m !== null; m = ENCODED_FLAG_RE.exec(commandLine)) {
    const flag = m[1];
    const base64 = m[2];
    if (flag.startsWith('/') && base64.startsWith('/')) continue;
    const bytes = decodeBase64(base64);
    if (typeof bytes === 'string') {
      out.push({ flag, base64, decoded: null, error: bytes });
      continue;
    }
    const decoded = decodeUtf16le(bytes);
    if (bytes.length % 2 === 1) {
      out.push({ flag, base64, decoded, error: 'odd number of bytes: the last byte is not UTF-16LE text' });
    } else {
      out.push({ flag, base64, decoded });
    }
  }
  return out;
}

const B64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_LOOKUP: Int8Array = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < B64_ALPHABET.length; i++) table[B64_ALPHABET.charCodeAt(i)] = i;
  return table;
})();

/**
 * Standard base64 without atob/Buffer (neither is in every runtime we target). Missing padding is
 * tolerated, as PowerShell's own decoder is lenient about it in practice; returns an error message
 * for anything else that is not base64.
 */
export function decodeBase64(text: string): Uint8Array | string {
  let end = text.length;
  let pad = 0;
  while (end > 0 && text[end - 1] === '=') {
    end--;
    pad++;
  }
  if (end % 4 === 1) return 'invalid base64: length is not a whole number of bytes';
  // Short or missing padding is tolerated; padding where no byte is incomplete is not.
  if (pad > 0 && (end % 4 === 0 || pad > 4 - (end % 4))) return 'invalid base64: wrong padding';
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    const v = code < 128 ? B64_LOOKUP[code] : -1;
    if (v < 0) return `invalid base64: unexpected ${JSON.stringify(text[i])} at ${i}`;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

/** Code units as written; lone surrogates survive, as they would in PowerShell's string. */
export function decodeUtf16le(bytes: Uint8Array): string {
  const units = bytes.length >> 1;
  const parts: string[] = [];
  const CHUNK = 8192; // String.fromCharCode spreads arguments; keep well under engines' arg limits
  for (let i = 0; i < units; i += CHUNK) {
    const n = Math.min(CHUNK, units - i);
    const codes = new Array<number>(n);
    for (let k = 0; k < n; k++) {
      const b = (i + k) * 2;
      codes[k] = bytes[b] | (bytes[b + 1] << 8);
    }
    parts.push(String.fromCharCode(...codes));
  }
  if (bytes.length % 2 === 1) parts.push('\uFFFD');
  return parts.join('');
}

/** UTF-16LE base64, as `[Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($s))` makes it. */
export function encodeUtf16leBase64(text: string): string {
  const bytes = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    bytes[2 * i] = c & 0xff;
    bytes[2 * i + 1] = c >> 8;
  }
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i];
    const b1 = i + 1 < bytes.length ? bytes[i + 1] : 0;
    const b2 = i + 2 < bytes.length ? bytes[i + 2] : 0;
    const triple = (b0 << 16) | (b1 << 8) | b2;
    out += B64_ALPHABET[(triple >> 18) & 63] + B64_ALPHABET[(triple >> 12) & 63];
    out += i + 1 < bytes.length ? B64_ALPHABET[(triple >> 6) & 63] : '=';
    out += i + 2 < bytes.length ? B64_ALPHABET[triple & 63] : '=';
  }
  return out;
}
