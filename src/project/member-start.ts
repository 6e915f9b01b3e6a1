/**
 * Start evidence for a workspace member: the member's own directory first (its Procfile,
 * Dockerfile, uwsgi.ini, gunicorn.conf.py, pyproject tasks, compose), then the root's files only
 * where they build or run that member. A root Dockerfile that builds another member (the
 * frontend) says nothing about this one's command.
 */
import { join } from 'node:path';
import { readText } from './files.js';
import {
  fromCompose,
  fromDockerfile,
  fromGunicornConf,
  fromProcfile,
  fromToolTasks,
  fromUwsgiConfig,
  projectStart,
  type StartEvidence,
} from './start-evidence.js';

/**
 * The project's start evidence; `member`: the workspace member's directory, relative to root.
 * `skipped` gets a note for each development command passed over.
 */
export function startEvidenceFor(
  root: string,
  port: number | undefined,
  member?: string,
  skipped: string[] = [],
): StartEvidence | undefined {
  if (!member) return projectStart(root, port, skipped);
  const inDir: string[] = [];
  const own = projectStart(join(root, member), port, inDir);
  skipped.push(...inDir.map((n) => `${member}/${n}`));
  if (own) return inMember(own, member);
  return rootEvidenceFor(root, member, port, skipped);
}

/** The member path as a word of a command or config: `backend`, `./backend/`, `--chdir backend`. */
function mentions(text: string, member: string): boolean {
  const m = member.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[\\s=:"'(\\[,])(\\./)?${m}(/|[\\s"'),\\]]|$)`, 'm').test(text);
}

function lineText(root: string, evidence: string): string {
  const [file, line] = evidence.split(':');
  return (readText(join(root, file)) ?? '').split('\n')[Number(line) - 1] ?? '';
}

/** Root evidence that builds/runs this member, in the usual order of evidence. */
function rootEvidenceFor(
  root: string,
  member: string,
  port: number | undefined,
  skipped: string[],
): StartEvidence | undefined {
  const docker = readText(join(root, 'Dockerfile')) ?? '';
  // COPY/ADD of the member's directory: this Dockerfile builds it.
  const copies = docker
    .split('\n')
    .some((l) => /^\s*(COPY|ADD)\s/i.test(l) && mentions(l.replace(/^\s*(COPY|ADD)\s+(--\S+\s+)*/i, ' '), member));
  const fromDocker = copies ? fromDockerfile(root, port) : undefined;
  if (fromDocker) return fromDocker;
  const proc = fromProcfile(root, port);
  if (proc && mentions(lineText(root, proc.evidence), member)) return proc;
  const compose = fromCompose(root, port, member, skipped);
  if (compose) return compose;
  const uwsgi = fromUwsgiConfig(root);
  if (uwsgi && mentions(readText(join(root, uwsgi.evidence.split(':')[0])) ?? '', member)) return uwsgi;
  const gunicorn = fromGunicornConf(root);
  if (gunicorn && mentions(readText(join(root, 'gunicorn.conf.py')) ?? '', member)) return gunicorn;
  const rootTasks: string[] = [];
  const task = fromToolTasks(root, port, rootTasks);
  skipped.push(...rootTasks.filter((n) => mentions(n, member)));
  if (task && mentions(lineText(root, task.evidence), member)) return task;
  return undefined;
}

/** Evidence read in the member's directory, named from the root (and its config files' paths too). */
function inMember(e: StartEvidence, member: string): StartEvidence {
  const file = e.evidence.replace(/:\d+$/, '');
  const moved = `${member}/${file}`;
  const swap = (t: string) => t.split(`${file}:`).join(`${moved}:`);
  let command = e.command;
  if (e.source === 'uwsgi') command = command.map((a, i) => (i === 2 && a === file ? moved : a));
  // gunicorn reads ./gunicorn.conf.py from where it starts (the image's WORKDIR), not the member.
  if (e.source === 'gunicorn') command = ['gunicorn', '-c', moved];
  return { ...e, command, evidence: `${member}/${e.evidence}`, what: swap(e.what), notes: e.notes.map(swap) };
}
