/**
 * Secrets by pattern: private keys, `.env` files, cloud and registry credentials, tokens.
 * Values are never reported: a finding carries a masked preview only.
 */

export interface SecretFinding {
  path: string;
  kind: string;
  /** What was seen, with the value masked. */
  masked: string;
  /** Inside an installed package (site-packages), e.g. a test key shipped by a library. */
  inPackage: boolean;
  layerIndex?: number;
}

/** Files judged by their name alone. */
const NAME_RULES: Array<{ re: RegExp; kind: string }> = [
  { re: /(^|\/)\.env(\.[\w.-]+)?$/, kind: 'dotenv file' },
  { re: /(^|\/)\.aws\/credentials$/, kind: 'AWS credentials file' },
  { re: /(^|\/)\.git-credentials$/, kind: 'git credentials' },
  { re: /(^|\/)\.netrc$/, kind: 'netrc credentials' },
  { re: /(^|\/)\.pypirc$/, kind: 'PyPI upload credentials' },
  { re: /(^|\/)\.docker\/config\.json$/, kind: 'Docker registry credentials' },
  { re: /(^|\/)\.kube\/config$/, kind: 'Kubernetes credentials' },
  { re: /(^|\/)application_default_credentials\.json$/, kind: 'Google Cloud credentials' },
  { re: /(^|\/)(id_rsa|id_dsa|id_ecdsa|id_ed25519)$/, kind: 'SSH private key' },
  { re: /\.(p12|pfx|keystore|jks)$/i, kind: 'key store' },
];

const DOTENV_HARMLESS = /\.env\.(example|sample|template|dist|defaults?)$/;

/** Files whose content is scanned (config-like text). */
export function isScanCandidate(path: string): boolean {
  return (
    NAME_RULES.some((r) => r.re.test(path)) ||
    /\.(env|pem|key|json|ya?ml|toml|ini|cfg|conf|properties|sh|npmrc|txt)$/i.test(path) ||
    /(^|\/)\.(npmrc|pip\/pip\.conf|config\/pip\/pip\.conf)$/.test(path) ||
    /(^|\/)pip\.conf$/.test(path)
  );
}

