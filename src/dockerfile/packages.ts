/**
 * Recognises package-manager operations in parsed RUN commands: which manager, which action,
 * which packages and options. Rules ask this instead of matching command text.
 */
import type { Instruction, PackageOp, ShellCommand, ShellWord } from './types.js';

interface ManagerSpec {
  /** Options that take a value as the next word (long and short forms). */
  valued: string[];
  /** Map of sub-command aliases to a normal action name. */
  actions: Record<string, string>;
  /** Options that may appear before the action (e.g. `zypper -n install`). */
  globalValued?: string[];
}

const PIP_VALUED = [
  '-r',
  '--requirement',
  '-c',
  '--constraint',
  '-e',
  '--editable',
  '-i',
  '--index-url',
  '--extra-index-url',
  '-f',
  '--find-links',
  '-t',
  '--target',
  '--prefix',
  '--root',
  '--trusted-host',
  '--platform',
  '--python-version',
  '--implementation',
  '--abi',
  '--cache-dir',
  '--src',
  '--progress-bar',
  '--log',
  '--proxy',
  '--retries',
  '--timeout',
  '--exists-action',
  '--cert',
  '--client-cert',
  '--only-binary',
  '--no-binary',
  '--upgrade-strategy',
  '--python',
  '-p',
  '--index-strategy',
  '--extra',
  '--group',
  '--config-file',
  '--keyring-provider',
  '--override',
  '--resolution',
  '--prerelease',
  '--link-mode',
];

