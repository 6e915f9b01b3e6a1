/** All the files `init` writes for a project, and the self-check that lints and simulates them. */
import { join } from 'node:path';
import { contextFromPatterns } from '../dockerfile/context-impl.js';
import { parseDockerfile } from '../dockerfile/parse.js';
import { simulate } from '../dockerfile/simulate.js';
import { lintText } from '../lint.js';
import { isDir, listDir, SKIP_DIRS } from '../project/files.js';
import type { PythonProject } from '../project/types.js';
import { renderCompose, serviceName } from './compose.js';
import { renderAppDockerfile, renderBaseDockerfile, renderDockerfile, type DockerfileOptions } from './dockerfile.js';
import { renderDockerignore } from './dockerignore.js';
import { fingerprint } from './fingerprint.js';
import { readFileSync } from 'node:fs';
import { renderWorkflow } from './workflow.js';

export interface GenerateOptions extends DockerfileOptions {
  splitBase?: boolean;
  /** Image name used for the base tag (default: the project name). */
  image?: string;
  compose?: boolean;
  workflow?: boolean;
  /**
   * The text of a Dockerfile already in the output directory that init keeps (no --force): the
   * other files are written to fit it instead of the Dockerfile init would have written.
   */
  keptDockerfile?: string;
  /**
   * The compose file's name (default compose.yaml) and, when the project has a compose file of
   * its own beside it, that file's name and its service names (init's service takes another).
   */
  composeFile?: { path: string; projectFile?: string; taken?: string[] };
  /** The build context relative to the repository top where the workflow goes ('' or absent: the same directory). */
  repoContextDir?: string;
}

export interface GeneratedFile {
  /** Relative to the output directory (to the repository top when repoLevel). */
  path: string;
  content: string;
  /** A repository-level file (the CI workflow): written under the git top level, not the build context. */
  repoLevel?: boolean;
}

export function imageName(p: PythonProject, o: GenerateOptions = {}): string {
  return (o.image ?? p.workspace?.selected?.name ?? p.name ?? 'app').toLowerCase().replace(/[^a-z0-9._/-]+/g, '-');
}

/** Stage names (lower case) of a Dockerfile's text, and whether its FROM lines read BASE_IMAGE. */
export function dockerfileShape(text: string): { stages: string[]; readsBaseImage: boolean } {
  const model = parseDockerfile(text, 'Dockerfile');
  return {
    stages: model.stages.map((s) => s.name?.toLowerCase()).filter((n): n is string => !!n),
    readsBaseImage: model.stages.some((s) => /\$\{?BASE_IMAGE\b/.test(s.base.raw)),
  };
}

export function generateFiles(p: PythonProject, o: GenerateOptions = {}): GeneratedFile[] {
  const files: GeneratedFile[] = [];
  let ours: string;
  let baseImage: string | undefined;
  let base: string | undefined;
  if (o.splitBase) {
    base = renderBaseDockerfile(p, o);
    const fp = fingerprint(
      p.python.version,
      base,
      p.depFiles.map((f) => readFileSync(join(p.dir, f))),
    );
    baseImage = `${imageName(p, o)}-base:${fp}`;
    ours = renderAppDockerfile(p, baseImage, o);
  } else {
    ours = renderDockerfile(p, o);
  }
  const kept =
    o.keptDockerfile !== undefined && o.keptDockerfile !== ours ? dockerfileShape(o.keptDockerfile) : undefined;
  // A kept Dockerfile that does not start FROM ${BASE_IMAGE} has no use for a base image: no
  // Dockerfile.base, and the workflow builds the one file there is.
  const splitBase = !!o.splitBase && (!kept || kept.readsBaseImage);
  if (splitBase && base !== undefined) files.push({ path: 'Dockerfile.base', content: base });
  files.push({ path: 'Dockerfile', content: ours });
  files.push({ path: '.dockerignore', content: renderDockerignore(p) });
  if (o.compose !== false) {
    const c = o.composeFile ?? { path: 'compose.yaml' };
    let service = serviceName(p);
    while (c.taken?.includes(service)) service = `${service}-image`;
    const text = renderCompose(
      p,
      kept ? { keptStages: kept.stages, service } : { baseImage: splitBase ? baseImage : undefined, service },
    );
    // Beside the project's own compose file, ours only adds a service: said at the top, with how
    // to run it together with the project's stack.
    const head = c.projectFile
      ? [
          `# ${c.projectFile} is the project's own (its stack); init's service is in this file so it does not shadow it.`,
          `# With the stack: docker compose -f ${c.projectFile} -f ${c.path} watch ${service}`,
          `# Alone:          docker compose -f ${c.path} watch ${service}`,
          '',
        ].join('\n')
      : '';
    files.push({ path: c.path, content: head + text });
  }
  if (o.workflow !== false) {
    const sub = o.repoContextDir ?? '';
    const name = sub ? `image-${imageName(p, o).replace(/[^a-z0-9.-]+/g, '-')}.yml` : 'image.yml';
    files.push({
      path: `.github/workflows/${name}`,
      content: renderWorkflow(p, { splitBase, contextDir: sub }),
      repoLevel: !!sub,
    });
  }
  return files;
}

export interface SelfCheck {
  ok: boolean;
  /** Findings at warning or above, as `file:line rule message`. */
  problems: string[];
  /** For each Dockerfile: how many of the final image's layers a code change makes new, of how many. */
  codeChange: { file: string; changed: number; total: number; lastOnly: boolean }[];
  /** One line for the user. */
  summary: string;
}

/** Project files (relative), bounded, for an in-memory build context. */
export function projectFiles(root: string, limit = 20_000): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const name of listDir(rel ? join(root, rel) : root)) {
      if (out.length >= limit) return;
      const r = rel ? `${rel}/${name}` : name;
      if (isDir(join(root, r))) {
        if (!SKIP_DIRS.has(name) || name === '.git') walk(r);
      } else out.push(r);
    }
  };
  walk('');
  return out;
}

