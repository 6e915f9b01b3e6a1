/**
 * Builds the Dockerfile model (types.ts) from text. dockerfile-ast does the lexing
 * (directives, continuations, heredocs, flags, properties); this module adds what analysis
 * needs on top: offsets, resolved variables, stages and their graph, mounts, parsed RUN scripts.
 */
import {
  DockerfileParser,
  type Flag as AstFlag,
  type Instruction as AstInstruction,
  type Onbuild,
  type PropertyInstruction,
} from 'dockerfile-ast';
import { parseShell } from './shell.js';
import type { Flag, Heredoc, Instruction, KeyValue, Mount, Span, Dockerfile as Model, Stage } from './types.js';
import { substitute, unquote, type Scope } from './vars.js';
import { parseImageRef } from './image-ref.js';
import { buildStages } from './stages.js';

interface Range0 {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

/** Maps dockerfile-ast's 0-based ranges to spans with offsets. */
class Locator {
  private readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }
  offset(line0: number, ch: number): number {
    const s = this.starts[Math.min(line0, this.starts.length - 1)] ?? 0;
    return Math.min(s + ch, this.text.length);
  }
  /** 1-based line of an offset (binary search over line starts). */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
  span(r: Range0): Span {
    return {
      start: { line: r.start.line + 1, column: r.start.character + 1 },
      end: { line: r.end.line + 1, column: r.end.character + 1 },
      startOffset: this.offset(r.start.line, r.start.character),
      endOffset: this.offset(r.end.line, r.end.character),
    };
  }
}

export interface ParseOptions {
  /** Values for `--build-arg NAME=value`. */
  buildArgs?: Record<string, string>;
}

const JSON_CAPABLE = new Set(['RUN', 'CMD', 'ENTRYPOINT', 'SHELL', 'COPY', 'ADD', 'VOLUME', 'HEALTHCHECK']);

/** Parses Dockerfile text into the model. Never throws on malformed input; problems are recorded. */
export function parseDockerfile(text: string, path = 'Dockerfile', options: ParseOptions = {}): Model {
  // Docker splits lines on \n only (a lone \r is blank space to it); dockerfile-ast would also
  // break lines at a lone \r, shifting every position after it. Same length, so offsets hold.
  const ast = DockerfileParser.parse(text.includes('\r') ? text.replace(/\r(?!\n)/g, ' ') : text);
  const loc = new Locator(text);
  const escapeChar = ast.getEscapeCharacter();
  const directives: Model['directives'] = { escape: escapeChar };
  for (const d of ast.getDirectives()) directives[d.getName().toLowerCase()] = d.getValue();
  const lines = text.split(/\r?\n/);
  const buildArgs = options.buildArgs ?? {};

  const instructions: Instruction[] = [];
  const problems: Model['problems'] = [];
  const globalScope: Scope = new Map();
  let scope: Scope = new Map();
  let stageIndex: number | undefined;
  const stageEnv: Scope[] = [];
  const stageNames = new Map<string, number>();

  for (const node of ast.getInstructions()) {
    const keyword = node.getKeyword().toUpperCase();
    if (keyword === 'FROM') {
      stageIndex = stageIndex === undefined ? 0 : stageIndex + 1;
      // A stage sees only global ARGs it redeclares, plus ENV inherited from a parent stage.
      scope = new Map();
      const from = node as unknown as { getImage(): string | null };
      const image = substitute(from.getImage() ?? '', globalScope, escapeChar).value;
      const parent = stageNames.get(image.toLowerCase());
      if (parent !== undefined) for (const [k, v] of stageEnv[parent]) scope.set(k, v);
      stageEnv[stageIndex] = scope;
    }
    const current = stageIndex === undefined ? globalScope : scope;
    const ins = buildInstruction(node, instructions.length, loc, escapeChar, stageIndex, current, lines);
    instructions.push(ins);
    if (keyword === 'FROM') {
      const nameArg = ins.args.length >= 3 && ins.args[1].toUpperCase() === 'AS' ? ins.args[2] : undefined;
      if (nameArg) stageNames.set(nameArg.toLowerCase(), stageIndex!);
    }
    // Declarations take effect after the instruction that makes them.
    if (keyword === 'ARG') {
      for (const p of ins.pairs) {
        const fromUser = Object.hasOwn(buildArgs, p.key) ? buildArgs[p.key] : undefined;
        const inherited = stageIndex !== undefined ? globalScope.get(p.key) : undefined;
        current.set(p.key, fromUser ?? p.resolved ?? inherited);
      }
    } else if (keyword === 'ENV' && stageIndex !== undefined) {
      for (const p of ins.pairs) scope.set(p.key, p.resolved ?? '');
    }
    if (!/^[A-Za-z]+$/.test(node.getInstruction())) {
      problems.push({ line: ins.span.start.line, message: `cannot parse instruction '${node.getInstruction()}'` });
    }
  }

  const comments = ast.getComments().map((c) => {
    const span = loc.span(c.getRange());
    return { line: span.start.line, text: c.getContent() ?? '', span };
  });
  const model: Model = {
    path,
    text,
    lines,
    directives,
    escapeChar,
    instructions,
    globalArgs: instructions.filter((i) => i.stage === undefined && i.keyword === 'ARG'),
    stages: [] as Stage[],
    comments,
    problems,
  };
  model.stages = buildStages(model, globalScope);
  return model;
}