const SPECS: Record<string, ManagerSpec> = {
  'apt-get': {
    valued: ['-o', '-t', '--target-release', '-c', '--config-file'],
    actions: {
      install: 'install',
      update: 'update',
      upgrade: 'upgrade',
      'dist-upgrade': 'upgrade',
      remove: 'remove',
      purge: 'remove',
      autoremove: 'remove',
      clean: 'clean',
      autoclean: 'clean',
      'build-dep': 'install',
    },
  },
  apk: {
    valued: ['-t', '--virtual', '-X', '--repository', '--repositories-file', '-p', '--root', '--cache-dir', '--arch'],
    actions: { add: 'install', del: 'remove', update: 'update', upgrade: 'upgrade', cache: 'clean', fix: 'other' },
  },
  dnf: {
    valued: ['--setopt', '--releasever', '--installroot', '--enablerepo', '--disablerepo', '-x', '--exclude', '--repo'],
    actions: {
      install: 'install',
      in: 'install',
      update: 'upgrade',
      upgrade: 'upgrade',
      remove: 'remove',
      erase: 'remove',
      clean: 'clean',
      makecache: 'update',
      groupinstall: 'install',
      module: 'other',
      reinstall: 'install',
      'check-update': 'update',
      // dnf's and yum's other names for the same commands.
      up: 'upgrade',
      'upgrade-minimal': 'upgrade',
      'update-minimal': 'upgrade',
      'up-min': 'upgrade',
      'distro-sync': 'upgrade',
      dsync: 'upgrade',
      distrosync: 'upgrade',
      groupupdate: 'upgrade',
      localinstall: 'install',
      'install-n': 'install',
      'install-na': 'install',
      'install-nevra': 'install',
      rei: 'install',
      downgrade: 'install',
      rm: 'remove',
      autoremove: 'remove',
    },
  },
  zypper: {
    valued: ['-r', '--repo', '-t', '--type', '--from'],
    globalValued: ['--root', '-R', '--config', '-c'],
    actions: {
      install: 'install',
      in: 'install',
      refresh: 'update',
      ref: 'update',
      update: 'upgrade',
      up: 'upgrade',
      'dist-upgrade': 'upgrade',
      dup: 'upgrade',
      remove: 'remove',
      rm: 'remove',
      clean: 'clean',
      cc: 'clean',
      patch: 'upgrade',
    },
  },
  pip: {
    valued: PIP_VALUED,
    actions: {
      install: 'install',
      uninstall: 'remove',
      download: 'download',
      wheel: 'download',
      freeze: 'other',
      cache: 'clean',
      config: 'other',
      list: 'other',
      show: 'other',
      check: 'other',
      compile: 'lock',
      sync: 'sync',
    },
  },
  uv: {
    valued: [...PIP_VALUED, '--package', '--only-group', '--no-group', '--directory', '--project', '--frozen-file'],
    globalValued: ['--directory', '--project', '--cache-dir', '--config-file'],
    actions: {
      sync: 'sync',
      lock: 'lock',
      venv: 'venv',
      export: 'export',
      add: 'add',
      run: 'run',
      tool: 'tool',
      python: 'python',
      build: 'build',
      remove: 'remove',
      pip: 'pip',
    },
  },
  poetry: {
    valued: [
      '--only',
      '--with',
      '--without',
      '-E',
      '--extras',
      '-C',
      '--directory',
      '-P',
      '--project',
      '-f',
      '--format',
      '-o',
      '--output',
      '--group',
      '-G',
    ],
    actions: {
      install: 'sync',
      add: 'add',
      lock: 'lock',
      export: 'export',
      config: 'other',
      build: 'build',
      update: 'lock',
      sync: 'sync',
      run: 'run',
      self: 'other',
    },
  },
  pdm: {
    valued: ['-G', '--group', '-p', '--project', '-L', '--lockfile', '-o', '--output', '-f', '--format'],
    actions: {
      install: 'sync',
      sync: 'sync',
      add: 'add',
      lock: 'lock',
      export: 'export',
      use: 'other',
      venv: 'venv',
      run: 'run',
      build: 'build',
    },
  },
  pipenv: {
    valued: ['--python', '-r', '--requirements', '--categories'],
    actions: { install: 'sync', sync: 'sync', lock: 'lock', requirements: 'export', run: 'run' },
  },
  conda: {
    valued: ['-n', '--name', '-p', '--prefix', '-c', '--channel', '-f', '--file', '--override-channels'],
    actions: {
      install: 'install',
      create: 'install',
      update: 'upgrade',
      upgrade: 'upgrade',
      remove: 'remove',
      uninstall: 'remove',
      clean: 'clean',
      env: 'other',
    },
  },
  npm: {
    valued: ['--prefix', '-w', '--workspace', '--registry', '--omit', '--include', '--cache'],
    actions: {
      install: 'install',
      i: 'install',
      add: 'install',
      ci: 'sync',
      'clean-install': 'sync',
      update: 'upgrade',
      uninstall: 'remove',
      cache: 'clean',
      run: 'run',
      'run-script': 'run',
      prune: 'remove',
      audit: 'other',
    },
  },
  yarn: {
    valued: ['--cwd', '--cache-folder', '--modules-folder', '--mode'],
    actions: {
      install: 'sync',
      add: 'install',
      global: 'install',
      remove: 'remove',
      cache: 'clean',
      upgrade: 'upgrade',
      run: 'run',
      workspaces: 'other',
    },
  },
  pnpm: {
    valued: ['--filter', '-F', '--dir', '-C', '--store-dir'],
    actions: {
      install: 'sync',
      i: 'sync',
      add: 'install',
      remove: 'remove',
      store: 'clean',
      update: 'upgrade',
      run: 'run',
      fetch: 'download',
      deploy: 'other',
    },
  },
  pipx: {
    valued: ['--python', '--pip-args', '--index-url', '-i', '--suffix', '--spec', '--preinstall'],
    actions: { install: 'install', inject: 'install', upgrade: 'upgrade', uninstall: 'remove', run: 'run' },
  },
  gem: {
    valued: ['-v', '--version', '-i', '--install-dir', '-n', '--bindir', '--source', '-s'],
    actions: {
      install: 'install',
      i: 'install',
      update: 'upgrade',
      uninstall: 'remove',
      cleanup: 'clean',
      sources: 'other',
    },
  },
  go: {
    valued: ['-o', '-C', '-ldflags', '-tags'],
    actions: { install: 'install', get: 'install', build: 'build', mod: 'other' },
  },
};

/** `dnf module <sub-command>`: those that install, upgrade or remove packages. */
const MODULE_ACTIONS: Record<string, string> = {
  install: 'install',
  update: 'upgrade',
  upgrade: 'upgrade',
  remove: 'remove',
  'switch-to': 'install',
};

const ALIASES: Record<string, string> = {
  apt: 'apt-get',
  aptitude: 'apt-get',
  yum: 'dnf',
  microdnf: 'dnf',
  tdnf: 'dnf',
  mamba: 'conda',
  micromamba: 'conda',
  pip3: 'pip',
  easy_install: 'pip',
};

/** Name of the manager a program name stands for (`pip3.11` -> pip), or undefined. */
export function managerOf(program: string): string | undefined {
  if (/^pip(\d+(\.\d+)?)?$/.test(program)) return 'pip';
  return ALIASES[program] ?? (SPECS[program] ? program : undefined);
}

/** Every package-manager operation in a RUN instruction, in script order. */
export function packageOps(ins: Instruction): PackageOp[] {
  const out: PackageOp[] = [];
  for (const c of ins.shell?.commands ?? []) {
    const op = packageOp(c);
    if (op) out.push(op);
  }
  return out;
}

