/**
 * SARIF 2.1.0 output (`--format sarif`), for GitHub code scanning and other SARIF viewers.
 * One run; the driver lists every rule that ran with its help text and examples; results point
 * at the file relative to the source root (`%SRCROOT%`) with 1-based lines and columns.
 */
import type { Finding, RuleMeta, Severity } from '../rules/types.js';
import type { LintReport, Renderer } from './types.js';

export const SARIF_SCHEMA_URI =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

type SarifLevel = 'error' | 'warning' | 'note';

export function sarifLevel(s: Severity): SarifLevel {
  return s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note';
}

/** GitHub code scanning ranks security results by this score (0-10) when present. */
const SECURITY_SEVERITY: Record<Severity, string> = {
  error: '8.0',
  warning: '5.5',
  info: '3.0',
  style: '1.0',
};

/** A path as a relative URI reference: forward slashes, no `./`, unsafe characters escaped. */
export function artifactUri(path: string): { uri: string; uriBaseId?: string } {
  let p = path.replace(/\\/g, '/');
  if (/^[A-Za-z]:\//.test(p)) return { uri: `file:///${encodePath(p)}` };
  if (p.startsWith('/')) return { uri: `file://${encodePath(p)}` };
  while (p.startsWith('./')) p = p.slice(2);
  return { uri: encodePath(p), uriBaseId: '%SRCROOT%' };
}

function encodePath(p: string): string {
  return p
    .split('/')
    .map((seg) => encodeURIComponent(seg).replace(/%3A/gi, (m, off: number) => (off === 1 ? ':' : m)))
    .join('/');
}

function fence(code: string): string {
  const longest = Math.max(2, ...(code.match(/`+/g) ?? []).map((m) => m.length));
  const f = '`'.repeat(longest + 1);
  return `${f}dockerfile\n${code.replace(/\n$/, '')}\n${f}`;
}

function ruleDescriptor(meta: RuleMeta) {
  // GitHub code scanning files results tagged `security` under security alerts; tags are unique.
  const tags = ['layerwise', meta.category];
  const properties: Record<string, unknown> = { category: meta.category, aliases: meta.aliases, tags };
  if (meta.category === 'security') properties['security-severity'] = SECURITY_SEVERITY[meta.severity];
  return {
    id: meta.id,
    name: meta.name,
    shortDescription: { text: meta.summary },
    fullDescription: { text: meta.description },
    help: !meta.bad
      ? { text: `${meta.summary}\n\n${meta.description}\n`, markdown: `**${meta.summary}**\n\n${meta.description}\n` }
      : {
          text: `${meta.summary}\n\n${meta.description}\n\nProblem:\n${meta.bad.replace(/\n$/, '')}\n\nFixed:\n${meta.good.replace(/\n$/, '')}\n`,
          markdown: `**${meta.summary}**\n\n${meta.description}\n\nProblem:\n\n${fence(meta.bad)}\n\nFixed:\n\n${fence(meta.good)}\n`,
        },
    defaultConfiguration: { enabled: !meta.defaultOff, level: sarifLevel(meta.severity) },
    properties,
    ...(SHELLCHECK_ID.test(meta.id) ? { helpUri: shellcheckWiki(meta.id) } : {}),
  };
}

/** ShellCheck's findings (lint runs it on RUN scripts) have no rule metadata of ours: its wiki explains each. */
const SHELLCHECK_ID = /^SC\d{4}$/;
const shellcheckWiki = (id: string) => `https://www.shellcheck.net/wiki/${id}`;

/** A descriptor for a finding whose rule is not in `report.rules`: a ShellCheck finding. */
function fallbackMeta(f: Finding): RuleMeta {
  const sc = SHELLCHECK_ID.test(f.rule);
  return {
    id: f.rule,
    name: f.name,
    category: f.category,
    severity: f.severity,
    summary: sc ? `ShellCheck ${f.rule} in a RUN script` : f.name,
    description: sc ? `Found by ShellCheck in a RUN script; see ${shellcheckWiki(f.rule)}` : f.name,
    bad: '',
    good: '',
    fixable: f.fixable,
    aliases: [],
  };
}

function region(f: Finding) {
  const startLine = Math.max(1, f.line);
  const startColumn = Math.max(1, f.column);
  const endLine = Math.max(startLine, f.endLine);
  let endColumn = Math.max(1, f.endColumn);
  if (endLine === startLine && endColumn < startColumn) endColumn = startColumn;
  return { startLine, startColumn, endLine, endColumn };
}

export function lintSarif(report: LintReport) {
  const metas: RuleMeta[] = [];
  const index = new Map<string, number>();
  const add = (m: RuleMeta) => {
    if (index.has(m.id)) return;
    index.set(m.id, metas.length);
    metas.push(m);
  };
  for (const m of report.rules) add(m);
  for (const file of report.files) for (const f of file.findings) if (!index.has(f.rule)) add(fallbackMeta(f));

  const results = report.files.flatMap((file) =>
    file.findings.map((f) => {
      const artifactLocation = artifactUri(file.path);
      const result: Record<string, unknown> = {
        ruleId: f.rule,
        ruleIndex: index.get(f.rule),
        level: sarifLevel(f.severity),
        message: { text: f.message },
        locations: [{ physicalLocation: { artifactLocation, region: region(f) } }],
        properties: { category: f.category, severity: f.severity, name: f.name },
      };
      if (f.fixable && f.fix && f.fix.edits.length > 0) {
        result.fixes = [
          {
            description: { text: f.fix.description },
            artifactChanges: [
              {
                artifactLocation,
                replacements: f.fix.edits.map((e) => ({
                  deletedRegion: { charOffset: e.start, charLength: Math.max(0, e.end - e.start) },
                  insertedContent: { text: e.text },
                })),
              },
            ],
          },
        ];
      }
      return result;
    }),
  );

  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0' as const,
    runs: [
      {
        tool: {
          driver: {
            name: 'layerwise',
            version: report.toolVersion,
            semanticVersion: /^\d+\.\d+\.\d+/.test(report.toolVersion) ? report.toolVersion : undefined,
            rules: metas.map(ruleDescriptor),
          },
        },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

export const renderSarif: Renderer = (report) => `${JSON.stringify(lintSarif(report), null, 2)}\n`;
