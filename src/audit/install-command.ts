/**
 * Reads what a RUN instruction installs, from its text: a dependency install from a lock or
 * requirements file (pip, uv, poetry, pdm, pipenv), the project itself, pinned tools, a user,
 * Debian packages; and whether the layer keeps the installer's cache and compiles bytecode.
 */
import type { Instruction } from '../dockerfile/types.js';

export type RunKind = 'deps' | 'project' | 'tool' | 'user' | 'apt' | 'venv' | 'remove' | 'other';

export interface RunInfo {
  kind: RunKind;
  tool?: 'pip' | 'uv' | 'poetry' | 'pdm' | 'pipenv';
  /** `-r FILE` arguments (as written, container paths). */
  requirements: string[];
  /** Development groups installed too. */
  includeDev: boolean;
  /** The project's files are installed too (`pip install .`, `uv sync --no-editable`); editable installs are not. */
  installsProject: boolean;
  /** Only the project, `--no-deps`. */
  noDeps: boolean;
  /** Pinned `name==version` packages named on the command line. */
  pinned: { name: string; version: string }[];
  /** The installer's download cache stays in the layer (pip without --no-cache-dir or a cache mount). */
  keepsPipCache: boolean;
  /** poetry's download cache (the wheels themselves, in /root/.cache/pypoetry/artifacts) stays in the layer. */
  keepsWheelCache: boolean;
  /**
   * uv's or pdm's own cache stays in the layer (no --no-cache, no UV_NO_CACHE/PDM_NO_CACHE, no
   * cache mount on the cache dir, not removed in the same RUN). `env` (the stage's ENV before
   * this RUN) is read too; see readRun.
   */
  keepsToolCache: boolean;
  /** uv hardlinks the installed files from its cache (the default link mode): the cache then costs little. */
  cacheHardlinked: boolean;
  /** The same RUN creates a virtual environment with pip in it (`python -m venv DIR`, no --without-pip). */
  makesVenv: boolean;
  /** .pyc files are written into the layer. */
  compiles: boolean;
  /** Paths removed (`rm -f a b`), for RUNs that only remove. */
  removed: string[];
}

const INSTALL = /\b(pip3?|python3?\s+-m\s+pip)\s+(?:--?[^\s]+\s+(?:\/[^\s]+\s+)?)*install\b/;

/** Creates a venv seeded with pip: `python -m venv`, not `uv venv` (which seeds nothing unless --seed). */
const VENV = /\bpython[\d.]*\s+-m\s+venv\b(?![^&;|]*--without-pip)/;

/**
 * What `ins` (a RUN) installs. `env` is the ENV text in force before it (`K=V` pairs, any
 * layout), for settings such as UV_NO_CACHE or UV_CACHE_DIR that an earlier ENV set.
 */
