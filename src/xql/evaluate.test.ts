import { describe, expect, it } from 'vitest';
import { passes } from './testSupport';

describe('comparison operators', () => {
  const row = { n: 5, s: 'Beta', t: '10', f: 1.5 };

  it('compares numbers numerically', () => {
    expect(passes('n = 5', row)).toBe(true);
    expect(passes('n != 5', row)).toBe(false);
    expect(passes('n < 6 and n <= 5 and n > 4 and n >= 5', row)).toBe(true);
    expect(passes('n > 5', row)).toBe(false);
    expect(passes('f > 1 and f < 2', row)).toBe(true);
    expect(passes('n = -5', { n: -5 })).toBe(true);
  });

  it('compares numeric text with numbers numerically', () => {
    expect(passes('t > 9', row)).toBe(true); // as text "10" < "9"
    expect(passes('t = 10', row)).toBe(true);
    expect(passes('n = "5.0"', row)).toBe(true);
    expect(passes('t = "10.0"', row)).toBe(false); // both strings: compared as text
  });

  it('compares strings by code units', () => {
    expect(passes('s > "Alpha"', row)).toBe(true);
    expect(passes('s < "C"', row)).toBe(true);
    expect(passes('s < "a"', row)).toBe(true); // 'B' < 'a' in code units
  });

  it('compares two fields', () => {
    expect(passes('a = b', { a: 'X', b: 'x' })).toBe(true);
    expect(passes('a = b', { a: 'X', b: 'x' }, { caseSensitive: true })).toBe(false);
    expect(passes('a < b', { a: 2, b: '10' })).toBe(true);
    expect(passes('a != b', { a: 1, b: null })).toBe(true);
    expect(passes('"x" = a', { a: 'X' })).toBe(true);
    expect(passes('3 < a', { a: 4 })).toBe(true);
  });

  it('compares booleans', () => {
    expect(passes('b = true', { b: true })).toBe(true);
    expect(passes('b = false', { b: true })).toBe(false);
    expect(passes('b = "TRUE"', { b: true })).toBe(true);
    expect(passes('b = true', { b: 'TRUE' })).toBe(true);
  });
});

describe('null semantics (two-valued)', () => {
  const row = { present: 'x', nothing: null, empty: '' };

  it('matches = null only for null or missing values', () => {
    expect(passes('nothing = null', row)).toBe(true);
    expect(passes('nothing = NULL', row)).toBe(true);
    expect(passes('present = null', row)).toBe(false);
    expect(passes('empty = null', row)).toBe(false);
    expect(passes('present != null', row)).toBe(true);
    expect(passes('nothing != null', row)).toBe(false);
  });

  it('matches = "" only for the empty string', () => {
    expect(passes('empty = ""', row)).toBe(true);
    expect(passes('nothing = ""', row)).toBe(false);
    expect(passes('present = ""', row)).toBe(false);
  });

  it('makes every other comparison with null false and its negation true', () => {
    expect(passes('nothing = "x"', row)).toBe(false);
    expect(passes('nothing != "x"', row)).toBe(true);
    expect(passes('nothing contains "x"', row)).toBe(false);
    expect(passes('nothing not contains "x"', row)).toBe(true);
    expect(passes('nothing in ("x")', row)).toBe(false);
    expect(passes('nothing not in ("x")', row)).toBe(true);
    expect(passes('nothing > 1 or nothing < 1 or nothing >= 1', row)).toBe(false);
    expect(passes('nothing ~= ".*"', row)).toBe(false);
    expect(passes('nothing incidr "0.0.0.0/0"', row)).toBe(false);
    expect(passes('nothing not incidr "0.0.0.0/0"', row)).toBe(true);
    expect(passes('not nothing = "x"', row)).toBe(true);
  });

  it('supports the documented exclusion idiom', () => {
    expect(passes('nothing != null and nothing != ""', row)).toBe(false);
    expect(passes('empty != null and empty != ""', row)).toBe(false);
    expect(passes('present != null and present != ""', row)).toBe(true);
    expect(passes('nothing = null or nothing = ""', row)).toBe(true);
  });
});