/**
 * Lints every generated Dockerfile against the context the generated .dockerignore makes, and
 * simulates a code change: it must leave every layer but the last small ones cached.
 */
export function selfCheck(p: PythonProject, files: GeneratedFile[], kept: string[] = []): SelfCheck {
  const dockerignore = files.find((f) => f.path === '.dockerignore')?.content;
  const all = [...projectFiles(p.dir).filter((f) => !files.some((g) => g.path === f)), ...files.map((f) => f.path)];
  const problems: string[] = [];
  const codeChange: SelfCheck['codeChange'] = [];
  // A .dockerignore of the user's own that leaves .git out starves setuptools_scm's file finder:
  // the image would lack every file only git names, silently.
  if (p.vcsFileFinder && p.isPackage && contextFromPatterns(dockerignore, all).isIgnored('.git/HEAD'))
    problems.push(
      `.dockerignore: leaves .git out, so ${p.vcsFileFinder}'s file finder sees no git and the image lacks the package files only git names (templates, icons); remove .git from it`,
    );
  for (const f of files.filter((x) => x.path === 'Dockerfile' || x.path === 'Dockerfile.base')) {
    const result = lintText(f.content, join(p.dir, f.path), { example: { dockerignore, files: all } });
    for (const x of result.findings) {
      if (x.severity === 'warning' || x.severity === 'error')
        problems.push(`${f.path}:${x.line} ${x.rule} ${x.message}`);
    }
    const model = parseDockerfile(f.content, f.path);
    const context = contextFromPatterns(dockerignore, all);
    const sim = simulate(model, context, { kind: 'app-source' });
    const layers = sim.finalLayers;
    const changed = layers.filter((l) => l.changed).length;
    // The changed layers must be the last ones, and not the environment.
    const firstChanged = layers.findIndex((l) => l.changed);
    const lastOnly =
      firstChanged === -1 ||
      (layers.slice(firstChanged).every((l) => l.changed) &&
        !layers.slice(firstChanged).some((l) => /\.venv \/app\/\.venv$/.test(l.instruction.text)));
    codeChange.push({ file: f.path, changed, total: layers.length, lastOnly });
    if (!lastOnly) problems.push(`${f.path}: a code change re-builds more than the last layers`);
  }
  const ok = problems.length === 0;
  const main = codeChange.find((c) => c.file === 'Dockerfile');
  const keptNote = kept.length
    ? ` of the files on disk (${kept.join(', ')} ${kept.length === 1 ? 'is' : 'are'} your own, kept)`
    : '';
  const summary = ok
    ? `self-check${keptNote}: lint clean (no warnings); a code change re-builds only the last ${main?.changed ?? 0} of the ${main?.total ?? 0} layers ${codeChange.some((c) => c.file === 'Dockerfile.base') ? 'the app Dockerfile adds, and nothing of the base' : 'the Dockerfile adds'}`
    : `self-check${keptNote} failed: ${problems.length} problem${problems.length === 1 ? '' : 's'}`;
  return { ok, problems, codeChange, summary };
}

export { renderAppDockerfile, renderBaseDockerfile, renderDockerfile } from './dockerfile.js';
export { renderDockerignore } from './dockerignore.js';
export { renderCompose } from './compose.js';
export { renderWorkflow } from './workflow.js';
export { fingerprint, fingerprintDir, fingerprintShell } from './fingerprint.js';