/** Recognises one command, including `python -m pip`, `uv pip`, `sudo`/`env` prefixes, curl/wget. */
export function packageOp(command: ShellCommand): PackageOp | undefined {
  let program = command.program;
  let words = command.args;
  // Prefixes that run another command.
  while ((program === 'sudo' || program === 'env' || program === 'nice' || program === 'time') && words.length) {
    const i = words.findIndex((w) => !w.value.startsWith('-') && !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w.value));
    if (i < 0) return undefined;
    program = words[i].value.split('/').pop() ?? '';
    words = words.slice(i + 1);
  }
  if (/^python(\d+(\.\d+)?)?$/.test(program)) {
    const m = words.findIndex((w) => w.value === '-m');
    if (m < 0 || !words[m + 1]) return undefined;
    const mod = words[m + 1].value;
    if (mod !== 'pip' && mod !== 'uv' && mod !== 'pipenv' && mod !== 'poetry') return undefined;
    program = mod;
    words = words.slice(m + 2);
  }
  if (program === 'curl' || program === 'wget') {
    const urls = words.filter((w) => /^['"]?(https?|ftp):\/\//.test(w.value)).map((w) => w.value);
    return {
      manager: program,
      action: 'download',
      packages: urls,
      options: optionWords(words),
      optionValues: {},
      words,
      command,
    };
  }
  let manager = managerOf(program);
  if (!manager) return undefined;
  if (manager === 'uv' && words[0]?.value === 'pip') {
    manager = 'uv-pip';
    words = words.slice(1);
  }
  const spec = manager === 'uv-pip' ? { ...SPECS.pip, valued: SPECS.uv.valued } : SPECS[manager];
  const valued = new Set([...spec.valued, ...(spec.globalValued ?? [])]);
  const optionValues: Record<string, string[]> = {};
  const positional: ShellWord[] = [];
  // gem hands what follows `--` to the extension's build (`-- --with-xml2-dir=/usr`): not gems.
  const dashes = words.findIndex((w) => w.value === '--');
  if (dashes >= 0 && manager === 'gem') words = words.slice(0, dashes);
  for (let i = 0; i < words.length; i++) {
    const w = words[i].value;
    // After `--` every word is an operand, even one that starts with `-`.
    if (dashes >= 0 && i >= dashes) {
      if (i > dashes) positional.push(words[i]);
      continue;
    }
    if (w.startsWith('-') && w !== '-') {
      const eq = w.indexOf('=');
      const name = eq > 0 ? w.slice(0, eq) : w;
      if (eq > 0) (optionValues[name] ??= []).push(w.slice(eq + 1));
      else if (valued.has(name) && i + 1 < words.length) (optionValues[name] ??= []).push(words[++i].value);
      // Short options glued to their value: `-rrequirements.txt`.
      else if (/^-[a-zA-Z]./.test(w) && valued.has(w.slice(0, 2)) && !w.startsWith('--')) {
        (optionValues[w.slice(0, 2)] ??= []).push(w.slice(2));
      }
    } else positional.push(words[i]);
  }
  const first = positional[0]?.value ?? '';
  const action =
    spec.actions[first] ?? (manager === 'uv-pip' ? spec.actions[first] : undefined) ?? (first ? 'other' : 'other');
  // `dnf module install nodejs:18`: the module sub-command is the action.
  const dnfModule = manager === 'dnf' && first === 'module';
  const sub =
    first === 'tool' || first === 'pip' || first === 'self' || dnfModule ? positional.slice(2) : positional.slice(1);
  return {
    manager,
    action:
      manager === 'conda' && first === 'env'
        ? `env-${positional[1]?.value ?? ''}`
        : dnfModule
          ? (MODULE_ACTIONS[positional[1]?.value ?? ''] ?? 'other')
          : action,
    packages: sub.map((w) => w.value),
    options: optionWords(words),
    optionValues,
    words,
    command,
  };
}

function optionWords(words: ShellWord[]): string[] {
  const dashes = words.findIndex((w) => w.value === '--');
  return (dashes < 0 ? words : words.slice(0, dashes))
    .filter((w) => w.value.startsWith('-') && w.value !== '-')
    .map((w) => w.value);
}

/** True when the op has any of the given options (exact, or `--opt=value`, or within a short cluster). */
export function hasOption(op: PackageOp, ...names: string[]): boolean {
  return op.options.some((o) => {
    const name = o.includes('=') ? o.slice(0, o.indexOf('=')) : o;
    if (names.includes(name)) return true;
    // `-qy` contains `-y`.
    if (/^-[a-zA-Z]{2,}$/.test(o)) return names.some((n) => /^-[a-zA-Z]$/.test(n) && o.includes(n[1]));
    return false;
  });
}