/**
 * dockerfile-ast re-tokenises an instruction's arguments on every accessor call (flags, content,
 * heredocs each call getArguments again); it was half the model's time. The results do not
 * change, so each node keeps its first answer.
 */
function memoizeArguments(node: AstInstruction): void {
  const target = node as unknown as Record<string, unknown>;
  for (const name of ['getRawArguments', 'getArguments']) {
    const original = target[name];
    if (typeof original !== 'function') continue;
    let cached: unknown;
    target[name] = () => (cached ??= (original as () => unknown).call(node));
  }
}

function buildInstruction(
  node: AstInstruction,
  index: number,
  loc: Locator,
  escapeChar: string,
  stage: number | undefined,
  scope: Scope,
  lines: string[],
): Instruction {
  memoizeArguments(node);
  const keyword = node.getKeyword().toUpperCase();
  const span = loc.span(node.getRange());
  const text = loc.text.slice(span.startOffset, span.endOffset);
  const flagNodes: AstFlag[] = 'getFlags' in node ? (node as unknown as { getFlags(): AstFlag[] }).getFlags() : [];
  const flags: Flag[] = flagNodes.map((f) => {
    const value = f.getValue() ?? undefined;
    return {
      name: f.getName().toLowerCase(),
      value,
      resolved: value === undefined ? undefined : substitute(value, scope, escapeChar).value,
      span: loc.span(f.getRange()),
    };
  });
  const args = node.getArguments().map((a) => a.getValue());
  const flagCount = keyword === 'ONBUILD' ? 0 : countLeadingFlags(args);
  const plainArgs = args.slice(flagCount);
  const argsText = stripFlags(node.getArgumentsContent() ?? '', flagCount);
  const resolvedArgs = plainArgs.map((a) => substitute(a, scope, escapeChar).value);

  let jsonForm = false;
  let jsonArgs: string[] | undefined;
  let invalidJson = false;
  const trimmed = argsText.trim();
  if (JSON_CAPABLE.has(keyword) && trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) {
        jsonForm = true;
        jsonArgs = parsed as string[];
      } else invalidJson = true;
    } catch {
      invalidJson = trimmed.endsWith(']');
    }
  }

  const pairs: KeyValue[] = [];
  if (keyword === 'ENV' || keyword === 'LABEL' || keyword === 'ARG') {
    for (const p of (node as PropertyInstruction).getProperties()) {
      const raw = p.getValue() ?? undefined;
      const value = raw === undefined ? undefined : unquote(raw);
      pairs.push({
        key: p.getName(),
        value: raw,
        resolved: value === undefined ? undefined : substitute(value, scope, escapeChar).value,
        span: loc.span(p.getRange()),
      });
    }
  }

  const heredocs = text.includes('<<') ? extractHeredocs(node, loc, lines) : [];
  const mounts = keyword === 'RUN' ? flags.filter((f) => f.name === 'mount').map(parseMount) : [];
  const ins: Instruction = {
    index,
    keyword,
    rawKeyword: node.getInstruction(),
    span,
    keywordSpan: loc.span(node.getInstructionRange()),
    text,
    argsText,
    args: plainArgs,
    resolvedArgs,
    flags,
    jsonForm,
    jsonArgs,
    invalidJson: invalidJson || undefined,
    heredocs,
    stage,
    pairs,
    mounts,
    emptyContinuationLines: emptyContinuations(text, span.start.line, escapeChar),
  };
  if (keyword === 'RUN' && !jsonForm) ins.shell = parseRunScript(ins, loc, escapeChar);
  if (keyword === 'ONBUILD') {
    const trigger = (node as Onbuild).getTriggerInstruction();
    if (trigger) ins.onbuild = buildInstruction(trigger, index, loc, escapeChar, stage, scope, lines);
  }
  return ins;
}

/** dockerfile-ast returns flags as leading arguments for some instructions; count them. */
function countLeadingFlags(args: string[]): number {
  let n = 0;
  while (n < args.length && /^--[A-Za-z-]+(=|$)/.test(args[n])) n++;
  return n;
}

