import { describe, expect, it } from 'vitest';
import { classifyHeading, stripHeadingNumbering } from './sections';

describe('stripHeadingNumbering', () => {
  it.each([
    ['1. Considerations', 'Considerations'],
    ['2) Considerations', 'Considerations'],
    ['3 - Considerations', 'Considerations'],
    ['4.1 Considerations', 'Considerations'],
    ['Section 3: Considerations', 'Considerations'],
    ['Part IV. Considerations', 'Considerations'],
    ['5.Considerations', 'Considerations'],
    ['Considerations', 'Considerations'],
  ])('%s', (heading, expected) => {
    expect(stripHeadingNumbering(heading)).toBe(expected);
  });
});

describe('classifyHeading', () => {
  it.each([
    ['Severity or Impact of the Detected Behavior', 'severity'],
    ['Hunt Analytics Metadata', 'metadata'],
    ['Analytics Metadata', 'metadata'],
    ['Hunt Analytics', 'analytics'],
    ['Analytics', 'analytics'],
    ['ATT&CK Mapping', 'attack'],
    ['MITRE ATT&CK Mapping:', 'attack'],
    ['Hunt Query Logic', 'queryLogic'],
    ['Query Logic', 'queryLogic'],
    ['Hunt Query Syntax', 'querySyntax'],
    ['Hunt Query Syntax (XQL)', 'querySyntax'],
    ['Query', 'querySyntax'],
    ['Data Sources', 'dataSources'],
    ['Execution Requirements', 'executionRequirements'],
    ['Considerations', 'considerations'],
    ['False Positives', 'falsePositives'],
    ['Known False Positives', 'falsePositives'],
    ['Tuning Recommendations', 'tuning'],
    ['Tuning', 'tuning'],
    ['Recommended Response Actions', 'responseActions'],
    ['Response Actions', 'responseActions'],
    ['Response', 'responseActions'],
    ['10. References', 'references'],
    ['Version History:', 'versionHistory'],
  ])('%s -> %s', (heading, kind) => {
    expect(classifyHeading(heading)).toBe(kind);
  });

  it.each(['Appendix', 'Query Language', 'Additional Follow-on Hunts', '', '---'])('%s is unknown', (heading) => {
    expect(classifyHeading(heading)).toBeNull();
  });
});
