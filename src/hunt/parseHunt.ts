import type { Code, Link, Nodes, Root, RootContent, Table } from 'mdast';
import type { AttackRow, Hunt, HuntQueryBlock } from './types';
import {
  bulletTexts,
  collapseWhitespace,
  linksIn,
  listItemsOf,
  listItemText,
  normalizeLineEndings,
  ownItemLines,
  parseMarkdown,
  plainText,
  tableCells,
  tableRecords,
  tablesOf,
} from './markdownText';
import { compactKey, headingText, outlineDocument } from './sections';
import type { DocumentOutline, SectionKind } from './sections';

export const UNTITLED_HUNT = 'Untitled hunt';

export function emptyHunt(title: string = UNTITLED_HUNT): Hunt {
  return {
    title,
    id: '',
    riskScore: null,
    severity: null,
    operatingSystems: [],
    falsePositiveRate: null,
    description: '',
    attack: [],
    queries: [],
    queryLanguage: null,
    platform: null,
    queryLogic: [],
    dataSources: [],
    executionRequirements: [],
    considerations: [],
    falsePositives: [],
    tuningRecommendations: [],
    responseActions: [],
    references: [],
    versionHistory: [],
    version: null,
    otherSections: [],
  };
}

/**
 * Parses a hunt document of the QueryForge family. Never throws: whatever the input, the result is
 * a Hunt whose unknown parts are empty or null.
 *
 * List items are plain text (emphasis stripped, inline code and link text kept, whitespace
 * collapsed); nested list items are flattened into separate entries right after their parent.
 * Line endings are normalised to LF first, so query code never carries "\r".
 */
export function parseHunt(markdown: string): Hunt {
  const text = typeof markdown === 'string' ? normalizeLineEndings(markdown) : '';
  let root: Root;
  try {
    root = parseMarkdown(text);
  } catch {
    return emptyHunt();
  }
  try {
    return huntFromTree(root, text);
  } catch {
    // A pathological tree (e.g. nesting deep enough to exhaust the stack) still yields a hunt with what is cheap to read.
    return emptyHunt(fallbackTitle(root));
  }
}

function fallbackTitle(root: Root): string {
  try {
    const heading = root.children.find((block) => block.type === 'heading');
    const title = heading?.type === 'heading' ? headingText(heading) : '';
    return title === '' ? UNTITLED_HUNT : title;
  } catch {
    return UNTITLED_HUNT;
  }
}

function huntFromTree(root: Root, text: string): Hunt {
  const outline = outlineDocument(root, text);
  const section = (kind: SectionKind): RootContent[] =>
    outline.known.filter((known) => known.kind === kind).flatMap((known) => known.blocks);

  const hunt = emptyHunt(outline.titleHeading !== null ? headingText(outline.titleHeading) || UNTITLED_HUNT : UNTITLED_HUNT);

  const metadata = readMetadata([...section('severity'), ...section('metadata'), ...outline.preamble, ...section('analytics'), ...outline.other.flatMap((other) => other.blocks)]);
  hunt.id = metadata.get('id') ?? '';
  hunt.riskScore = parseRiskScore(metadata.get('riskScore'));
  hunt.severity = metadata.get('severity') ?? null;
  hunt.operatingSystems = splitList(metadata.get('operatingSystems'));
  hunt.falsePositiveRate = metadata.get('falsePositiveRate') ?? null;

  const analytics = section('analytics');
  hunt.description = proseOf(analytics.length > 0 ? analytics : outline.preamble);

  hunt.attack = readAttack(section('attack'), root.children);
  hunt.queries = readQueries(root, text);
  const queryInfo = readMetadata([...section('querySyntax'), ...root.children]);
  hunt.queryLanguage = queryInfo.get('queryLanguage') ?? null;
  hunt.platform = queryInfo.get('platform') ?? null;

  hunt.queryLogic = bulletTexts(section('queryLogic'));
  hunt.dataSources = tablesOf(section('dataSources')).flatMap(tableRecords);
  hunt.executionRequirements = bulletTexts(section('executionRequirements'));
  hunt.considerations = bulletTexts(section('considerations'));
  hunt.falsePositives = bulletTexts(section('falsePositives'));
  hunt.tuningRecommendations = bulletTexts(section('tuning'));
  hunt.responseActions = bulletTexts(section('responseActions'));
  hunt.references = readReferences(section('references'));
  hunt.versionHistory = tablesOf(section('versionHistory')).flatMap(tableRecords);
  hunt.version = latestVersion(hunt.versionHistory);
  hunt.otherSections = readOtherSections(outline, text);
  return hunt;
}

type MetadataKey = 'id' | 'riskScore' | 'severity' | 'operatingSystems' | 'falsePositiveRate' | 'queryLanguage' | 'platform';

