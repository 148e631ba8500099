/** IPv4 CIDR matching for `incidr` (IPv6 `incidr6` is not supported). */

export interface CidrRange {
  network: number;
  mask: number;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** The address as an unsigned 32-bit number, or null when the text is not a dotted IPv4 address. */
export function parseIpv4(text: string): number | null {
  const match = IPV4.exec(text.trim());
  if (!match) return null;
  let address = 0;
  for (let octet = 1; octet <= 4; octet++) {
    const part = Number(match[octet]);
    if (part > 255) return null;
    address = address * 256 + part;
  }
  return address;
}

/** `"10.0.0.0/8, 192.168.0.0/16"` -> ranges; a string describing the first bad entry on failure. */
export function parseCidrList(text: string): CidrRange[] | string {
  const ranges: CidrRange[] = [];
  for (const entry of text.split(',')) {
    const trimmed = entry.trim();
    const slash = trimmed.indexOf('/');
    const addressText = slash === -1 ? trimmed : trimmed.slice(0, slash);
    const prefixText = slash === -1 ? '32' : trimmed.slice(slash + 1);
    const address = parseIpv4(addressText);
    const prefix = /^\d{1,2}$/.test(prefixText) ? Number(prefixText) : NaN;
    if (address === null || !(prefix >= 0 && prefix <= 32)) return `"${trimmed}" is not an IPv4 CIDR such as 10.0.0.0/8`;
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    ranges.push({ network: (address & mask) >>> 0, mask });
  }
  return ranges;
}

export function inAnyCidr(address: number, ranges: readonly CidrRange[]): boolean {
  for (const range of ranges) if (((address & range.mask) >>> 0) === range.network) return true;
  return false;
}
