/** Whether the project is an installable package, its dynamic version and the files its build reads. */
import { join } from 'node:path';
import { dig, exists, isFile, listDir, requirementName, type Toml } from './files.js';
import type { DynamicVersion, Manager } from './types.js';

export function decideIsPackage(dir: string, manager: Manager, pyproject: Toml | undefined): boolean {
  const hasBackend = !!dig(pyproject, 'build-system', 'build-backend') || exists(dir, 'setup.py');
  if (manager === 'uv') {
    const pkg = dig(pyproject, 'tool', 'uv', 'package');
    if (pkg === false) return false;
    if (pkg === true) return true;
    return hasBackend;
  }
  if (manager === 'poetry') {
    if (dig(pyproject, 'tool', 'poetry', 'package-mode') === false) return false;
    return hasBackend;
  }
  if (manager === 'pdm') {
    const dist = dig(pyproject, 'tool', 'pdm', 'distribution');
    if (dist === false) return false;
    return dist === true || hasBackend;
  }
  return hasBackend && !!pyproject?.project;
}

export function detectDynamicVersion(pyproject: Toml | undefined): DynamicVersion | undefined {
  const dynamic = dig(pyproject, 'project', 'dynamic');
  const requires = ((dig(pyproject, 'build-system', 'requires') as string[] | undefined) ?? []).map(
    (r) => requirementName(r) ?? '',
  );
  const isDynamic = Array.isArray(dynamic) && dynamic.includes('version');
  if (requires.includes('hatch-vcs') || dig(pyproject, 'tool', 'hatch', 'version', 'source') === 'vcs') {
    return { tool: 'hatch-vcs', env: 'SETUPTOOLS_SCM_PRETEND_VERSION' };
  }
  if (requires.includes('setuptools-scm') || dig(pyproject, 'tool', 'setuptools_scm') !== undefined) {
    return { tool: 'setuptools_scm', env: 'SETUPTOOLS_SCM_PRETEND_VERSION' };
  }
  if (dig(pyproject, 'tool', 'pdm', 'version', 'source') === 'scm')
    return { tool: 'other', env: 'PDM_BUILD_SCM_VERSION' };
  if (dig(pyproject, 'tool', 'poetry-dynamic-versioning', 'enable') === true)
    return { tool: 'other', env: 'POETRY_DYNAMIC_VERSIONING_OVERRIDE' };
  return isDynamic ? { tool: 'other', env: 'SETUPTOOLS_SCM_PRETEND_VERSION' } : undefined;
}

/**
 * setuptools_scm registers a file finder with setuptools: a setuptools build then takes into the
 * wheel, as package data, every file git tracks (templates, icons) that MANIFEST.in and
 * package-data never name. Without .git the same build leaves them out.
 */
export function detectVcsFileFinder(pyproject: Toml | undefined, isPackage: boolean): 'setuptools_scm' | undefined {
  if (!isPackage) return undefined;
  const backend = (dig(pyproject, 'build-system', 'build-backend') as string | undefined) ?? 'setuptools.build_meta';
  if (!backend.startsWith('setuptools.build_meta')) return undefined;
  const requires = ((dig(pyproject, 'build-system', 'requires') as string[] | undefined) ?? []).map(
    (r) => requirementName(r) ?? '',
  );
  return requires.includes('setuptools-scm') ? 'setuptools_scm' : undefined;
}

/** The files besides the code a package build reads: readme, licence files, setup.py, setup.cfg, MANIFEST.in. */
export function buildFilesOf(dir: string, project: Toml, isPackage: boolean): string[] {
  const buildFiles: string[] = [];
  const readme = project.readme;
  const readmeFile =
    typeof readme === 'string'
      ? readme
      : typeof (readme as Toml | undefined)?.file === 'string'
        ? ((readme as Toml).file as string)
        : undefined;
  if (isPackage && readmeFile && exists(dir, readmeFile)) buildFiles.push(readmeFile);
  if (isPackage)
    for (const n of listDir(dir))
      if (/^(LICEN[CS]E|COPYING|NOTICE)/i.test(n) && isFile(join(dir, n))) buildFiles.push(n);
  if (isPackage && exists(dir, 'setup.py')) buildFiles.push('setup.py');
  if (isPackage && exists(dir, 'setup.cfg')) buildFiles.push('setup.cfg');
  if (isPackage && exists(dir, 'MANIFEST.in')) buildFiles.push('MANIFEST.in');
  return buildFiles;
}
