/**
 * Defanging for indicators pasted into tickets and reports, so nothing in them is a live link
 * and no mail or chat client auto-links a tunnel host. The rules are the common analyst ones:
 * `http` -> `hxxp` in URL schemes, and `.` -> `[.]` in hostnames and IPv4 addresses.
 */

const SCHEME = /\b(h)(tt)(ps?)(?=:\/\/|:\\\\)/gi;
const IPV4 = /\b(?:\d{1,3}\.){3}\d{1,3}\b/g;
/**
 * Dotted names ending in an alphabetic label. File names ("cmd.exe", "payload.ps1") match the
 * same shape, so names whose last label is a common file extension are left alone.
 */
const DOTTED_NAME = /\b(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9]\b/gi;
const FILE_EXTENSIONS = new Set([
  'exe', 'dll', 'sys', 'bat', 'cmd', 'ps1', 'psm1', 'psd1', 'vbs', 'vbe', 'js', 'jse', 'wsf', 'wsh', 'hta', 'lnk', 'msi',
  'txt', 'log', 'ini', 'cfg', 'xml', 'json', 'csv', 'zip', 'rar', '7z', 'iso', 'img', 'doc', 'docx', 'xls', 'xlsx',
  'pdf', 'py', 'tmp', 'dat', 'bin', 'scr', 'cpl', 'inf', 'reg', 'url', 'jar', 'png', 'jpg', 'gif',
]);

export function defang(text: string): string {
  return text
    .replace(SCHEME, (_m, h: string, tt: string, rest: string) => `${h}${tt === 'TT' ? 'XX' : 'xx'}${rest}`)
    .replace(IPV4, (ip) => ip.replaceAll('.', '[.]'))
    .replace(DOTTED_NAME, (name) => {
      const last = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
      return FILE_EXTENSIONS.has(last) ? name : name.replaceAll('.', '[.]');
    });
}
