/** The Python project model: what `init` (and later `audit`) knows about the project in a directory. */
import type { AssetDir, IgnoredPath } from './assets.js';

export type { AssetDir, AssetKind, IgnoredPath } from './assets.js';

export type Manager = 'uv' | 'poetry' | 'pdm' | 'pipenv' | 'pip-tools' | 'pip';

export type AppKind = 'asgi' | 'wsgi' | 'django' | 'cli' | 'module' | 'script' | 'unknown';

export interface AppInfo {
  kind: AppKind;
  /** Framework that decided the kind, e.g. fastapi, starlette, flask, django. */
  framework?: string;
  /** Exec-form start command. */
  command: string[];
  /** How the command was found, for the comment above CMD. */
  reason: string;
  /** Where the command comes from (`file:line` when a line decided it), for init's summary. */
  evidence?: string;
  /** How sure the start command is (see Detection). */
  confidence?: 'high' | 'medium' | 'low';
  /** Port the server listens on (web apps only). */
  port?: number;
  /** Path of a health endpoint found in the code, e.g. /health. */
  healthPath?: string;
  /** Environment the command needs (e.g. DJANGO_SETTINGS_MODULE). */
  env?: Record<string, string>;
  /** `file:line` of the health route. */
  healthEvidence?: string;
  /** Why there is no health route (one line), when the app serves HTTP and none was found. */
  healthNote?: string;
  /** The server (or runner) the command starts, e.g. uwsgi, gunicorn, fastapi-cli. */
  server?: string;
  /** Where the server is installed from: `requirements.txt:12`, `pyproject.toml:8 (fastapi[standard])`, `--server`. */
  serverEvidence?: string;
  /** A distribution the image installs because --server asked for a server no dependency installs. */
  installServer?: string;
  /**
   * Set when the command needs a server no dependency installs and --server did not name one:
   * the one-line error init stops with (nothing is added silently).
   */
  missingServer?: string;
  /** Lines the reader should know about the start command (one each). */
  notes?: string[];
}

export interface DynamicVersion {
  tool: 'setuptools_scm' | 'hatch-vcs' | 'other';
  /** The environment variable the backend reads instead of git metadata. */
  env: string;
}

export interface WorkspaceMember {
  name: string;
  /** Directory relative to the project root. */
  dir: string;
  scripts: Record<string, string>;
  /** Top-level import packages of the member (relative to the member dir: e.g. src/acme_api). */
  packageDirs: string[];
}

export interface PrivateIndex {
  name: string;
  /** The URL as written, credentials removed. */
  url: string;
  /** Where it was declared. */
  source: string;
}

export interface SystemPackages {
  /** Debian packages the build stage needs (compilers, headers). */
  build: string[];
  /** Debian packages the runtime needs (shared libraries). */
  run: string[];
  /** The Python dependencies that asked for them. */
  because: string[];
  /** Known dependencies that need none because a wheel or a companion distribution bundles the library (one line each). */
  bundled?: string[];
}

/**
 * One decision init made about the project and what it rests on, listed in init's summary so a
 * user sees at once what to correct with a flag.
 */
export interface Detection {
  /** What was decided: 'manager', 'lock', 'python', 'workspace', 'start command', 'server', 'health route', 'system packages', 'layers', ... */
  topic: string;
  /** The decision, as it goes into the files: e.g. `uwsgi --ini uwsgi.ini`, `/healthz`, `uv.lock`. */
  value: string;
  /** Where it comes from: `file:line` relative to the project root when a line decided it, a file, or a short phrase (`default`, `--cmd`). */
  evidence: string;
  /** high: read from the project's own config; medium: inferred from code or dependencies; low: a default. */
  confidence: 'high' | 'medium' | 'low';
  /** The init flag that corrects it, e.g. `--cmd`. */
  flag?: string;
}

export interface PythonProject {
  /** Absolute directory: the build context (the workspace root when init ran in a member). */
  dir: string;
  /** The directory init was run in, when it is not `dir` (a uv workspace member). */
  ranIn?: string;
  name?: string;
  manager: Manager;
  /** Why this manager was chosen. */
  managerReason: string;
  /** Version of the manager to install in the build (from the lock header when it says). */
  managerVersion: string;
  /** Lock file, relative, when there is one. */
  lockFile?: string;
  /** Every file the dependency install needs: manifests and lock (relative paths). */
  depFiles: string[];
  /** requirements file(s) carry --hash pins (pip-tools --generate-hashes). */
  hashes: boolean;
  python: { version: string; source: string };
  /** The project is an installable distribution (has a build backend and is not package-mode=false). */
  isPackage: boolean;
  buildBackend?: string;
  dynamicVersion?: DynamicVersion;
  /**
   * The build backend takes files into the wheel from version control (setuptools with
   * setuptools_scm: every file git tracks, package data included), so the package build must see
   * the checkout's .git.
   */
  vcsFileFinder?: 'setuptools_scm';
  /** Top-level package directories of the project's own code (relative), e.g. src/shop_api. */
  packageDirs: string[];
  /** Top-level Python modules (relative files), e.g. app.py (flat layouts). */
  modules: string[];
  layout: 'src' | 'flat' | 'workspace';
  /** [project.scripts] of the project (or the selected workspace member). */
  scripts: Record<string, string>;
  /** Dependency names (normalised) of the project and, in a workspace, of the selected member. */
  dependencies: string[];
  /** Dependency groups/extras that look like development ones (dev, test, lint...). */
  devGroups: string[];
  /** [project.optional-dependencies] extras that look like development ones (dev, test, lint...). */
  devExtras?: string[];
  /** Requirements files of the development install (requirements-dev.txt, requirements/test.txt...). */
  devRequirements?: string[];
  /**
   * Directories an app that is not a package reads at run time besides its code (static assets,
   * templates, data): each kind gets its own layer before the code.
   */
  assets?: AssetDir[];
  /** Paths the build context leaves out: untracked files git ignores (without git: databases, huge files). */
  ignored?: IgnoredPath[];
  workspace?: {
    members: WorkspaceMember[];
    selected?: WorkspaceMember;
    /** The selected member and the workspace members it depends on (installed non-editable). */
    install: WorkspaceMember[];
  };
  app: AppInfo;
  systemPackages: SystemPackages;
  privateIndexes: PrivateIndex[];
  /** Files the package build needs besides the code (readme, license). */
  buildFiles: string[];
  /** Test directories (never shipped). */
  testDirs: string[];
  /** Things the reader should know (one line each). */
  notes: string[];
  /** Every decision with its evidence, in the order init's summary lists them. */
  detections: Detection[];
}

export interface DetectOptions {
  manager?: Manager;
  python?: string;
  port?: number;
  cmd?: string;
  /** Workspace member (name or directory) to build. */
  package?: string;
  /** Server to run the app with; installed in the image when no dependency installs it. */
  server?: string;
}
