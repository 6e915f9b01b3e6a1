import { perContext } from '../../dockerfile/context-memo.js';
import { copySources, covers, normaliseSource } from '../../dockerfile/simulate.js';
import { copiesFromStage } from '../lib/instruction-tokens.js';
import { shippedStages } from '../util.js';
import type { Rule } from '../types.js';
import { shortText } from '../util.js';

const SAFE_ENV = /\.(example|sample|template|dist|defaults?|tmpl)$/i;
/** File names that hold credentials. Matched against the last path component. */
const SECRET =
  /^(\.env(\..+)?|.+\.env|.+\.(pem|key|p12|pfx|jks|keystore|ppk)|id_(rsa|dsa|ecdsa|ed25519)|\.npmrc|\.pypirc|\.netrc|\.git-credentials|\.htpasswd|\.dockercfg|credentials(\..+)?|.*service[-_]?account.*\.json|kubeconfig|secrets?\.(json|ya?ml|toml|env))$/i;

export function isSecretFile(path: string): boolean {
  const base = path.split('/').pop() ?? path;
  if (SAFE_ENV.test(base) || base.endsWith('.pub')) return false;
  if (/(^|\/)\.docker\/config\.json$/.test(path)) return true;
  return SECRET.test(base);
}

export const rule: Rule = {
  meta: {
    id: 'LW5402',
    name: 'secret-file-copied',
    category: 'security',
    severity: 'error',
    summary: 'A file with credentials (.env, private keys, .npmrc, .pypirc) is copied into the image.',
    description:
      'Anyone who can pull the image can read every file in its layers, even when a later step deletes it. Keep secret ' +
      'files out of the context with .dockerignore, pass build-time credentials with `RUN --mount=type=secret`, and ' +
      'give run-time configuration to the container as environment or mounted secrets.',
    bad: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD ["python", "-m", "app"]\n',
    good: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD ["python", "-m", "app"]\n',
    badContext: {
      dockerignore: '.git\n',
      files: ['app/main.py', 'requirements.txt', '.env', 'deploy/server.key'],
    },
    goodContext: {
      dockerignore: '.git\n.env\n*.key\n**/*.key\n',
      files: ['app/main.py', 'requirements.txt', '.env', 'deploy/server.key', '.env.example'],
    },
    fixable: false,
    aliases: [],
  },
  check(ctx) {
    const { file, context } = ctx;
    const inImage = shippedStages(file);
    let listed: string[] | undefined;
    for (const ins of file.instructions) {
      if ((ins.keyword !== 'COPY' && ins.keyword !== 'ADD') || copiesFromStage(ins)) continue;
      // Secrets in a builder stage stay in the build cache, not in the image that ships.
      if (ins.stage === undefined || !inImage.has(ins.stage)) continue;
      const sources = copySources(ins).map(normaliseSource);
      const named = sources.filter(isSecretFile);
      if (named.length) {
        ctx.report({
          line: ins.span.start.line,
          message: `${shortText(ins, 40)} copies ${named.join(', ')} into the image, where anyone who can pull it can read ${named.length > 1 ? 'them' : 'it'}; pass credentials at build time with RUN --mount=type=secret (or at run time) instead`,
        });
        continue;
      }
      if (!context.exists) continue;
      listed ??= perContext(context, 'secret-files', () =>
        context.files().filter((f) => isSecretFile(f) && !context.isIgnored(f)),
      );
      if (!listed.length) continue;
      const hits = listed.filter((f) => sources.some((s) => covers(s, f)));
      if (!hits.length) continue;
      const shown = `${hits.slice(0, 3).join(', ')}${hits.length > 3 ? ` and ${hits.length - 3} more` : ''}`;
      ctx.report({
        line: ins.span.start.line,
        message: `${shortText(ins, 40)} copies ${shown} from the context into the image, where anyone who can pull it can read ${hits.length > 1 ? 'them' : 'it'}, even if a later step deletes ${hits.length > 1 ? 'them' : 'it'}; add ${hits.length > 1 ? 'them' : 'it'} to .dockerignore and use RUN --mount=type=secret for build-time credentials`,
      });
    }
  },
};