const METADATA_KEYS: Record<string, MetadataKey> = {
  id: 'id',
  huntid: 'id',
  queryid: 'id',
  huntqueryid: 'id',
  riskscore: 'riskScore',
  severity: 'severity',
  severitylevel: 'severity',
  operatingsystems: 'operatingSystems',
  operatingsystem: 'operatingSystems',
  os: 'operatingSystems',
  falsepositiverate: 'falsePositiveRate',
  falsepositivelikelihood: 'falsePositiveRate',
  fprate: 'falsePositiveRate',
  querylanguage: 'queryLanguage',
  platform: 'platform',
  platforms: 'platform',
};

/** "Key: value" on one line of plain text; the key is short so prose containing a colon is not mistaken for metadata. */
const KEY_VALUE = /^\s*([^:：]{1,40}?)\s*[:：]\s*(.*?)\s*$/;

/**
 * Reads "Key: value" pairs from list items ("- **Risk Score:** 85"), paragraph lines
 * ("**Platform:** …") and two-column or header-keyed tables. The first occurrence of a key wins,
 * so callers pass the most authoritative blocks first.
 */
function readMetadata(blocks: readonly RootContent[]): Map<MetadataKey, string> {
  const found = new Map<MetadataKey, string>();
  const offer = (rawKey: string, rawValue: string): void => {
    const key = METADATA_KEYS[compactKey(rawKey)];
    const value = collapseWhitespace(rawValue);
    if (key !== undefined && value !== '' && !found.has(key)) found.set(key, value);
  };
  const offerLine = (line: string): void => {
    const match = KEY_VALUE.exec(line);
    if (match !== null) offer(match[1] ?? '', match[2] ?? '');
  };
  for (const item of listItemsOf(blocks)) for (const line of ownItemLines(item)) offerLine(line);
  for (const block of blocks) {
    if (block.type === 'paragraph') for (const line of plainText(block).split('\n')) offerLine(line);
  }
  for (const table of tablesOf(blocks)) {
    const [header = [], ...rows] = tableCells(table);
    if (header.some((cell) => METADATA_KEYS[compactKey(cell)] !== undefined)) {
      const firstRow = rows[0] ?? [];
      header.forEach((cell, index) => offer(cell, firstRow[index] ?? ''));
    }
    for (const row of [header, ...rows]) if (row.length >= 2) offer(row[0] ?? '', row[1] ?? '');
  }
  return found;
}

function parseRiskScore(value: string | undefined): number | null {
  const match = value === undefined ? null : /-?\d+(?:\.\d+)?/.exec(value);
  if (match === null) return null;
  const score = Number(match[0]);
  return Number.isFinite(score) ? score : null;
}

