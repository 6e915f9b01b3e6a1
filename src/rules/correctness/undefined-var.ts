import type { Dockerfile, Instruction, Stage } from '../../dockerfile/types.js';
import { suggest } from '../lib/suggest.js';
import { PREDEFINED_ARGS, varRefs } from '../lib/variables.js';
import type { Rule } from '../types.js';

/** Instructions whose arguments BuildKit expands (RUN/CMD/ENTRYPOINT are left to the shell or not expanded). */
const EXPANDED = new Set(['ADD', 'COPY', 'ENV', 'ARG', 'EXPOSE', 'LABEL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR']);

/** Variables that common base images set with ENV; the file cannot show them, so they are not reported. */
const BASE_IMAGE_ENV = new Set([
  'PATH',
  'HOME',
  'HOSTNAME',
  'USER',
  'TERM',
  'SHELL',
  'LANG',
  'LANGUAGE',
  'LC_ALL',
  'TZ',
  'PWD',
  'GPG_KEY',
  'PYTHON_VERSION',
  'PYTHON_SHA256',
  'PYTHON_PIP_VERSION',
  'PYTHON_SETUPTOOLS_VERSION',
  'PYTHON_GET_PIP_URL',
  'PYTHON_GET_PIP_SHA256',
  'PYTHONPATH',
  'PYTHONUNBUFFERED',
  'PYTHONDONTWRITEBYTECODE',
  'VIRTUAL_ENV',
  'CONDA_DIR',
  'NODE_VERSION',
  'YARN_VERSION',
  'NPM_CONFIG_PREFIX',
  'GOLANG_VERSION',
  'GOPATH',
  'GOROOT',
  'GOTOOLCHAIN',
  'JAVA_HOME',
  'JAVA_VERSION',
  'JDK_VERSION',
  'MAVEN_HOME',
  'GRADLE_HOME',
  'RUBY_VERSION',
  'RUBY_MAJOR',
  'GEM_HOME',
  'BUNDLE_PATH',
  'BUNDLE_APP_CONFIG',
  'BUNDLE_SILENCE_ROOT_WARNING',
  'CARGO_HOME',
  'RUSTUP_HOME',
  'RUST_VERSION',
  'PHP_VERSION',
  'PHP_INI_DIR',
  'NGINX_VERSION',
  'NJS_VERSION',
  'PKG_RELEASE',
  'DEBIAN_FRONTEND',
  'LD_LIBRARY_PATH',
  'NVIDIA_VISIBLE_DEVICES',
  'NVIDIA_DRIVER_CAPABILITIES',
  'CUDA_VERSION',
  'NV_CUDA_LIB_VERSION',
  'DOTNET_VERSION',
  'ASPNETCORE_URLS',
  'APP_UID',
  'PGDATA',
  'PG_MAJOR',
  'PG_VERSION',
  'MAMBA_USER',
  'MAMBA_USER_ID',
  'MAMBA_USER_GID',
  'MAMBA_ROOT_PREFIX',
  'MAMBA_EXE',
  'ENV_NAME',
  'CONDA_PREFIX',
  'NB_USER',
  'NB_UID',
  'NB_GID',
]);

/** Names that typically come from a base image's ENV (`FOO_VERSION`, `FOO_HOME`, ...). */
const BASE_ENV_SHAPE =
  /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*_(?:VERSION|HOME|ROOT|DIR|PATH|SHA256|SHA512|URL|MAJOR|MINOR|USER|UID|GID|PREFIX)$/;

/** True when the stage (through stages it is built on) starts from an image outside this file. */
function externalBase(file: Dockerfile, stage: Stage): boolean {
  const seen = new Set<number>();
  let s: Stage | undefined = stage;
  while (s && !seen.has(s.index)) {
    seen.add(s.index);
    if (s.base.stage === undefined) return !s.base.scratch;
    s = file.stages[s.base.stage];
  }
  return true;
}

/** The texts of an instruction that BuildKit expands: flag values, argument text, ARG/ENV/LABEL values. */
function expandedTexts(file: Dockerfile, ins: Instruction): string[] {
  const texts = ins.flags.map((f) => f.value ?? '');
  if (ins.keyword === 'ENV' || ins.keyword === 'ARG' || ins.keyword === 'LABEL') {
    for (const p of ins.pairs) {
      const src = file.text.slice(p.span.startOffset, p.span.endOffset);
      const rest = src.slice(p.key.length);
      texts.push(rest);
    }
    if (ins.keyword === 'LABEL') for (const p of ins.pairs) texts.push(p.key);
  } else if (ins.keyword !== 'RUN') {
    texts.push(ins.heredocs.length ? ins.argsText.split('\n')[0] : ins.argsText);
  }
  return texts;
}

