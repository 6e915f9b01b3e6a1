/**
 * Classifies paths left behind by package managers: caches (with the fix for each) and logs/state.
 */
export const CACHE_RULES: Array<{ kind: string; re: RegExp; fix: string }> = [
  {
    kind: 'apt lists',
    re: /^var\/lib\/apt\/lists\/(?!lock$|partial$|auxfiles$)[^/]+$/,
    fix: 'end the RUN that installs packages with `rm -rf /var/lib/apt/lists/*`, or use RUN --mount=type=cache,target=/var/lib/apt/lists',
  },
  {
    kind: 'apt archives',
    re: /^var\/cache\/apt\/(archives\/.+\.deb|[^/]+\.bin)$/,
    fix: 'apt-get clean in the same RUN, or RUN --mount=type=cache,target=/var/cache/apt',
  },
  {
    kind: 'pip cache',
    re: /^(root|home\/[^/]+)\/\.cache\/pip\//,
    fix: 'pip install --no-cache-dir, or RUN --mount=type=cache,target=/root/.cache/pip',
  },
  {
    kind: 'uv cache',
    re: /^(root|home\/[^/]+)\/\.cache\/uv\//,
    fix: 'RUN --mount=type=cache,target=/root/.cache/uv (or UV_NO_CACHE=1)',
  },
  {
    kind: 'poetry cache',
    re: /^(root|home\/[^/]+)\/\.cache\/pypoetry\//,
    fix: 'RUN --mount=type=cache,target=/root/.cache/pypoetry, or poetry install --no-cache',
  },
  {
    kind: 'pdm cache',
    re: /^(root|home\/[^/]+)\/\.cache\/pdm\//,
    fix: 'RUN --mount=type=cache,target=/root/.cache/pdm',
  },
  {
    kind: 'pipenv cache',
    re: /^(root|home\/[^/]+)\/\.cache\/pipenv\//,
    fix: 'PIPENV_NOCACHE=1 or a cache mount',
  },
  {
    kind: 'npm cache',
    re: /^(root|home\/[^/]+)\/\.npm\/_cacache\//,
    fix: 'npm ci --cache /tmp/npm && rm -rf /tmp/npm, or a cache mount',
  },
  { kind: 'apk cache', re: /^var\/cache\/apk\/.+/, fix: 'apk add --no-cache' },
  {
    kind: 'dnf/yum cache',
    re: /^var\/cache\/(dnf|yum)\/.+/,
    fix: 'dnf clean all in the same RUN, or a cache mount',
  },
];

export function cacheKind(path: string): string | null {
  for (const r of CACHE_RULES) if (r.re.test(path)) return r.kind;
  return null;
}

const LOG_RE = /^var\/log\/.+|^var\/cache\/debconf\/.+-old$|^var\/lib\/dpkg\/.+-old$/;
export function isLogOrState(path: string): boolean {
  return LOG_RE.test(path);
}
