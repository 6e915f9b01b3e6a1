/**
 * GitHub Actions workflow commands (`--format github`): one annotation per finding, shown on
 * the pull request's diff. Escaping follows GitHub's rules: `%`, CR and LF in the message;
 * additionally `:` and `,` in property values.
 */
import type { Severity } from '../rules/types.js';
import type { Renderer } from './types.js';

export function githubCommand(s: Severity): 'error' | 'warning' | 'notice' {
  return s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'notice';
}

/** Escapes a command's message (the part after `::`). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a property value (`file=...`, `title=...`). */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export const renderGithub: Renderer = (report) => {
  const out: string[] = [];
  for (const file of report.files) {
    for (const f of file.findings) {
      const endLine = Math.max(f.line, f.endLine);
      const props = [
        `file=${escapeProperty(file.path)}`,
        `line=${f.line}`,
        `col=${f.column}`,
        `endLine=${endLine}`,
        `endColumn=${endLine === f.line ? Math.max(f.column, f.endColumn) : f.endColumn}`,
        `title=${escapeProperty(`${f.rule} ${f.name}`)}`,
      ];
      out.push(`::${githubCommand(f.severity)} ${props.join(',')}::${escapeData(f.message)}`);
    }
  }
  return out.length > 0 ? `${out.join('\n')}\n` : '';
};