export function readRun(ins: Instruction, env = ''): RunInfo {
  const text = ins.argsText.replace(/\\\r?\n/g, ' ');
  const info: RunInfo = {
    kind: 'other',
    requirements: [],
    includeDev: true,
    installsProject: false,
    noDeps: false,
    pinned: [],
    keepsPipCache: false,
    keepsWheelCache: false,
    keepsToolCache: false,
    cacheHardlinked: false,
    makesVenv: VENV.test(text),
    compiles: false,
    removed: [],
  };
  const setting = (k: string) => new RegExp(`\\b${k}=["']?([^\\s"']+)`).exec(`${env} ${text}`)?.[1];
  const truthy = (k: string) => /^(1|true|yes|on)$/i.test(setting(k) ?? '');
  const cacheMount = (target: string) => ins.mounts.some((m) => m.type === 'cache' && m.target?.startsWith(target));
  // A cache mount on `dir` or a folder above it: what the tool writes there stays out of the layer.
  const mounted = (dir: string) =>
    ins.mounts.some((m) => {
      const t = m.target?.replace(/\/+$/, '');
      return m.type === 'cache' && !!t && (dir === t || dir.startsWith(`${t}/`));
    });
  const uvSync = /\buv\s+sync\b/.exec(text);
  const poetry = /\bpoetry\s+(install|sync)\b/.exec(text);
  const pdm = /\bpdm\s+(install|sync)\b/.exec(text);
  const pipenv = /\bpipenv\s+(install|sync)\b/.exec(text);
  const pip = INSTALL.exec(text) ?? /\buv\s+pip\s+(install|sync)\b/.exec(text);
  if (uvSync) {
    info.kind = 'deps';
    info.tool = 'uv';
    info.includeDev = !/--no-dev\b|--only-group\b|--no-default-groups\b|--only-dev\b/.test(text);
    // uv sync installs the project editable (a .pth file) unless --no-editable: only then are its files in the layer.
    info.installsProject = !/--no-install-project\b|--only-deps\b/.test(text) && /--no-editable\b/.test(text);
    info.compiles = /--compile-bytecode\b|UV_COMPILE_BYTECODE=1/.test(text);
    info.keepsToolCache = keepsUvCache(text, truthy, setting, mounted);
    info.cacheHardlinked = uvHardlinks(text, setting);
  } else if (poetry || pdm || pipenv) {
    info.kind = 'deps';
    info.tool = poetry ? 'poetry' : pdm ? 'pdm' : 'pipenv';
    info.includeDev = poetry
      ? !/--only[ =]main\b|--without\b|--no-dev\b|--only-root\b/.test(text)
      : pdm
        ? !/--prod\b|--production\b/.test(text)
        : /--dev\b/.test(text);
    // poetry and pdm install the project editable: a .pth file, not its files.
    info.installsProject = false;
    info.keepsWheelCache =
      !!poetry &&
      !cacheMount('/root/.cache') &&
      !/--no-cache\b|POETRY_CACHE_DIR=\/tmp|rm\s+-[a-z]*\s+\S*pypoetry/.test(text);
    info.keepsToolCache =
      !!pdm &&
      !/--no-cache\b|rm\s+-[a-z]*\s+\S*\.cache\/pdm|rm\s+-[a-z]*\s+\/root\/\.cache\b/.test(text) &&
      !truthy('PDM_NO_CACHE') &&
      !mounted(setting('PDM_CACHE_DIR') ?? '/root/.cache/pdm');
    // Neither compiles by default (poetry only with --compile).
    info.compiles = !!poetry && /--compile\b/.test(text);
  } else if (pip) {
    // INSTALL also matches the `pip install` of `uv pip install`.
    info.tool = /\buv\s+pip\b/.test(pip[0]) || /\buv\s+$/.test(text.slice(0, pip.index)) ? 'uv' : 'pip';
    const words = text.slice(pip.index + pip[0].length).split(/\s+|&&|;/);
    for (let i = 0; i < words.length; i++) {
      const w = words[i];
      if (w === '-r' || w === '--requirement' || w === '-c' || w === '--constraint') {
        if (w.endsWith('r') || w === '--requirement') info.requirements.push(words[i + 1] ?? '');
        i++;
      } else if (/^(-r|--requirement=)/.test(w) && w.length > 2)
        info.requirements.push(w.replace(/^(-r|--requirement=)/, ''));
      else if (w === '.' || w === './' || /^\/[^\s]*$/.test(w) || /^\.\[/.test(w)) info.installsProject = true;
      else if (/^[A-Za-z0-9][\w.-]*(\[[^\]]*\])?==[\w.+!-]+$/.test(w.replace(/["']/g, ''))) {
        const [name, version] = w
          .replace(/["']/g, '')
          .replace(/\[[^\]]*\]/, '')
          .split('==');
        info.pinned.push({ name, version });
      }
      if (/^(&&|;|\|)$/.test(w)) break;
    }
    info.noDeps = /--no-deps\b/.test(text);
    info.kind = info.requirements.length
      ? 'deps'
      : info.installsProject
        ? info.noDeps
          ? 'project'
          : 'deps'
        : info.pinned.length
          ? 'tool'
          : 'other';
    // A requirements file lists what it lists; `pip install .` takes the main dependencies only.
    info.includeDev = info.requirements.length > 0;
    info.compiles = info.tool === 'pip' ? !/--no-compile\b/.test(text) : /--compile(-bytecode)?\b/.test(text);
    info.keepsPipCache =
      info.tool === 'pip' &&
      !/--no-cache-dir\b|PIP_NO_CACHE_DIR=/.test(`${env} ${text}`) &&
      !cacheMount('/root/.cache');
    if (info.tool === 'uv') {
      info.keepsToolCache = keepsUvCache(text, truthy, setting, mounted);
      info.cacheHardlinked = uvHardlinks(text, setting);
    }
  } else if (/\b(useradd|adduser|groupadd|addgroup)\b/.test(text) && !/\bapt(-get)?\s+install\b/.test(text)) {
    info.kind = 'user';
  } else if (/\b(apt-get|apt|apk|dnf|yum|microdnf)\s+(-\S+\s+)*(install|add)\b/.test(text)) {
    info.kind = 'apt';
  } else if (/\b(python[\d.]*|virtualenv|uv)\s+(-m\s+venv|venv)\b/.test(text) || /^\s*virtualenv\b/.test(text)) {
    info.kind = 'venv';
  } else {
    // Words separated by required whitespace: `(?:[^\s]+\s*)+$` splits a word every way it can
    // before failing on `&&`, which is exponential in the length of `rm -f a b c && ...`.
    const rm = /^\s*rm\s+(-[a-zA-Z]+\s+)*([^\s&;|]+(?:\s+[^\s&;|]+)*)$/.exec(text.trim());
    if (rm) {
      info.kind = 'remove';
      info.removed = rm[2].trim().split(/\s+/);
    }
  }
  // A compileall in the same RUN writes the .pyc into this layer whatever the installer did.
  if (info.kind === 'deps' && /\bcompileall\b/.test(text)) info.compiles = true;
  return info;
}

/** uv keeps its cache (the wheels unpacked once more) in /root/.cache/uv unless told not to. */
function keepsUvCache(
  text: string,
  truthy: (k: string) => boolean,
  setting: (k: string) => string | undefined,
  mounted: (dir: string) => boolean,
): boolean {
  if (
    /--no-cache\b|\buv\s+cache\s+(clean|prune)\b|rm\s+-[a-z]*\s+\S*\.cache\/uv|rm\s+-[a-z]*\s+\/root\/\.cache\b/.test(
      text,
    )
  )
    return false;
  if (truthy('UV_NO_CACHE')) return false;
  const dir = setting('UV_CACHE_DIR') ?? '/root/.cache/uv';
  return !mounted(dir);
}

/** uv's link mode is hardlink on Linux unless --link-mode or UV_LINK_MODE says otherwise. */
function uvHardlinks(text: string, setting: (k: string) => string | undefined): boolean {
  const mode = /--link-mode[ =](\w+)/.exec(text)?.[1] ?? setting('UV_LINK_MODE') ?? 'hardlink';
  return mode === 'hardlink';
}