function stripFlags(content: string, count: number): string {
  let rest = content;
  for (let i = 0; i < count; i++) rest = rest.replace(/^\s*--\S+/, '');
  return rest.replace(/^\s+/, '');
}

function extractHeredocs(node: AstInstruction, loc: Locator, lines: string[]): Heredoc[] {
  const get = (node as unknown as { getHeredocs?: () => import('dockerfile-ast').Heredoc[] }).getHeredocs;
  if (typeof get !== 'function') return [];
  let docs: import('dockerfile-ast').Heredoc[];
  try {
    docs = get.call(node);
  } catch {
    return [];
  }
  return docs.map((h) => {
    const content = h.getContentRange();
    const body = content ? loc.text.slice(loc.span(content).startOffset, loc.span(content).endOffset) : '';
    const startLine = h.getStartRange().start.line;
    const quoted = /<<-?\s*["']/.test(lines[startLine] ?? '');
    return { name: h.getName(), content: body, line: (content?.start.line ?? startLine) + 1, quoted };
  });
}

function emptyContinuations(text: string, firstLine: number, escapeChar: string): number[] {
  const out: number[] = [];
  const ls = text.split('\n');
  // Inside a continuation, comment lines are dropped and empty lines skipped (and reported), so
  // neither ends it: `a \`, `# note`, ``, `b` has an empty continuation line too.
  let continued = ls[0].trimEnd().endsWith(escapeChar);
  for (let i = 1; i < ls.length; i++) {
    const t = ls[i].trim();
    if (continued && t === '' && i < ls.length - 1) out.push(firstLine + i);
    else if (!(continued && t.startsWith('#'))) continued = ls[i].trimEnd().endsWith(escapeChar);
  }
  return out;
}

/** Splits `type=cache,target=/root/.cache,sharing=locked` into a Mount. */
export function parseMount(flag: Flag): Mount {
  const options: Record<string, string> = {};
  for (const part of splitCsv(flag.resolved ?? flag.value ?? '')) {
    const eq = part.indexOf('=');
    let key = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    const value = eq < 0 ? 'true' : part.slice(eq + 1).trim();
    if (key === 'dst' || key === 'destination') key = 'target';
    if (key === 'src') key = 'source';
    if (key === 'ro') key = 'readonly';
    options[key] = value;
  }
  return {
    type: options.type ?? 'bind',
    target: options.target,
    source: options.source,
    from: options.from,
    id: options.id,
    sharing: options.sharing,
    readonly: options.readonly === 'true' || options.readonly === '',
    required: options.required === undefined ? undefined : options.required !== 'false',
    mode: options.mode,
    uid: options.uid,
    gid: options.gid,
    env: options.env,
    options,
    flag,
  };
}

function splitCsv(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q: string | undefined;
  for (const c of s) {
    if (q) {
      if (c === q) q = undefined;
      else cur += c;
    } else if (c === '"' || c === "'") q = c;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur) out.push(cur);
  return out;
}

/**
 * The shell script of a RUN, with its lines kept where they are in the file so findings point
 * at the right line. Dockerfile comment lines and empty lines inside a continuation are not
 * part of the command; they become bare continuations for the shell parser.
 */
function parseRunScript(ins: Instruction, loc: Locator, escapeChar: string) {
  const fileText = loc.text;
  const bare = ins.heredocs.length > 0 && /^<<-?\s*["']?\w+["']?\s*$/.test(ins.argsText.split('\n')[0].trim());
  if (bare) {
    const h = ins.heredocs[0];
    return parseShell(h.content, h.line);
  }
  // Start of the script: after the keyword and the flags, on the instruction's lines.
  const afterFlags = ins.flags.length ? ins.flags[ins.flags.length - 1].span.endOffset : ins.keywordSpan.endOffset;
  const raw = fileText.slice(afterFlags, ins.span.endOffset);
  const startLine = loc.lineOf(afterFlags);
  const startCol = afterFlags - fileText.lastIndexOf('\n', afterFlags - 1);
  // A skipped line keeps the continuation going, so consecutive comment lines all vanish.
  let continued = false;
  const out = raw.split('\n').map((line, i) => {
    let result = line;
    if (i > 0 && continued && (line.trim() === '' || line.trimStart().startsWith('#')))
      result = '\\'.padStart(line.length, ' ');
    const end = result.trimEnd();
    continued = end.endsWith(escapeChar) || end.endsWith('\\');
    return result;
  });
  let script = out.join('\n');
  if (escapeChar === '`') script = script.replace(/`(\r?\n)/g, '\\$1');
  return parseShell(' '.repeat(Math.max(0, startCol - 1)) + script, startLine);
}

export { parseImageRef };