function splitList(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(/[,;]/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/** Paragraphs as they are, list items as "- item" lines, separated by blank lines. */
function proseOf(blocks: readonly RootContent[]): string {
  const parts: string[] = [];
  for (const block of blocks) {
    if (block.type === 'paragraph' || block.type === 'blockquote') {
      const textOfBlock = collapseWhitespace(plainText(block));
      if (textOfBlock !== '') parts.push(textOfBlock);
    } else if (block.type === 'list') {
      const items = listItemsOf([block]).map(listItemText).filter((item) => item !== '');
      if (items.length > 0) parts.push(items.map((item) => `- ${item}`).join('\n'));
    }
  }
  return parts.join('\n\n');
}

const PLACEHOLDERS = new Set(['', '—', '–', '-', '--', '―', 'n/a', 'na', 'none', 'null']);

function orNull(cell: string | undefined): string | null {
  if (cell === undefined) return null;
  return PLACEHOLDERS.has(cell.trim().toLowerCase()) ? null : cell.trim();
}

type AttackColumn = 'tactic' | 'technique' | 'subtechnique' | 'name';

const ATTACK_COLUMNS: Record<string, AttackColumn> = {
  tactic: 'tactic',
  tactics: 'tactic',
  tacticid: 'tactic',
  technique: 'technique',
  techniques: 'technique',
  techniqueid: 'technique',
  id: 'technique',
  subtechnique: 'subtechnique',
  subtechniques: 'subtechnique',
  subtechniqueid: 'subtechnique',
  techniquename: 'name',
  name: 'name',
  subtechniquename: 'name',
};

function attackColumns(header: readonly string[]): Map<AttackColumn, number> {
  const columns = new Map<AttackColumn, number>();
  header.forEach((cell, index) => {
    const column = ATTACK_COLUMNS[compactKey(cell)];
    if (column !== undefined && !columns.has(column)) columns.set(column, index);
  });
  return columns;
}

function readAttack(sectionBlocks: readonly RootContent[], allBlocks: readonly RootContent[]): AttackRow[] {
  const isAttackTable = (table: Table): boolean => {
    const columns = attackColumns(tableCells(table)[0] ?? []);
    return columns.has('technique') && (columns.has('tactic') || columns.has('name'));
  };
  const fromSection = tablesOf(sectionBlocks).filter(isAttackTable);
  const tables = fromSection.length > 0 ? fromSection : tablesOf(allBlocks).filter(isAttackTable).slice(0, 1);
  return tables.flatMap((table) => {
    const [header = [], ...rows] = tableCells(table);
    const columns = attackColumns(header);
    const cell = (row: readonly string[], column: AttackColumn): string | undefined => {
      const index = columns.get(column);
      return index === undefined ? undefined : row[index];
    };
    return rows
      .filter((row) => row.some((value) => orNull(value) !== null))
      .map((row) => ({
        tactic: cell(row, 'tactic') ?? '',
        technique: cell(row, 'technique') ?? '',
        subtechnique: orNull(cell(row, 'subtechnique')),
        name: cell(row, 'name') ?? '',
      }));
  });
}

function codeNodes(node: Nodes): Code[] {
  if (node.type === 'code') return [node];
  if (!('children' in node)) return [];
  return node.children.flatMap((child: Nodes) => codeNodes(child));
}

/** A code node is fenced when its source starts with ``` or ~~~ (indented code blocks are not queries). */
function isFenced(code: Code, text: string): boolean {
  const start = code.position?.start.offset;
  if (start === undefined) return false;
  const opening = text.slice(start, start + 3);
  return opening === '```' || opening === '~~~';
}

function readQueries(root: Root, text: string): HuntQueryBlock[] {
  return codeNodes(root)
    .filter((code) => isFenced(code, text))
    .map((code) => {
      const language = (code.lang ?? '').trim().toLowerCase();
      return {
        language,
        code: code.value,
        supported: language === 'xql',
        line: (code.position?.start.line ?? 0) + 1,
      };
    });
}

function readReferences(blocks: readonly RootContent[]): Hunt['references'] {
  const references: Hunt['references'] = [];
  const items = listItemsOf(blocks);
  const entries: Nodes[] = items.length > 0 ? items : blocks.filter((block) => block.type === 'paragraph');
  for (const entry of entries) {
    const ownBlocks = entry.type === 'listItem' ? entry.children.filter((child) => child.type !== 'list') : [entry];
    const links = ownBlocks.flatMap((block) => linksIn(block));
    const entryText = collapseWhitespace(ownBlocks.map((block) => plainText(block)).join(' '));
    const [onlyLink] = links;
    if (links.length > 1) {
      for (const link of links) references.push({ text: collapseWhitespace(plainText(link)) || link.url, url: link.url });
    } else if (onlyLink !== undefined) {
      references.push({ text: withoutBareUrl(entryText, onlyLink) || onlyLink.url, url: onlyLink.url });
    } else if (entryText !== '') {
      references.push({ text: entryText, url: null });
    }
  }
  return references;
}

/** "Title https://…" written as a bare URL: the URL is the link, the rest is the text ("Title -" keeps no dangling dash). */
function withoutBareUrl(entryText: string, link: Link): string {
  const linkText = collapseWhitespace(plainText(link));
  if (linkText !== link.url && `http://${linkText}` !== link.url && `https://${linkText}` !== link.url) return entryText;
  return collapseWhitespace(entryText.replace(linkText, ''))
    .replace(/[\s:–—-]+$/, '')
    .trim();
}

function versionParts(version: string): number[] {
  return (version.match(/\d+/g) ?? []).map(Number);
}

function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let index = 0; index < Math.max(a.length, b.length); index += 1) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** Highest numeric version in the table; ties and non-numeric versions go to the later row. */
function latestVersion(history: readonly Record<string, string>[]): string | null {
  let best: { value: string; parts: number[] } | null = null;
  for (const row of history) {
    const key = Object.keys(row).find((header) => ['version', 'ver', 'versionnumber', 'revision'].includes(compactKey(header)));
    const value = (key === undefined ? Object.values(row)[0] : row[key])?.trim() ?? '';
    if (value === '' || orNull(value) === null) continue;
    const parts = versionParts(value);
    if (best === null || compareVersions(parts, best.parts) >= 0) best = { value, parts };
  }
  return best?.value ?? null;
}

/** Body markdown sliced from the source, without the "---" separators the family puts between sections. */
function readOtherSections(outline: DocumentOutline, text: string): Hunt['otherSections'] {
  return outline.other.map((other) => {
    const body = other.blocks.filter((block) => block.type !== 'thematicBreak');
    const start = body[0]?.position?.start.offset;
    const end = body[body.length - 1]?.position?.end.offset;
    return {
      heading: other.heading,
      markdown: start === undefined || end === undefined ? '' : text.slice(start, end).trim(),
    };
  });
}
