import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  accessorFor,
  basenameOfPath,
  coalesceAccessor,
  columnIndex,
  firstToken,
  getPath,
  hasField,
  joinDomainUser,
  osFromPath,
  shortHostName,
} from './fields';

describe('basenameOfPath', () => {
  it('handles every Windows path form and POSIX paths', () => {
    expect(basenameOfPath('C:\\Windows\\System32\\cmd.exe')).toBe('cmd.exe');
    expect(basenameOfPath('\\Device\\HarddiskVolume3\\Windows\\System32\\cmd.exe')).toBe('cmd.exe');
    expect(basenameOfPath('\\\\?\\C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe')).toBe('powershell.exe');
    expect(basenameOfPath('\\??\\C:\\Windows\\system32\\conhost.exe')).toBe('conhost.exe');
    expect(basenameOfPath('"C:\\Program Files\\x y\\a.exe"')).toBe('a.exe');
    expect(basenameOfPath('/usr/bin/curl')).toBe('curl');
    expect(basenameOfPath('cmd.exe')).toBe('cmd.exe');
  });

  it('never contains a separator', () => {
    fc.assert(fc.property(fc.string(), (path) => !/[\\/]/.test(basenameOfPath(path))));
  });
});

describe('shortHostName', () => {
  it('takes the first label, lower-cased, and keeps IP addresses', () => {
    expect(shortHostName('WS042.corp.example.com')).toBe('ws042');
    expect(shortHostName('WS042')).toBe('ws042');
    expect(shortHostName('CORP\\WS042')).toBe('ws042');
    expect(shortHostName('10.20.30.42')).toBe('10.20.30.42');
    expect(shortHostName('fe80::1')).toBe('fe80::1');
  });
});

describe('joinDomainUser', () => {
  it('joins only when both parts exist and the user has no domain yet', () => {
    expect(joinDomainUser('CORP', 'jürgen.müller')).toBe('CORP\\jürgen.müller');
    expect(joinDomainUser('', 'bob')).toBe('bob');
    expect(joinDomainUser('-', 'bob')).toBe('bob');
    expect(joinDomainUser('CORP', 'CORP\\bob')).toBe('CORP\\bob');
    expect(joinDomainUser('CORP', 'bob@corp.example.com')).toBe('bob@corp.example.com');
    expect(joinDomainUser('CORP', '-')).toBeNull();
    expect(joinDomainUser('CORP', null)).toBeNull();
  });
});

describe('getPath', () => {
  it('reads nested, dotted and mixed keys', () => {
    expect(getPath({ process: { name: 'a' } }, 'process.name')).toBe('a');
    expect(getPath({ 'process.name': 'b' }, 'process.name')).toBe('b');
    expect(getPath({ process: { 'parent.name': 'c' } }, 'process.parent.name')).toBe('c');
    expect(getPath({ 'process.parent': { name: 'd' } }, 'process.parent.name')).toBe('d');
    expect(getPath({ process: 'x' }, 'process.name')).toBeUndefined();
    expect(getPath(null, 'a')).toBeUndefined();
  });
});

describe('columnIndex and accessors', () => {
  it('finds columns exactly, then case-insensitively, then ignoring spaces', () => {
    const index = columnIndex(['timecreated', 'Payload Data1', 'Event Id', 'Image']);
    expect(index.find('TimeCreated')).toBe('timecreated');
    expect(index.find('PayloadData1')).toBe('Payload Data1');
    expect(index.find('EventId')).toBe('Event Id');
    expect(index.find('Nope', 'image')).toBe('Image');
    expect(index.find('Nope')).toBeUndefined();
  });

  it('reads a nested path when only the top-level key is a column, and both forms in mixed files', () => {
    const index = columnIndex(['process', 'process.name']);
    const accessor = accessorFor(index, 'process.name');
    expect(accessor?.get({ process: { name: 'nested' } })).toBe('nested');
    expect(accessor?.get({ 'process.name': 'dotted' })).toBe('dotted');
    expect(accessorFor(columnIndex(['host']), 'process.name')).toBeNull();
  });

  it('coalesces candidates row by row', () => {
    const accessor = coalesceAccessor(columnIndex(['Image', 'New_Process_Name']), ['Image', 'New_Process_Name']);
    expect(accessor?.source).toBe('Image | New_Process_Name');
    expect(accessor?.get({ Image: '', New_Process_Name: 'b' })).toBe('b');
    expect(accessor?.get({ Image: 'a', New_Process_Name: 'b' })).toBe('a');
  });

  it('finds fields of nested JSON in the sample', () => {
    const index = columnIndex(['process', '@timestamp']);
    expect(hasField(index, [{ process: { command_line: 'x' } }], 'process.command_line')).toBe(true);
    expect(hasField(index, [{ process: { name: 'x' } }], 'process.command_line')).toBe(false);
  });
});

describe('osFromPath / firstToken', () => {
  it('infers the OS from an image path', () => {
    expect(osFromPath('C:\\Windows\\cmd.exe')).toBe('AGENT_OS_WINDOWS');
    expect(osFromPath('\\Device\\HarddiskVolume3\\x.exe')).toBe('AGENT_OS_WINDOWS');
    expect(osFromPath('/Applications/Safari.app/Contents/MacOS/Safari')).toBe('AGENT_OS_MAC');
    expect(osFromPath('/usr/bin/bash')).toBe('AGENT_OS_LINUX');
    expect(osFromPath('cmd.exe')).toBeNull();
    expect(osFromPath(null)).toBeNull();
  });

  it('takes the image of a command line', () => {
    expect(firstToken('"C:\\Program Files\\a b\\x.exe" -y')).toBe('C:\\Program Files\\a b\\x.exe');
    expect(firstToken('  cmd.exe /c dir')).toBe('cmd.exe');
  });
});
