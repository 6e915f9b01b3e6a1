/**
 * Debian packages that known Python dependencies need: headers and a compiler to build them from
 * source (build stage only) and shared libraries to run them (runtime stage).
 */
import type { SystemPackages } from './types.js';

interface Need {
  /** Needed at build time only when the lock has no wheel for the package. */
  build?: string[];
  run?: string[];
  /** No Linux wheel on the usual index: built from source unless the lock names a Linux wheel. */
  alwaysBuild?: boolean;
  /** Companion distributions that bring the library compiled in (psycopg[binary] brings psycopg-binary). */
  bundledBy?: string[];
}

/** Keyed by normalised distribution name. Debian bookworm package names. */
export const KNOWN: Record<string, Need> = {
  psycopg2: { build: ['gcc', 'libc6-dev', 'libpq-dev'], run: ['libpq5'], alwaysBuild: true },
  // psycopg[binary] installs psycopg-binary, whose wheels carry libpq; psycopg[c] compiles against it.
  psycopg: { run: ['libpq5'], bundledBy: ['psycopg-binary'] },
  'psycopg-c': { build: ['gcc', 'libc6-dev', 'libpq-dev'], run: ['libpq5'], alwaysBuild: true },
  mysqlclient: {
    build: ['gcc', 'libc6-dev', 'pkg-config', 'default-libmysqlclient-dev'],
    run: ['libmariadb3'],
    alwaysBuild: true,
  },
  lxml: { build: ['gcc', 'libc6-dev', 'libxml2-dev', 'libxslt1-dev'], run: ['libxml2', 'libxslt1.1'] },
  pillow: { build: ['gcc', 'libc6-dev', 'libjpeg62-turbo-dev', 'zlib1g-dev'], run: ['libjpeg62-turbo', 'zlib1g'] },
  weasyprint: { run: ['libpango-1.0-0', 'libpangoft2-1.0-0', 'libharfbuzz0b', 'libfontconfig1'] },
  cairosvg: { run: ['libcairo2'] },
  'python-ldap': {
    build: ['gcc', 'libc6-dev', 'libldap2-dev', 'libsasl2-dev'],
    run: ['libldap-2.5-0', 'libsasl2-2'],
    alwaysBuild: true,
  },
  pyodbc: { build: ['gcc', 'g++', 'unixodbc-dev'], run: ['unixodbc'] },
  'python-magic': { run: ['libmagic1'] },
  gdal: { build: ['gcc', 'g++', 'libgdal-dev'], run: ['libgdal32'], alwaysBuild: true },
  'mysql-connector-python': {},
  cffi: { build: ['gcc', 'libc6-dev', 'libffi-dev'], run: ['libffi8'] },
  pycairo: { build: ['gcc', 'libc6-dev', 'pkg-config', 'libcairo2-dev'], run: ['libcairo2'], alwaysBuild: true },
  xmlsec: {
    build: ['gcc', 'libc6-dev', 'pkg-config', 'libxmlsec1-dev'],
    run: ['libxmlsec1-openssl'],
    alwaysBuild: true,
  },
};

/**
 * `deps` are normalised names (direct and locked); `hasWheel(name)` says whether the lock has a
 * Linux wheel for it (undefined when the lock does not say). A Linux (manylinux) wheel bundles the
 * C libraries it links, so a package installed from one needs no system package, nor does one
 * whose companion distribution bundles them; `bundled` says which were left out and why.
 */
export function systemPackagesFor(deps: string[], hasWheel: (name: string) => boolean | undefined): SystemPackages {
  const build = new Set<string>();
  const run = new Set<string>();
  const because: string[] = [];
  const bundled: string[] = [];
  const present = new Set(deps);
  for (const dep of [...present].sort()) {
    const need = KNOWN[dep];
    if (!need) continue;
    const by = need.bundledBy?.find((b) => present.has(b));
    if (by) {
      bundled.push(`${dep}: ${by} bundles ${need.run?.join(', ') ?? 'its libraries'}`);
      continue;
    }
    let used = false;
    const wheel = hasWheel(dep);
    if (wheel === true && need.build) {
      bundled.push(`${dep}: the lock's Linux wheel bundles its libraries`);
      continue;
    }
    if (need.build && (need.alwaysBuild || wheel === false)) {
      for (const p of need.build) build.add(p);
      used = true;
    }
    // A wheel bundles its libraries; the runtime needs them only when built from source or when
    // the package links the system's at run time (weasyprint, python-magic: no build list).
    if (need.run && (need.alwaysBuild || wheel === false || !need.build)) {
      for (const p of need.run) run.add(p);
      used = true;
    }
    if (used) because.push(dep);
  }
  return { build: [...build].sort(), run: [...run].sort(), because, bundled };
}
