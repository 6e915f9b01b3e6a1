import type { Dockerfile, Instruction } from '../../dockerfile/types.js';
import { scriptStart } from '../lib/shell-commands.js';
import { debianLike, externalBase, shellAt } from '../lib/stage-chains.js';
import type { Fix, Rule } from '../types.js';
import { runInstructions, stageOf } from '../util.js';

/** Shells whose pipelines `-o pipefail` applies to. */
const POSIX_SHELLS = /^(sh|bash|ash|dash|ksh|mksh|zsh|busybox)$/;

function base(path: string | undefined): string {
  return (path ?? '').split(/[\\/]/).pop()?.toLowerCase() ?? '';
}

export const rule: Rule = {
  meta: {
    id: 'LW1211',
    name: 'pipe-without-pipefail',
    category: 'correctness',
    severity: 'warning',
    summary: 'RUN with a pipe but without `set -o pipefail`: a failing first command goes unnoticed.',
    description:
      'The exit status of a pipeline is that of its last command, so `curl ... | tar x` succeeds when the download ' +
      'fails and the build carries on with a broken layer. Use `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before ' +
      'the RUN, or start the script with `set -o pipefail &&` where the shell supports it.',
    bad: 'FROM python:3.12-slim\nRUN curl -fsSL https://example.com/tool-1.2.3.tgz | tar -xz -C /opt\n',
    good:
      'FROM python:3.12-slim\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\n' +
      'RUN curl -fsSL https://example.com/tool-1.2.3.tgz | tar -xz -C /opt\n',
    fixable: true,
    aliases: ['DL4006'],
  },
  check(ctx) {
    const file = ctx.file;
    const shellFixed = new Set<number | undefined>();
    for (const ins of runInstructions(file)) {
      if (ins.jsonForm || !ins.shell) continue;
      const pipe = ins.shell.commands.find((c) => c.pipelineLength > 1 && c.pipelinePosition === 1);
      if (!pipe || ins.shell.setsPipefail) continue;
      const shell = shellAt(file, ins);
      if (shell) {
        if (!POSIX_SHELLS.test(base(shell[0]))) continue;
        if (shell.some((a) => a.includes('pipefail'))) continue;
      }
      // A heredoc script with a shebang of another interpreter (python, ...) has no shell pipes.
      const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(ins.heredocs[0]?.content ?? '');
      if (shebang && !POSIX_SHELLS.test(base(base(shebang[1]) === 'env' ? shebang[2] : shebang[1]))) continue;
      const fix = fixFor(file, ins, shell, shellFixed);
      ctx.report({
        line: pipe.line,
        column: pipe.column,
        message: `pipe without pipefail: a failure before the last command is ignored; ${advice(file, ins, shell)}`,
        fix,
      });
    }
  },
};

function advice(file: Dockerfile, ins: Instruction, shell: string[] | undefined): string {
  if (shell) return 'start the script with `set -o pipefail &&` or add -o pipefail to SHELL';
  const img = externalBase(file, stageOf(file, ins))?.base;
  if (img && /alpine|busybox/.test(`${img.name}:${img.tag ?? ''}`.toLowerCase())) {
    return 'start the script with `set -o pipefail &&` (busybox sh supports it)';
  }
  return 'add SHELL ["/bin/bash", "-o", "pipefail", "-c"] before this RUN (or `set -o pipefail &&` where /bin/sh supports it)';
}

function fixFor(
  file: Dockerfile,
  ins: Instruction,
  shell: string[] | undefined,
  shellFixed: Set<number | undefined>,
): Fix | undefined {
  if (ins.heredocs.length) return undefined;
  const host = file.instructions[ins.index];
  if (host !== ins) return undefined; // ONBUILD RUN
  if (shell && base(shell[0]) === 'bash') {
    const at = scriptStart(file, ins);
    return {
      description: 'prepend set -o pipefail',
      edits: [{ start: at, end: at, text: 'set -o pipefail && ' }],
    };
  }
  if (shell || !debianLike(file, stageOf(file, ins))) return undefined;
  // One SHELL line per stage fixes every RUN after it; give the edit to the first RUN only.
  if (shellFixed.has(ins.stage)) return undefined;
  shellFixed.add(ins.stage);
  const lineStart = ins.span.startOffset - (ins.span.start.column - 1);
  const indent = file.text.slice(lineStart, ins.span.startOffset);
  if (indent.trim()) return undefined;
  return {
    description: 'add SHELL with pipefail',
    edits: [{ start: lineStart, end: lineStart, text: `${indent}SHELL ["/bin/bash", "-o", "pipefail", "-c"]\n` }],
  };
}
