import type { Instruction, ShellCommand } from '../../dockerfile/types.js';
import type { Rule } from '../types.js';

const URL = /^(https?|ftp):\/\//;
const INTERPRETERS = /^(sh|bash|dash|ash|zsh|ksh|python[0-9.]*|perl|ruby|node|php)$/;
const VERSIONED_URL = /([/@=_-]v?\d+\.\d+|\/v\d+\/|\$\{?[A-Za-z_]*VERSION)/i;
const VERIFY = /^(sha256sum|sha512sum|shasum|sha1sum|md5sum|gpg|gpgv|cosign|minisign|openssl)$/;

export const rule: Rule = {
  meta: {
    id: 'LW5401',
    name: 'remote-add-unpinned',
    category: 'security',
    severity: 'warning',
    summary: 'Remote `ADD <url>` without --checksum, or `curl ... | sh` without a pinned version or checksum.',
    description:
      'Whatever the URL serves at build time goes into the image: a compromised or simply updated file changes the image ' +
      'without any change to the Dockerfile, and the cache cannot tell. Give remote ADD a --checksum, and download ' +
      'installers at a pinned version and verify them (`sha256sum -c`) instead of piping them into a shell.',
    bad:
      'FROM python:3.12-slim\nADD https://example.com/tools/tool-1.4.2-linux-amd64.tar.gz /tmp/tool.tar.gz\n' +
      'RUN curl -LsSf https://astral.sh/uv/install.sh | sh\n',
    good:
      'FROM python:3.12-slim\nADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d \\\n' +
      '    https://example.com/tools/tool-1.4.2-linux-amd64.tar.gz /tmp/tool.tar.gz\n' +
      'COPY --from=ghcr.io/astral-sh/uv:0.5.4 /uv /uvx /bin/\n',
    fixable: false,
    aliases: [],
  },
  check(ctx) {
    const { file } = ctx;
    for (const ins of file.instructions) {
      const target = ins.keyword === 'ONBUILD' && ins.onbuild ? ins.onbuild : ins;
      if (target.keyword === 'ADD') checkAdd(target, ins);
      if (target.keyword === 'RUN') checkRun(target);
    }

    function checkAdd(ins: Instruction, at: Instruction) {
      if (ins.flags.some((f) => f.name === 'checksum')) return;
      const args = ins.jsonForm && ins.jsonArgs ? ins.jsonArgs : ins.resolvedArgs;
      for (const src of args.slice(0, -1)) {
        if (URL.test(src) && !isGit(src)) {
          ctx.report({
            line: at.span.start.line,
            message: `ADD ${src} has no --checksum: whatever the server returns at build time goes into the image unverified; add --checksum=sha256:<digest of the file> (a version in the URL alone does not stop the file from changing)`,
          });
        } else if (isGit(src) && !/#[0-9a-f]{40}\b/.test(src)) {
          ctx.report({
            line: at.span.start.line,
            message: `ADD ${src} follows a branch or tag that can move; pin the commit (${src.split('#')[0]}#<40-hex commit>)`,
          });
        }
      }
    }

    function checkRun(ins: Instruction) {
      const cmds = ins.shell?.commands ?? [];
      const verifies = cmds.some((c) => VERIFY.test(c.program));
      for (const c of cmds) {
        if (c.program !== 'curl' && c.program !== 'wget') continue;
        const url = c.args.find((a) => URL.test(a.value));
        if (!url) continue;
        const consumer = pipedInto(cmds, c);
        if (!consumer) continue;
        if (verifies || VERSIONED_URL.test(url.value) || pinnedByArgs(consumer)) continue;
        const uv = /astral\.sh\/uv/.test(url.value);
        ctx.report({
          line: c.line,
          column: c.column,
          message:
            `${c.nested ? `${consumer.program} -c "$(${c.program} ${url.value})"` : `${c.program} ${url.value} | ${consumer.program}`} runs a remote script that can change at any time, changing the image without a Dockerfile change; ` +
            (uv
              ? 'copy a pinned uv instead: COPY --from=ghcr.io/astral-sh/uv:<version> /uv /uvx /bin/'
              : 'pin the installer version (in the URL or as its version argument), or download it, check it with `sha256sum -c`, then run it'),
        });
      }
    }
  },
};

function isGit(src: string): boolean {
  return /^git@|\.git(#|$)|^git:\/\//.test(src);
}

/** The interpreter a download is piped into (`curl url | sh`), or the shell that runs `$(curl url)`. */
function pipedInto(cmds: ShellCommand[], c: ShellCommand): ShellCommand | undefined {
  if (c.pipelineLength > 1) {
    const rest = cmds.filter((o) => o.pipeline === c.pipeline && o.pipelinePosition > c.pipelinePosition);
    const hit = rest.find(
      (o) => INTERPRETERS.test(o.program) || (o.program === 'sudo' && o.args.some((a) => INTERPRETERS.test(a.value))),
    );
    if (hit) return hit;
  }
  if (c.nested) {
    return cmds.find(
      (o) =>
        INTERPRETERS.test(o.program) &&
        o.args.some(
          (a) =>
            a.raw.includes('$(') &&
            a.raw.includes(c.program) &&
            a.raw.includes(c.args.find((x) => URL.test(x.value))?.value ?? '\0'),
        ),
    );
  }
  return undefined;
}

/** `| POETRY_VERSION=1.8.3 python3 -`, `| sh -s -- --version 1.2.0`, `| bash -s v1.2.3`. */
function pinnedByArgs(consumer: ShellCommand): boolean {
  if (Object.keys(consumer.assignments).some((k) => /VERSION/i.test(k))) return true;
  return consumer.args.some((a, i) =>
    /^--?(version|v)(=|$)/.test(a.value) ? true : /^v?\d+\.\d+/.test(a.value) && i > 0,
  );
}