describe('case sensitivity', () => {
  const row = { name: 'PowerShell.EXE', list: ['Alpha', 'BETA'] };

  it('is case-insensitive by default for =, !=, contains, in, wildcards and ~=', () => {
    expect(passes('name = "powershell.exe"', row)).toBe(true);
    expect(passes('name != "POWERSHELL.EXE"', row)).toBe(false);
    expect(passes('name contains "shell"', row)).toBe(true);
    expect(passes('name in ("x", "POWERSHELL.exe")', row)).toBe(true);
    expect(passes('name = "power*"', row)).toBe(true);
    expect(passes('name ~= "^power"', row)).toBe(true);
    expect(passes('list contains "beta"', row)).toBe(true);
  });

  it('is exact under config case_sensitive = true', () => {
    expect(passes('name = "powershell.exe"', row, { caseSensitive: true })).toBe(false);
    expect(passes('name = "PowerShell.EXE"', row, { caseSensitive: true })).toBe(true);
    expect(passes('name != "POWERSHELL.EXE"', row, { caseSensitive: true })).toBe(true);
    expect(passes('name contains "shell"', row, { caseSensitive: true })).toBe(false);
    expect(passes('name in ("powershell.exe")', row, { caseSensitive: true })).toBe(false);
    expect(passes('name = "power*"', row, { caseSensitive: true })).toBe(false);
    expect(passes('name ~= "^power"', row, { caseSensitive: true })).toBe(false);
    expect(passes('name ~= "(?i)^power"', row, { caseSensitive: true })).toBe(true);
  });

  it('folds values that change length when lower-cased', () => {
    expect(passes('v contains "istanbul"', { v: 'İSTANBUL' })).toBe(false); // 'İ' folds to 'i̇'
    expect(passes('v contains "stanbul"', { v: 'İSTANBUL' })).toBe(true);
  });
});

describe('wildcards', () => {
  const row = { path: 'C:\\Windows\\System32\\cmd.exe' };

  it('treats * as any sequence in = and !=', () => {
    expect(passes('path = "c:\\windows\\*"', row)).toBe(true);
    expect(passes('path = "*\\cmd.exe"', row)).toBe(true);
    expect(passes('path = "*system32*"', row)).toBe(true);
    expect(passes('path = "c:*system32*exe"', row)).toBe(true);
    expect(passes('path = "*system33*"', row)).toBe(false);
    expect(passes('path != "*cmd*"', row)).toBe(false);
    expect(passes('path = "*"', row)).toBe(true);
  });

  it('requires the whole value to match without a leading or trailing *', () => {
    expect(passes('path = "windows*"', row)).toBe(false);
    expect(passes('path = "*windows"', row)).toBe(false);
  });

  it('treats * as a wildcard in in and not in', () => {
    expect(passes('path in ("*word*", "*\\cmd.exe")', row)).toBe(true);
    expect(passes('path not in ("*cmd*")', row)).toBe(false);
    expect(passes('path in ("cmd.exe")', row)).toBe(false);
  });

  it('treats * as a wildcard in contains; contains "*" holds for any non-null value', () => {
    expect(passes('path contains "windows*cmd"', row)).toBe(true);
    expect(passes('path contains "cmd*windows"', row)).toBe(false);
    expect(passes('path contains "*"', row)).toBe(true);
    expect(passes('path contains "*"', { path: '' })).toBe(true);
    expect(passes('path contains "*"', { path: null })).toBe(false);
    expect(passes('path not contains "*"', { path: null })).toBe(true);
  });
});

describe('contains and in on arrays and numbers', () => {
  it('holds when some element matches', () => {
    const row = { ips: ['10.0.0.1', '8.8.8.8'], ports: [80, 443] };
    expect(passes('ips contains "8.8"', row)).toBe(true);
    expect(passes('ips in ("8.8.8.8")', row)).toBe(true);
    expect(passes('ips not in ("1.1.1.1")', row)).toBe(true);
    expect(passes('ports in (443)', row)).toBe(true);
    expect(passes('ports = 80', row)).toBe(true);
    expect(passes('ips incidr "8.0.0.0/8"', row)).toBe(true);
  });

  it('checks numbers against in-lists and contains as text', () => {
    expect(passes('port in (5900, 5999)', { port: 5999 })).toBe(true);
    expect(passes('port in (5900, 5999)', { port: '5900' })).toBe(true);
    expect(passes('port in (22)', { port: 23 })).toBe(false);
    expect(passes('port contains 59', { port: 5999 })).toBe(true);
    expect(passes('x in (null, "a")', { x: null })).toBe(true);
  });
});

