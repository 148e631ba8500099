import type { Heading, Root, RootContent } from 'mdast';
import { collapseWhitespace, plainText } from './markdownText';

export type SectionKind =
  | 'severity'
  | 'metadata'
  | 'analytics'
  | 'attack'
  | 'queryLogic'
  | 'querySyntax'
  | 'dataSources'
  | 'executionRequirements'
  | 'considerations'
  | 'falsePositives'
  | 'tuning'
  | 'responseActions'
  | 'references'
  | 'versionHistory';

/** Aliases in compact form: lower-case letters and digits only, so "ATT&CK Mapping" is "attackmapping". */
const SECTION_ALIASES: Record<SectionKind, readonly string[]> = {
  severity: ['severityorimpactofthedetectedbehavior', 'severityorimpact', 'severityandimpact', 'severity', 'impact', 'riskscore', 'risk'],
  metadata: ['huntanalyticsmetadata', 'huntmetadata', 'metadata', 'analyticsmetadata'],
  analytics: ['huntanalytics', 'analytics', 'description', 'huntdescription', 'overview', 'summary'],
  attack: [
    // "ATT&CK" compacts to "attck".
    'attckmapping',
    'mitreattckmapping',
    'mitreattck',
    'attck',
    'attcktechniques',
    'mitreattcktechniques',
    'attackmapping',
    'mitreattackmapping',
    'mitremapping',
  ],
  queryLogic: ['huntquerylogic', 'querylogic', 'detectionlogic', 'logic'],
  querySyntax: ['huntquerysyntax', 'querysyntax', 'huntquery', 'huntqueries', 'query', 'queries', 'detectionquery'],
  dataSources: ['datasources', 'datasource', 'requireddatasources'],
  executionRequirements: ['executionrequirements', 'requirements', 'prerequisites'],
  considerations: ['considerations', 'investigationconsiderations', 'analystconsiderations'],
  falsePositives: ['falsepositives', 'knownfalsepositives', 'potentialfalsepositives', 'falsepositive', 'commonfalsepositives'],
  tuning: ['tuningrecommendations', 'tuning', 'tuningguidance', 'tuningsuggestions'],
  responseActions: ['recommendedresponseactions', 'responseactions', 'response', 'recommendedactions', 'responseandremediation', 'responserecommendations'],
  references: ['references', 'reference', 'externalreferences'],
  versionHistory: ['versionhistory', 'revisionhistory', 'changelog', 'changehistory'],
};

/** Long aliases also match as a prefix ("Hunt Query Syntax (XQL)"); short ones would over-match ("Query Language"). */
const PREFIX_MIN_LENGTH = 9;

const ALIAS_LOOKUP: readonly { alias: string; kind: SectionKind }[] = Object.entries(SECTION_ALIASES)
  .flatMap(([kind, aliases]) => aliases.map((alias) => ({ alias, kind: kind as SectionKind })))
  .sort((a, b) => b.alias.length - a.alias.length);

/** Drops numbering such as "1.", "2)", "3 -", "1.2", "Section 3:", "Part IV." in front of a heading. */
export function stripHeadingNumbering(text: string): string {
  return text
    .trim()
    .replace(/^(?:section|part|step)\s+(?:\d+(?:\.\d+)*|[ivxlc]+)\s*[.):\-–—]?\s*/i, '')
    .replace(/^\d+(?:\.\d+)*\s*[.):\-–—]?\s+/, '')
    .replace(/^\d+(?:\.\d+)*[.)]/, '')
    .trim();
}

export function compactKey(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function classifyHeading(text: string): SectionKind | null {
  const key = compactKey(stripHeadingNumbering(text));
  if (key === '') return null;
  for (const { alias, kind } of ALIAS_LOOKUP) if (key === alias) return kind;
  for (const { alias, kind } of ALIAS_LOOKUP) if (alias.length >= PREFIX_MIN_LENGTH && key.startsWith(alias)) return kind;
  return null;
}

export interface KnownSection {
  kind: SectionKind;
  heading: string;
  depth: number;
  blocks: RootContent[];
}

export interface OtherSection {
  heading: string;
  depth: number;
  blocks: RootContent[];
}

export interface DocumentOutline {
  titleHeading: Heading | null;
  /** Blocks before the first section heading, title excluded. */
  preamble: RootContent[];
  known: KnownSection[];
  other: OtherSection[];
}

export function headingText(heading: Heading): string {
  return collapseWhitespace(plainText(heading));
}

/**
 * Splits the top-level blocks into sections by heading. A known heading always opens a section
 * (whatever its depth, so H3-only documents work); an unknown heading deeper than the open section
 * stays inside it; any other unknown heading at H2 (or at the document's shallowest section depth)
 * opens an "other" section. An unknown setext heading ("prose⏎---") stays content: the family
 * separates sections with "---", and a missing blank line must not turn a sentence into a section.
 */
export function outlineDocument(root: Root, source: string): DocumentOutline {
  const blocks = root.children;
  const headings = blocks.filter((block): block is Heading => block.type === 'heading');
  const titleHeading = headings.find((heading) => heading.depth === 1) ?? headings[0] ?? null;
  const sectionDepths = headings.filter((heading) => heading !== titleHeading).map((heading) => heading.depth);
  const otherDepth = Math.max(2, sectionDepths.length > 0 ? Math.min(...sectionDepths) : 2);

  const outline: DocumentOutline = { titleHeading, preamble: [], known: [], other: [] };
  let current: KnownSection | OtherSection | null = null;
  for (const block of blocks) {
    if (block === titleHeading) continue;
    if (block.type === 'heading') {
      const heading = headingText(block);
      const kind = classifyHeading(heading);
      if (kind !== null) {
        current = { kind, heading, depth: block.depth, blocks: [] };
        outline.known.push(current);
        continue;
      }
      if (!isAtxHeading(block, source)) {
        (current === null ? outline.preamble : current.blocks).push(block);
        continue;
      }
      if (current === null ? block.depth <= otherDepth : block.depth <= Math.min(current.depth, otherDepth)) {
        current = { heading, depth: block.depth, blocks: [] };
        outline.other.push(current);
        continue;
      }
    }
    (current === null ? outline.preamble : current.blocks).push(block);
  }
  return outline;
}

function isAtxHeading(heading: Heading, source: string): boolean {
  const start = heading.position?.start.offset;
  return start === undefined || source.slice(start).trimStart().startsWith('#');
}
