/** A hunt document of the QueryForge family, parsed. Every string is plain text (markdown stripped). */
export interface Hunt {
  title: string;
  /** `HuntQuery-...`; empty string when the document has none. */
  id: string;
  riskScore: number | null;
  severity: string | null;
  operatingSystems: string[];
  falsePositiveRate: string | null;
  /** Summary prose of the "Hunt Analytics" section. */
  description: string;
  attack: AttackRow[];
  queries: HuntQueryBlock[];
  /** From "**Query Language:**" and "**Platform:**" lines, when present. */
  queryLanguage: string | null;
  platform: string | null;
  queryLogic: string[];
  dataSources: Record<string, string>[];
  executionRequirements: string[];
  considerations: string[];
  falsePositives: string[];
  tuningRecommendations: string[];
  /** In document order. */
  responseActions: string[];
  references: { text: string; url: string | null }[];
  versionHistory: Record<string, string>[];
  /** Latest version from the version history ("1.0"), or null. */
  version: string | null;
  /** Sections the parser does not know, kept verbatim (heading text and markdown body). */
  otherSections: { heading: string; markdown: string }[];
}

export interface AttackRow {
  tactic: string;
  technique: string;
  /** null when the document has a placeholder ("—", "-", empty). */
  subtechnique: string | null;
  name: string;
}

export interface HuntQueryBlock {
  /** Fence info string, lower-cased: "xql", "fql", "kql", "" ... */
  language: string;
  code: string;
  /** Only `xql` is executable. */
  supported: boolean;
  /** 1-based line in the markdown document where the code starts (first line inside the fence). */
  line: number;
}
