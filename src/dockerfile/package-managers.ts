/**
 * What layerwise knows of each package manager's command line: its sub-commands under all their
 * names (mapped to one action), the options that take a value, and the programs that stand for it.
 * packages.ts reads commands with it.
 */

export interface ManagerSpec {
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

/** The same action under many names: `{ up: 'upgrade', dsync: 'upgrade' }`. */
function named(action: string, names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((n) => [n, action]));
}

export const SPECS: Record<string, ManagerSpec> = {
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
      ...named('upgrade', ['up', 'upgrade-minimal', 'update-minimal', 'up-min', 'distro-sync', 'dsync', 'distrosync']),
      ...named('upgrade', ['groupupdate']),
      ...named('install', ['localinstall', 'install-n', 'install-na', 'install-nevra', 'rei', 'downgrade']),
      ...named('remove', ['rm', 'autoremove']),
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
export const MODULE_ACTIONS: Record<string, string> = {
  ...named('install', ['install', 'switch-to']),
  ...named('upgrade', ['update', 'upgrade']),
  remove: 'remove',
};

export const ALIASES: Record<string, string> = {
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