const CONTENT_RULES: Array<{ re: RegExp; kind: string; mask: (m: string) => string }> = [
  {
    re: /-----BEGIN ((?:RSA|DSA|EC|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY( BLOCK)?-----/,
    kind: 'private key',
    mask: (m) => `${m} ... (key material masked)`,
  },
  { re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/, kind: 'AWS access key id', mask: maskToken },
  {
    re: /aws_secret_access_key\s*[=:]\s*["']?[A-Za-z0-9/+=]{40}/i,
    kind: 'AWS secret access key',
    mask: (m) => `${m.split(/[=:]/)[0].trim()}=${'*'.repeat(8)}`,
  },
  {
    re: /"type"\s*:\s*"service_account"[\s\S]{0,4000}"private_key"/,
    kind: 'Google service account key',
    mask: () => '"private_key": "********"',
  },
  {
    re: /\bgh[pousr]_[A-Za-z0-9]{36}\b|\bgithub_pat_[A-Za-z0-9_]{60,}\b/,
    kind: 'GitHub token',
    mask: maskToken,
  },
  { re: /\bglpat-[A-Za-z0-9_-]{20}\b/, kind: 'GitLab token', mask: maskToken },
  { re: /\bxox[baprs]-[A-Za-z0-9-]{10,}\b/, kind: 'Slack token', mask: maskToken },
  { re: /\bpypi-Ag[A-Za-z0-9_-]{50,}\b/, kind: 'PyPI API token', mask: maskToken },
  { re: /\bsk_live_[A-Za-z0-9]{20,}\b/, kind: 'Stripe secret key', mask: maskToken },
  {
    // Not `//user:${PASS}@host` or `:$PASS@`: a variable reference is where a secret comes from, not one.
    re: /\/\/[^/\s:@]+:(?!\$)[^/\s:@]{6,}@[\w.-]+/,
    kind: 'URL with a password',
    mask: (m) => m.replace(/:[^:@]+@/, ':********@'),
  },
  { re: /_authToken\s*=\s*(?!\$)\S{8,}/, kind: 'npm token', mask: () => '_authToken=********' },
  { re: /"auth"\s*:\s*"[A-Za-z0-9+/=]{8,}"/, kind: 'registry auth', mask: () => '"auth": "********"' },
];

export function maskToken(t: string): string {
  if (t.length <= 8) return '*'.repeat(t.length);
  return `${t.slice(0, 4)}${'*'.repeat(Math.min(16, t.length - 6))}${t.slice(-2)}`;
}

function inPackage(path: string): boolean {
  return /(^|\/)(site|dist)-packages\//.test(path) || /^usr\/(share|lib)\//.test(path);
}

/** Findings from a file's name and (optionally) the first bytes of its content. */
export function scanFile(path: string, content: Buffer | null): SecretFinding[] {
  const out: SecretFinding[] = [];
  const pkg = inPackage(path);
  for (const r of NAME_RULES) {
    if (!r.re.test(path)) continue;
    if (r.kind === 'dotenv file' && DOTENV_HARMLESS.test(path)) continue;
    let masked = '(file present)';
    if (r.kind === 'dotenv file' && content) {
      const names = [...content.toString('utf8').matchAll(/^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/gm)].map(
        (m) => m[1],
      );
      masked = names.length
        ? names
            .slice(0, 8)
            .map((n) => `${n}=****`)
            .join(' ') + (names.length > 8 ? ' ...' : '')
        : '(empty)';
    }
    out.push({ path, kind: r.kind, masked, inPackage: pkg });
    break;
  }
  if (content && content.length > 0) {
    const text = content.toString('latin1');
    for (const r of CONTENT_RULES) {
      const m = r.re.exec(text);
      if (!m) continue;
      if (out.some((f) => f.kind === r.kind)) continue;
      // A key file already reported by name needs no second line.
      if (r.kind === 'private key' && out.some((f) => f.kind === 'SSH private key')) continue;
      out.push({ path, kind: r.kind, masked: r.mask(m[0]), inPackage: pkg });
    }
  }
  return out;
}

/** One secret found in a piece of text: where it is, what it is, and how to show it. */
export interface SecretMatch {
  kind: string;
  start: number;
  end: number;
  /** The secret as found; for comparing only, never for printing. */
  raw: string;
  masked: string;
}

const KEY_END = /-----END ((?:RSA|DSA|EC|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY( BLOCK)?-----/g;

/**
 * Every secret in a text (a history entry, an environment variable, a label), by the same
 * patterns as file contents. A private key runs to its END line, or to the end of the text
 * when there is none: the material after the BEGIN line is the secret, not the line itself.
 * Overlapping matches are merged, so masking them hides their union.
 */
export function findSecrets(text: string): SecretMatch[] {
  const found: SecretMatch[] = [];
  for (const r of CONTENT_RULES) {
    const re = new RegExp(r.re.source, `${r.re.flags.replace('g', '')}g`);
    for (let m = re.exec(text); m; m = re.exec(text)) {
      let end = m.index + m[0].length;
      if (r.kind === 'private key') {
        KEY_END.lastIndex = end;
        const e = KEY_END.exec(text);
        end = e ? e.index + e[0].length : text.length;
        re.lastIndex = end;
      }
      found.push({ kind: r.kind, start: m.index, end, raw: text.slice(m.index, end), masked: r.mask(m[0]) });
      if (m[0].length === 0) re.lastIndex++;
    }
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: SecretMatch[] = [];
  for (const f of found) {
    const last = merged[merged.length - 1];
    if (last && f.start < last.end) {
      if (f.end > last.end) {
        last.end = f.end;
        last.raw = text.slice(last.start, last.end);
      }
      continue;
    }
    merged.push({ ...f });
  }
  return merged;
}

/** The text with every secret in it replaced by its masked preview. */
export function maskSecrets(text: string): string;
export function maskSecrets(text: string | null | undefined): string | null;
export function maskSecrets(text: string | null | undefined): string | null {
  if (text === null || text === undefined) return null;
  let out = '';
  let at = 0;
  for (const m of findSecrets(text)) {
    out += text.slice(at, m.start) + m.masked;
    at = m.end;
  }
  return out + text.slice(at);
}
