/**
 * Reads a Python project from a directory into the project model: package manager and lock file,
 * Python version, build backend and dynamic version, uv workspace, the app and how it starts,
 * system packages, private indexes. Pure reading; nothing is run.
 */
import { join, relative, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { detectApp } from './app.js';
import { findAssetDirs, gitIgnoredPaths, heuristicIgnoredPaths } from './assets.js';
import {
  devExtrasOf,
  devGroupsOf,
  devRequirementFiles,
  directDependencies,
  lockHasWheel,
  lockPackageNames,
} from './dependencies.js';
import { productionFiles, startDetections } from './start-detections.js';
import { dig, exists, isDir, listDir, readText, readToml, TEST_DIRS, type Toml } from './files.js';
import { findPrivateIndexes } from './indexes.js';
import { codeLayout, membersNeeded, selectMember, workspaceMembers } from './layout.js';
import { validateLockFiles } from './lock-validate.js';
import { findRequirements, lockAndDepFiles, pickManager } from './manager.js';
import { buildFilesOf, decideIsPackage, detectDynamicVersion, detectVcsFileFinder } from './package-build.js';
import { pythonVersion } from './python-version.js';
import { assetDetections, bundledDetections, devDetections, ignoredDetections } from './layer-detections.js';
import { installedPackages } from './servers.js';
import { systemPackagesFor } from './system-packages.js';
import type { DetectOptions, Detection, PythonProject } from './types.js';
import { findWorkspaceRoot, outsideDependencyProblem } from './workspace-root.js';

export { DEFAULT_VERSIONS, MANAGERS } from './manager.js';
export { DEFAULT_PYTHON, majorMinor } from './python-version.js';

export function detectProject(dirArg: string, opts: DetectOptions = {}): PythonProject {
  const dir = resolve(dirArg);
  if (!isDir(dir)) throw new UserError(`${dirArg}: no such directory`);
  // Run in a uv workspace member: the lock and the other members are at the root, so the project
  // is the workspace with this member selected, built from the root.
  const ws = findWorkspaceRoot(dir);
  if (ws) {
    if (opts.package && opts.package !== ws.member)
      throw new UserError(
        `--package ${opts.package}: init runs in the member ${ws.member}; run it in ${ws.root} to pick another`,
      );
    const p = detectProject(ws.root, { ...opts, package: ws.member });
    p.ranIn = dir;
    p.detections.unshift({
      topic: 'workspace',
      value: `member ${ws.member} of the uv workspace at ${relative(dir, ws.root) || '.'} (${ws.lockFile ?? 'no lock yet'})`,
      evidence: `${relative(dir, ws.root)}/${ws.evidence}`,
      confidence: 'high',
      flag: '--package',
    });
    p.detections.push({
      topic: 'build context',
      value: `${relative(dir, ws.root)}, the workspace root (the lock; members ${p.workspace?.install.map((m) => m.dir).join(', ')}): the Dockerfile, .dockerignore and compose file go there; docker build ${relative(dir, ws.root)}`,
      evidence: `${relative(dir, ws.root)}/${ws.evidence}`,
      confidence: 'high',
      flag: '--out',
    });
    return p;
  }
  const outside = outsideDependencyProblem(dir);
  if (outside) throw new UserError(outside);
  const pyproject = readToml(join(dir, 'pyproject.toml'));
  const notes: string[] = [];
  const requirements = findRequirements(dir);
  if (!pyproject && !requirements.length && !exists(dir, 'Pipfile') && !exists(dir, 'setup.py')) {
    throw new UserError(`${dirArg}: no pyproject.toml, requirements*.txt, Pipfile or setup.py: not a Python project`);
  }

  // --- manager and lock
  const { manager, reason } = pickManager(dir, pyproject, requirements, opts.manager);
  const { lockFile, depFiles, hashes, managerVersion } = lockAndDepFiles(dir, manager, pyproject, requirements, notes);
  validateLockFiles(dir, manager, lockFile, depFiles);

  // --- Python version
  const python = pythonVersion(dir, pyproject, lockFile ? readText(join(dir, lockFile)) : undefined, opts.python);

  // --- the project itself
  const project = (pyproject?.project ?? {}) as Toml;
  const name =
    typeof project.name === 'string' ? project.name : (dig(pyproject, 'tool', 'poetry', 'name') as string | undefined);
  const buildBackend = dig(pyproject, 'build-system', 'build-backend') as string | undefined;
  const isPackage = decideIsPackage(dir, manager, pyproject);
  const dynamicVersion = isPackage ? detectDynamicVersion(pyproject) : undefined;
  let scripts = {
    ...((project.scripts as Record<string, string>) ?? {}),
    ...((dig(pyproject, 'tool', 'poetry', 'scripts') as Record<string, string>) ?? {}),
  };

  // --- workspace
  let workspace: PythonProject['workspace'];
  const members = manager === 'uv' ? workspaceMembers(dir, pyproject) : [];
  if (members.length) {
    const selected = selectMember(members, opts.package);
    const install = selected ? membersNeeded(dir, members, selected) : [];
    workspace = { members, selected, install };
    if (selected) scripts = selected.scripts;
    for (const m of members) depFiles.push(`${m.dir}/pyproject.toml`);
  } else if (opts.package) {
    throw new UserError(`--package ${opts.package}: ${dir} is not a uv workspace`);
  }

  // --- code layout
  const { packageDirs, modules, layout } = workspace
    ? {
        packageDirs: workspace.install.flatMap((m) => m.packageDirs.map((p) => `${m.dir}/${p}`)),
        modules: [] as string[],
        layout: 'workspace' as const,
      }
    : codeLayout(dir);
  const testDirs = listDir(dir).filter((n) => TEST_DIRS.has(n) && isDir(join(dir, n)));
  if (workspace)
    for (const m of workspace.members)
      for (const n of listDir(join(dir, m.dir))) if (TEST_DIRS.has(n)) testDirs.push(`${m.dir}/${n}`);

  // --- dependencies
  const lockText = lockFile ? (readText(join(dir, lockFile)) ?? '') : '';
  const lockNames = lockPackageNames(manager, lockText);
  const direct = directDependencies(
    pyproject,
    workspace?.selected ? readToml(join(dir, workspace.selected.dir, 'pyproject.toml')) : undefined,
  );
  const dependencies = [...new Set([...direct, ...lockNames])].sort();
  const devGroups = devGroupsOf(pyproject);
  const devExtras = devExtrasOf(pyproject);
  const devRequirements = manager === 'pip' || manager === 'pip-tools' ? devRequirementFiles(dir, lockFile) : [];

  const prodFiles = productionFiles(dir, depFiles, lockFile, workspace?.selected?.dir);
  const app = detectApp({
    root: dir,
    packageDirs: workspace?.selected
      ? workspace.selected.packageDirs.map((p) => `${workspace?.selected?.dir}/${p}`)
      : packageDirs,
    modules,
    scripts,
    dependencies,
    prodFiles,
    port: opts.port,
    cmd: opts.cmd,
    server: opts.server,
    member: workspace?.selected?.dir,
  });
  if (app.kind === 'unknown') notes.push('no entry point found: the image runs `python`; pass --cmd');
  notes.push(...(app.notes ?? []));
  if (app.healthNote && app.port !== undefined) notes.push(app.healthNote);

  // What extras bring counts too: psycopg[binary] without a lock installs psycopg-binary (libpq bundled).
  const installed = [...installedPackages(dir, prodFiles, dependencies).keys()];
  const systemPackages = systemPackagesFor([...new Set([...dependencies, ...installed])], (n) =>
    lockHasWheel(manager, lockText, n),
  );
  const privateIndexes = findPrivateIndexes(dir, pyproject, requirements);

  const buildFiles = buildFilesOf(dir, project, isPackage);

  // --- what the context leaves out (git decides) and, for an app that is not a package, the
  // directories it reads at run time besides code (each kind its own layer before the code)
  const fromGit = gitIgnoredPaths(dir);
  // What the build reads (the manifests, the lock, readme/license) stays, even when git ignores it.
  const needed = new Set([...depFiles, ...buildFiles]);
  const ignored = (fromGit ?? heuristicIgnoredPaths(dir)).filter((i) => !needed.has(i.path));
  const ignoredSet = new Set(ignored.map((i) => i.path.replace(/\/$/, '')));
  const shipsAsPackage = workspace ? workspace.install.length > 0 : isPackage;
  const assets = shipsAsPackage ? [] : findAssetDirs(dir, (rel) => ignoredSet.has(rel));

  return {
    dir,
    name,
    manager,
    managerReason: reason,
    managerVersion,
    lockFile,
    depFiles,
    hashes,
    python,
    isPackage: shipsAsPackage,
    buildBackend,
    dynamicVersion,
    vcsFileFinder: workspace ? undefined : detectVcsFileFinder(pyproject, isPackage),
    packageDirs,
    modules,
    layout,
    scripts,
    dependencies,
    devGroups,
    devExtras,
    devRequirements,
    assets,
    ignored,
    workspace,
    app,
    systemPackages,
    privateIndexes,
    buildFiles,
    testDirs,
    notes,
    detections: [
      ...baseDetections({ manager, reason, lockFile, python, app, systemPackages }),
      ...bundledDetections(systemPackages),
      ...devDetections({ devRequirements, devGroups, devExtras }),
      ...assetDetections(assets),
      ...ignoredDetections(ignored, fromGit !== undefined),
    ],
  };
}

/**
 * The detections every project has; the pieces that decide more (workspace root, server, health
 * route, layers) add their own with finer evidence.
 */
function baseDetections(
  p: Pick<PythonProject, 'lockFile' | 'python' | 'app' | 'systemPackages'> & {
    manager: PythonProject['manager'];
    reason: string;
  },
): Detection[] {
  const out: Detection[] = [
    { topic: 'manager', value: p.manager, evidence: p.reason, confidence: 'high', flag: '--manager' },
    {
      topic: 'lock',
      value: p.lockFile ?? 'none',
      evidence: p.lockFile ?? 'no lock file found',
      confidence: p.lockFile ? 'high' : 'low',
    },
    {
      topic: 'python',
      value: p.python.version,
      evidence: p.python.source,
      confidence: /default/i.test(p.python.source) ? 'low' : 'high',
      flag: '--python',
    },
    {
      topic: 'start command',
      value: p.app.command.join(' '),
      evidence: p.app.evidence ?? p.app.reason,
      confidence: p.app.confidence ?? (p.app.kind === 'unknown' ? 'low' : 'medium'),
      flag: '--cmd',
    },
  ];
  out.push(...startDetections(p.app));
  if (p.systemPackages.run.length || p.systemPackages.build.length)
    out.push({
      topic: 'system packages',
      value: [...new Set([...p.systemPackages.build, ...p.systemPackages.run])].join(' '),
      evidence: `for ${p.systemPackages.because.join(', ')}`,
      confidence: 'medium',
    });
  return out;
}