describe('enums', () => {
  const processStart = { event_type: 'PROCESS', event_sub_type: 'PROCESS_START', agent_os_type: 'AGENT_OS_WINDOWS' };

  it('accepts ENUM.X, bare X and the numeric code', () => {
    for (const form of ['ENUM.PROCESS', 'PROCESS', 'enum.process', '1']) {
      expect(passes(`event_type = ${form}`, processStart)).toBe(true);
      expect(passes(`event_type != ${form}`, processStart)).toBe(false);
    }
    expect(passes('event_type = ENUM.FILE', processStart)).toBe(false);
    expect(passes('event_type = 3', processStart)).toBe(false);
    expect(passes('event_type in (FILE, PROCESS)', processStart)).toBe(true);
    expect(passes('event_type in (2, 1)', processStart)).toBe(true);
  });

  it('reads event_sub_type codes within the event type', () => {
    expect(passes('event_sub_type = 1', processStart)).toBe(true);
    expect(passes('event_sub_type = ENUM.PROCESS_START', processStart)).toBe(true);
    expect(passes('event_sub_type = 1', { event_type: 'FILE', event_sub_type: 'PROCESS_START' })).toBe(false);
  });

  it('matches unmapped numeric codes as numbers', () => {
    expect(passes('event_type = 7', { event_type: 7 })).toBe(true);
    expect(passes('event_type = 77', { event_type: 77 })).toBe(true);
    expect(passes('event_type = 7', { event_type: 8 })).toBe(false);
    expect(passes('event_sub_type = 4', { event_type: 'FILE', event_sub_type: 4 })).toBe(true);
    expect(passes('event_type = PROCESS', { event_type: 1 })).toBe(true);
  });

  it('compares enum names on other fields as text', () => {
    expect(passes('agent_os_type = AGENT_OS_WINDOWS', processStart)).toBe(true);
    expect(passes('custom = SOMETHING', { custom: 'something' })).toBe(true);
  });
});

describe('regex', () => {
  it('searches anywhere in the value (RE2 semantics), with backslashes passed through', () => {
    const row = { name: 'invoice.pdf.exe' };
    expect(passes('name ~= ".*?\\.(?:pdf|docx)\\.exe"', row)).toBe(true);
    expect(passes('name ~= "pdf"', row)).toBe(true);
    expect(passes('name ~= "^pdf"', row)).toBe(false);
    expect(passes('name ~= "(?P<ext>exe)$"', row)).toBe(true);
  });
});

describe('incidr', () => {
  const row = { ip: '192.168.1.77', other: '10.1.2.3', bad: 'not-an-ip' };

  it('matches IPv4 addresses against a comma-separated CIDR list', () => {
    expect(passes('ip incidr "192.168.1.0/24"', row)).toBe(true);
    expect(passes('ip incidr "192.168.0.0/24"', row)).toBe(false);
    expect(passes('ip incidr "10.0.0.0/8, 192.168.0.0/16"', row)).toBe(true);
    expect(passes('ip incidr "192.168.1.77"', row)).toBe(true);
    expect(passes('ip not incidr "10.0.0.0/8"', row)).toBe(true);
    expect(passes('bad incidr "0.0.0.0/0"', row)).toBe(false);
    expect(passes('incidr(other, "10.0.0.0/8")', row)).toBe(true);
    expect(passes('incidr(ip, "10.0.0.0/8") = false', row)).toBe(true);
  });
});

describe('boolean logic', () => {
  const row = { a: 1, b: 2 };
  it('combines with and, or, not and parentheses', () => {
    expect(passes('a = 1 and b = 2', row)).toBe(true);
    expect(passes('a = 1 and b = 3', row)).toBe(false);
    expect(passes('a = 2 or b = 2', row)).toBe(true);
    expect(passes('not a = 2', row)).toBe(true);
    expect(passes('not (a = 1 or b = 3)', row)).toBe(false);
    expect(passes('a = 2 or b = 2 and a = 1', row)).toBe(true);
    expect(passes('(a = 2 or b = 2) and a = 2', row)).toBe(false);
  });

  it('accepts a bare boolean expression as a condition', () => {
    expect(passes('flag', { flag: true })).toBe(true);
    expect(passes('flag', { flag: false })).toBe(false);
    expect(passes('not flag', { flag: null })).toBe(true);
  });
});

describe('string readings in evaluation', () => {
  const unc = { cmd: 'net use \\\\host\\share' };
  it('looks for four backslashes under xql and two under backslash', () => {
    expect(passes('cmd contains "\\\\\\\\"', unc)).toBe(false);
    expect(passes('cmd contains "\\\\\\\\"', unc, { escapes: 'backslash' })).toBe(true);
    expect(passes('cmd contains "\\\\\\\\"', { cmd: 'a\\\\\\\\b' })).toBe(true);
  });

  it('reads "\\test\\" as the complete literal \\test\\ under xql', () => {
    expect(passes('p contains "\\Temp\\"', { p: 'C:\\Temp\\x.exe' })).toBe(true);
    expect(passes('p contains """\\\\Temp\\\\"""', { p: 'C:\\Temp\\x.exe' })).toBe(true);
  });
});
