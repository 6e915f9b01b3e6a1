import type { BuildContext } from '../dockerfile/context.js';
import type { Dockerfile } from '../dockerfile/types.js';

export type Category = 'cache' | 'size' | 'determinism' | 'security' | 'correctness' | 'style';
export type Severity = 'error' | 'warning' | 'info' | 'style';

export const SEVERITIES: Severity[] = ['error', 'warning', 'info', 'style'];

/** Rank for thresholds: higher is more severe. */
export function severityRank(s: Severity | 'none'): number {
  return { none: 99, error: 4, warning: 3, info: 2, style: 1 }[s];
}

/** Metadata of a rule: the source of `layerwise rules`, docs/rules.md and SARIF rule descriptors. */
export interface RuleMeta {
  /** Stable id, e.g. `LW2001`. Never reused. */
  id: string;
  /** kebab-case name, e.g. `deps-after-source-copy`. */
  name: string;
  category: Category;
  severity: Severity;
  /** One line: what the rule finds. */
  summary: string;
  /** Why it matters, a short paragraph. */
  description: string;
  /** A Dockerfile that triggers the rule. */
  bad: string;
  /** The same Dockerfile fixed. */
  good: string;
  /** Build context for the examples (a .dockerignore and file list); default: none, no ignore file. */
  badContext?: ExampleContext;
  goodContext?: ExampleContext;
  /** Settings the examples are linted with (e.g. trustedRegistries for a registry rule); default none. */
  exampleSettings?: Partial<RuleSettings>;
  fixable: boolean;
  /** Off unless enabled by configuration (hadolint's "ignore" level, e.g. DL1001, DL3057). */
  defaultOff?: boolean;
  /** Equivalent ids in other linters: hadolint `DL3008`, BuildKit check `JSONArgsRecommended`. */
  aliases: string[];
}

export interface ExampleContext {
  /** Content of .dockerignore; undefined means there is none. */
  dockerignore?: string;
  /** Files in the context (relative paths). */
  files?: string[];
}

/** A text edit on the linted file; offsets into `Dockerfile.text`. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

export interface Fix {
  /** Short imperative description, e.g. "add --no-install-recommends". */
  description: string;
  edits: TextEdit[];
  /** Files to create next to the Dockerfile's build context when they do not exist. */
  createFiles?: { path: string; content: string }[];
}

export interface Report {
  line: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  message: string;
  fix?: Fix;
}

export interface Finding {
  rule: string;
  name: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  category: Category;
  severity: Severity;
  message: string;
  fixable: boolean;
  fix?: Fix;
}

export interface RuleContext {
  file: Dockerfile;
  /** The build context (directory, .dockerignore); `exists` is false for stdin input. */
  context: BuildContext;
  settings: RuleSettings;
  report(r: Report): void;
}

export interface RuleSettings {
  /** Registries allowed for FROM (hadolint trustedRegistries); empty means any. */
  trustedRegistries: string[];
  /** Labels every shipped image must carry, with the type of each value (hadolint `label-schema`). */
  labelSchema: Record<string, LabelType>;
  /** Only the schema's labels are allowed (hadolint `strict-labels`). */
  strictLabels: boolean;
}

/** Value type of a label in the label schema. */
export type LabelType = 'text' | 'url' | 'email' | 'rfc3339' | 'spdx' | 'hash' | 'semver';

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): void;
}
