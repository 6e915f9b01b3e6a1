// Hand-made lint reports shared by the reporter tests.
import type { LintReport } from '../../../src/report/types.js';
import type { Finding, RuleMeta } from '../../../src/rules/types.js';

export const jsonArgs: RuleMeta = {
  id: 'LW1001',
  name: 'json-args-recommended',
  category: 'correctness',
  severity: 'warning',
  summary: 'CMD/ENTRYPOINT in shell form: the process does not receive signals.',
  description: 'Use the JSON (exec) form so that `docker stop` reaches the app.',
  bad: 'FROM python:3.12-slim\nCMD uvicorn app.main:app\n',
  good: 'FROM python:3.12-slim\nCMD ["uvicorn", "app.main:app"]\n',
  fixable: true,
  aliases: ['JSONArgsRecommended', 'DL3025'],
};

export const depsAfterCopy: RuleMeta = {
  id: 'LW2001',
  name: 'deps-after-source-copy',
  category: 'cache',
  severity: 'error',
  summary: 'Dependencies are installed after the source is copied.',
  description: 'Every code change re-runs the install.',
  bad: 'FROM python:3.12-slim\nCOPY . .\nRUN pip install .\n',
  good: 'FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\n',
  badContext: { files: ['requirements.txt', 'app/main.py'] },
  fixable: false,
  aliases: [],
};

export const secretEnv: RuleMeta = {
  id: 'LW5001',
  name: 'secret-in-env',
  category: 'security',
  severity: 'info',
  summary: 'A secret in ARG or ENV.',
  description: 'Values of ARG and ENV stay in the image history.',
  bad: 'FROM alpine\nENV API_TOKEN=abc\n',
  good: 'FROM alpine\nRUN --mount=type=secret,id=token cat /run/secrets/token\n',
  fixable: false,
  defaultOff: true,
  aliases: ['SecretsUsedInArgOrEnv'],
};

export const DOCKERFILE = [
  'FROM python:3.12-slim',
  'WORKDIR /app',
  'COPY . .',
  'RUN pip install \\',
  '    --no-cache-dir .',
  'CMD uvicorn app.main:app',
];

function finding(meta: RuleMeta, file: string, over: Partial<Finding>): Finding {
  return {
    rule: meta.id,
    name: meta.name,
    file,
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 2,
    category: meta.category,
    severity: meta.severity,
    message: meta.summary,
    fixable: false,
    ...over,
  };
}

/** Two files: `Dockerfile` with three findings, `worker/Dockerfile` with none. */
export function sampleReport(): LintReport {
  const path = 'Dockerfile';
  return {
    files: [
      {
        path,
        lines: DOCKERFILE,
        findings: [
          finding(secretEnv, path, {
            line: 2,
            column: 9,
            endLine: 2,
            endColumn: 13,
            message: 'ENV a,b: c%d\nnext line',
          }),
          finding(depsAfterCopy, path, {
            line: 4,
            column: 1,
            endLine: 5,
            endColumn: 21,
            message: 'pip install re-runs on every code change: COPY . . (line 3) comes first; copy requirements first',
          }),
          finding(jsonArgs, path, {
            line: 6,
            column: 1,
            endLine: 6,
            endColumn: 25,
            message: 'CMD in shell form runs under /bin/sh; use JSON form: CMD ["uvicorn", "app.main:app"]',
            fixable: true,
            fix: {
              description: 'use exec form',
              edits: [{ start: 100, end: 120, text: ' ["uvicorn", "app.main:app"]' }],
            },
          }),
        ],
      },
      { path: 'worker/Dockerfile', lines: ['FROM alpine'], findings: [] },
    ],
    rules: [jsonArgs, depsAfterCopy, secretEnv],
    failureThreshold: 'warning',
    toolVersion: '0.1.0',
  };
}

export function cleanReport(): LintReport {
  return {
    files: [{ path: 'Dockerfile', lines: ['FROM alpine:3.20'], findings: [] }],
    rules: [jsonArgs],
    failureThreshold: 'info',
    toolVersion: '0.1.0',
  };
}
