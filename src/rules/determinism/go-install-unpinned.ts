import { actionWord, operandWords } from '../lib/package-words.js';
import type { Rule } from '../types.js';
import { packageOperations } from '../util.js';

/** Package patterns of the toolchain and the module's tools, not modules to fetch. */
const META = new Set(['std', 'cmd', 'all', 'tool']);

/**
 * A version that names one release: a full semantic version tag (`v1.2.3`, pseudo-versions
 * included) or a commit hash. `latest`, `upgrade`, `patch`, a branch or a prefix (`v1.2`) move.
 */
function fixedVersion(version: string): boolean {
  return /^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.test(version) || /^[0-9a-f]{7,40}$/.test(version);
}

export const rule: Rule = {
  meta: {
    id: 'LW4204',
    name: 'go-install-unpinned',
    category: 'determinism',
    severity: 'warning',
    summary:
      '`go install`, `go get` or `go run` of a module without `@<version>` uses whatever version resolves that day.',
    description:
      'A remote `go install`, `go get` (`-tool`, `-u` and other flags included) or `go run` without a version, or ' +
      'with a moving one (`@latest`, `@upgrade`, `@patch`, a branch such as `@master`, a prefix such as `@v1.2`), ' +
      'resolves at build time, so rebuilds of the same Dockerfile install different code. Pin a release or a ' +
      'commit: `go install example.com/tool@v1.2.3`. Local code (`.`, `./cmd/...`, `/src/app`, `main.go`), ' +
      '`go get mod@none` and the meta-packages `std`, `cmd`, `all` and `tool` are not reported; a package of the ' +
      'main module named without a dot (`myapp/cmd/server`) is, as hadolint does: write it `./cmd/server`. ' +
      'Stricter than hadolint on purpose: branches and version prefixes count as moving, not only `@latest`.',
    bad: 'FROM golang:1.22-bookworm\nRUN go install github.com/go-delve/delve/cmd/dlv\n',
    good: 'FROM golang:1.22-bookworm\nRUN go install github.com/go-delve/delve/cmd/dlv@v1.22.1\n',
    fixable: false,
    aliases: ['DL3062'],
  },
  check(ctx) {
    for (const { op } of packageOperations(ctx.file)) {
      const verb = actionWord(op)?.value;
      if (op.manager !== 'go' || (verb !== 'install' && verb !== 'get' && verb !== 'run')) continue;
      // `go run pkg args...`: only the first operand is a package, the rest are the program's arguments.
      const words = verb === 'run' ? operandWords(op).slice(0, 1) : operandWords(op);
      for (const w of words) {
        const v = w.value;
        if (w.dynamic || v.includes('$')) continue;
        const path = v.split('@')[0];
        if (path.startsWith('.') || path.startsWith('/') || path.endsWith('.go') || META.has(path.split('/')[0]))
          continue;
        const at = v.indexOf('@');
        const version = at < 0 ? '' : v.slice(at + 1);
        if (version === 'none' || fixedVersion(version)) continue;
        ctx.report({
          line: w.line,
          column: w.column,
          message: version
            ? `go ${verb} ${v} follows a moving @${version}; pin a release: ${path}@v1.2.3`
            : `go ${verb} ${v} without @version; pin a release: ${path}@v1.2.3`,
        });
      }
    }
  },
};
