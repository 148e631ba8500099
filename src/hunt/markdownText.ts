import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import type { Link, List, ListItem, Nodes, Root, RootContent, Table } from 'mdast';

/** CRLF and lone CR become LF so code blocks, slices and line splitting see one line-ending style. */
export function normalizeLineEndings(markdown: string): string {
  return markdown.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

export function parseMarkdown(markdown: string): Root {
  return fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
}

export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Plain text of a node. Unlike mdast-util-to-string, a hard break becomes "\n": the family writes
 * "**Query Language:** …  ⏎ **Platform:** …" as one paragraph, and the two lines must stay apart.
 */
export function plainText(node: Nodes): string {
  switch (node.type) {
    case 'text':
    case 'inlineCode':
    case 'code':
      return node.value;
    case 'break':
      return '\n';
    case 'image':
    case 'imageReference':
      return node.alt ?? '';
    case 'html':
    case 'footnoteReference':
    case 'definition':
    case 'thematicBreak':
    case 'yaml':
      return '';
    default:
      return 'children' in node ? node.children.map((child: Nodes) => plainText(child)).join('') : '';
  }
}

/** Text of a list item without its nested lists (those become items of their own), whitespace-collapsed. */
export function listItemText(item: ListItem): string {
  return collapseWhitespace(
    item.children
      .filter((child) => child.type !== 'list')
      .map((child) => plainText(child))
      .join(' '),
  );
}

/** Raw (not whitespace-collapsed) text of a list item's own blocks, one line per hard break / block. */
export function ownItemLines(item: ListItem): string[] {
  return item.children
    .filter((child) => child.type !== 'list')
    .map((child) => plainText(child))
    .join('\n')
    .split('\n');
}

/** Every list item under the given blocks in document order; nested items follow their parent as separate entries. */
export function listItemsOf(blocks: readonly RootContent[]): ListItem[] {
  const items: ListItem[] = [];
  const visitList = (list: List): void => {
    for (const item of list.children) {
      items.push(item);
      for (const child of item.children) visitBlock(child);
    }
  };
  const visitBlock = (node: Nodes): void => {
    if (node.type === 'list') visitList(node);
    else if (node.type === 'blockquote' || node.type === 'listItem') for (const child of node.children) visitBlock(child);
  };
  for (const block of blocks) visitBlock(block);
  return items;
}

/**
 * Bullet texts of a section, in document order, nested items flattened into entries of their own.
 * A parent that is only a lead-in ("If malicious:") is not an entry: its text prefixes each child
 * ("If malicious: Quarantine the endpoint") so every checklist entry reads on its own.
 * Lead-in sentences outside lists ("False positives may occur if:") are not items either. When the
 * section has no list at all, its paragraphs stand in so a checklist written as prose is not
 * silently empty.
 */
export function bulletTexts(blocks: readonly RootContent[]): string[] {
  const texts: string[] = [];
  const visitList = (list: List, prefix: string): void => {
    for (const item of list.children) {
      const own = listItemText(item);
      const nested = item.children.filter((child): child is List => child.type === 'list');
      const hasNestedItems = nested.some((child) => child.children.length > 0);
      const isLeadIn = hasNestedItems && own.endsWith(':');
      if (own !== '' && !isLeadIn) texts.push(prefix + own);
      const childPrefix = isLeadIn ? `${prefix}${own} ` : prefix;
      for (const child of nested) visitList(child, childPrefix);
    }
  };
  const visitBlock = (node: RootContent): void => {
    if (node.type === 'list') visitList(node, '');
    else if (node.type === 'blockquote') for (const child of node.children) visitBlock(child);
  };
  for (const block of blocks) visitBlock(block);
  if (listItemsOf(blocks).length > 0) return texts;
  return blocks
    .filter((block) => block.type === 'paragraph')
    .map((block) => collapseWhitespace(plainText(block)))
    .filter((text) => text !== '' && !text.endsWith(':'));
}

export function linksIn(node: Nodes): Link[] {
  if (node.type === 'link') return [node];
  if (!('children' in node)) return [];
  return node.children.flatMap((child: Nodes) => linksIn(child));
}

export function tablesOf(blocks: readonly RootContent[]): Table[] {
  const tables: Table[] = [];
  const visit = (node: Nodes): void => {
    if (node.type === 'table') tables.push(node);
    else if (node.type === 'blockquote' || node.type === 'list' || node.type === 'listItem') for (const child of node.children) visit(child);
  };
  for (const block of blocks) visit(block);
  return tables;
}

/** Cell texts per row, whitespace-collapsed; the first row is the header. */
export function tableCells(table: Table): string[][] {
  return table.children.map((row) => row.children.map((cell) => collapseWhitespace(plainText(cell))));
}

/**
 * Data rows of a table as objects keyed by the trimmed header text. Cells without a header (or
 * under an empty header) get "column N" so no value is dropped.
 */
export function tableRecords(table: Table): Record<string, string>[] {
  const [header = [], ...rows] = tableCells(table);
  return rows
    .filter((row) => row.some((cell) => cell.length > 0))
    .map((row) => {
      const record: Record<string, string> = {};
      row.forEach((cell, index) => {
        const key = header[index] !== undefined && header[index] !== '' ? header[index] : `column ${index + 1}`;
        setOwn(record, key, cell);
      });
      for (const key of header) if (key !== '') setOwn(record, key, '');
      return record;
    });
}

/** First value wins; defineProperty so headers such as "__proto__" or "constructor" are plain keys. */
function setOwn(record: Record<string, string>, key: string, value: string): void {
  if (Object.hasOwn(record, key)) return;
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}