/**
 * An ARG/ENV later in the stage that declares `name`, or the same ENV when another of its pairs
 * does (`pair` is the index of the pair whose value uses the variable).
 */
function declaredAfter(stage: Stage, ins: Instruction, name: string, pair: number): Instruction | undefined {
  for (const later of stage.instructions) {
    if (later.index < ins.index || (later.keyword !== 'ARG' && later.keyword !== 'ENV')) continue;
    if (later.index === ins.index) {
      if (later.keyword === 'ENV' && later.pairs.some((p, i) => p.key === name && i !== pair)) return later;
      continue;
    }
    if (later.pairs.some((p) => p.key === name)) return later;
  }
  return undefined;
}

export const rule: Rule = {
  meta: {
    id: 'LW1306',
    name: 'undefined-var',
    category: 'correctness',
    severity: 'warning',
    summary: 'Variable used in an instruction but never declared with ARG or ENV in the stage.',
    description:
      'Docker expands `$VAR` in COPY, ENV, WORKDIR, LABEL and similar instructions at build time; a variable no ARG or ' +
      'ENV of the stage declares expands to an empty string, usually through a typo or a global ARG not redeclared in ' +
      'the stage. RUN and shell-form CMD/ENTRYPOINT are not checked: the shell expands those.',
    bad: 'FROM python:3.12-slim\nARG APP_DIR=/app\nWORKDIR $APP_DIRR\nCOPY . .\n',
    good: 'FROM python:3.12-slim\nARG APP_DIR=/app\nWORKDIR $APP_DIR\nCOPY . .\n',
    fixable: false,
    aliases: ['UndefinedVar'],
  },
  check(ctx) {
    const { file } = ctx;
    const globals = new Set<string>();
    for (const arg of file.globalArgs) for (const p of arg.pairs) globals.add(p.key);
    // ENV set by the end of each stage, inherited by stages built on it.
    const envAtEnd: Set<string>[] = [];
    for (const stage of file.stages) {
      const env = new Set<string>(stage.base.stage !== undefined ? (envAtEnd[stage.base.stage] ?? []) : []);
      const args = new Set<string>();
      const external = externalBase(file, stage);
      for (const ins of stage.instructions) {
        if (ins.keyword === 'FROM') continue;
        if (EXPANDED.has(ins.keyword) || ins.keyword === 'RUN') {
          const reported = new Set<string>();
          const pending = ins.keyword === 'ARG' ? ins.pairs : [];
          let pi = 0;
          const texts = expandedTexts(file, ins);
          for (let ti = 0; ti < texts.length; ti++) {
            const text = texts[ti];
            const pair = ins.keyword === 'ENV' ? ti - ins.flags.length : -1;
            for (const ref of varRefs(text, file.escapeChar)) {
              const known = env.has(ref.name) || args.has(ref.name) || PREDEFINED_ARGS.has(ref.name);
              if (known || reported.has(ref.name) || ref.modifier) continue;
              const later = declaredAfter(stage, ins, ref.name, pair);
              if (external && (BASE_IMAGE_ENV.has(ref.name) || (!later && BASE_ENV_SHAPE.test(ref.name)))) continue;
              reported.add(ref.name);
              const inScope = new Set([...env, ...args, ...(external ? BASE_IMAGE_ENV : [])]);
              const hint = suggest(ref.name, inScope);
              let advice: string;
              if (later && later.index === ins.index)
                advice = `pairs of one ENV do not see each other: set ${ref.name} in an earlier ENV`;
              else if (later)
                advice = `it is declared on line ${later.span.start.line}, after this use: move that declaration up`;
              else if (globals.has(ref.name))
                advice = `it is a global ARG: redeclare it in this stage with ARG ${ref.name}`;
              else if (hint) advice = `did you mean $${hint}?`;
              else advice = `declare it with ARG or ENV before this line`;
              ctx.report({
                line: ins.span.start.line,
                column: ins.span.start.column,
                message: `Usage of undefined variable $${ref.name} in ${ins.keyword}; ${advice}`,
              });
            }
            // ARG pairs are declared one after another: `ARG A=1 B=$A` is fine.
            if (ins.keyword === 'ARG' && pi < pending.length && ins.flags.length === 0) args.add(pending[pi++].key);
          }
        }
        if (ins.keyword === 'ARG') for (const p of ins.pairs) args.add(p.key);
        if (ins.keyword === 'ENV') for (const p of ins.pairs) env.add(p.key);
      }
      envAtEnd[stage.index] = env;
    }
  },
};
