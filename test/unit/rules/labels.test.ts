// The label rules LW6501-LW6510 (hadolint DL3048-DL3058): key format, and the label schema
// (missing, superfluous, empty, and the value types), each finding on the LABEL's (or FROM's) line.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadShell } from '../../../src/dockerfile/shell-load.js';
import { lintText } from '../../../src/lint.js';
import { isEmail, isSpdxExpression } from '../../../src/rules/lib/label-formats.js';
import type { LabelType, RuleSettings } from '../../../src/rules/types.js';

await loadShell();

/** Lines of the findings of the label rule with hadolint id `alias`. */
function found(text: string, alias: string, settings: Partial<RuleSettings> = {}): number[] {
  const res = lintText(text, 'Dockerfile', { example: { dockerignore: '.git\n' }, settings });
  assert.deepEqual(res.failures, []);
  const id = Object.keys(ALIASES).find((k) => ALIASES[k] === alias);
  assert.ok(id, alias);
  return res.findings.filter((f) => f.rule === id).map((f) => f.line);
}

const ALIASES: Record<string, string> = {
  LW6501: 'DL3048',
  LW6502: 'DL3049',
  LW6503: 'DL3050',
  LW6504: 'DL3051',
  LW6505: 'DL3052',
  LW6506: 'DL3053',
  LW6507: 'DL3054',
  LW6508: 'DL3055',
  LW6509: 'DL3056',
  LW6510: 'DL3058',
};

function schema(s: Record<string, LabelType>, strictLabels = false): Partial<RuleSettings> {
  return { labelSchema: s, strictLabels };
}

describe('LW6501 label-key-invalid (DL3048)', () => {
  it('reports bad keys on the LABEL line, ONBUILD triggers and continuation lines included', () => {
    const text = [
      'FROM alpine:3.20',
      'LABEL Maintainer=jane', // 2: upper case
      'LABEL .hidden=1 -dash=1 9lives=1', // 3: bad first characters
      'LABEL trailing.=1 trailing-=1', // 4: bad last characters
      'LABEL a..b=1 a--b=1 a_b=1 "a b"=1', // 5: repeated separators, bad characters
      'LABEL com.docker.compose.project=x io.docker.y=1 org.dockerproject.z=1', // 6: reserved
      'LABEL ok.key=1 \\',
      '      Bad=2', // 7: reported on the instruction's first line
      'ONBUILD LABEL com.docker.z=1', // 9
      'LABEL a$b=1', // 10: a variable in the key
      '',
    ].join('\n');
    assert.deepEqual(found(text, 'DL3048'), [2, 3, 3, 3, 4, 4, 5, 5, 5, 5, 6, 6, 6, 7, 9, 10]);
  });
  it("accepts keys in Docker's format, quoted or not", () => {
    const text = [
      'FROM alpine:3.20',
      'LABEL org.opencontainers.image.title="demo" validlabel=1 a1=2 x-y.z9=3',
      'LABEL "com.example.team"="platform" \'org.example.quoted\'=yes',
      'LABEL legacy value with spaces',
      'ONBUILD LABEL com.example.child=1',
      '',
    ].join('\n');
    assert.deepEqual(found(text, 'DL3048'), []);
  });
});

describe('LW6502 label-missing (DL3049)', () => {
  const s = schema({ 'org.opencontainers.image.version': 'semver', maintainer: 'email' });
  it('reports each missing label on the FROM line of the image', () => {
    const text = 'FROM alpine:3.20\nLABEL maintainer=jane@example.com\nCMD ["true"]\n';
    assert.deepEqual(found(text, 'DL3049', s), [1]);
    assert.deepEqual(found('FROM alpine:3.20\n', 'DL3049', s), [1, 1]);
  });
  it('is silent without a schema and when every label is set, across continuation lines', () => {
    assert.deepEqual(found('FROM alpine:3.20\n', 'DL3049'), []);
    const text = 'FROM alpine:3.20\nLABEL maintainer=jane@example.com \\\n  org.opencontainers.image.version=1.0.0\n';
    assert.deepEqual(found(text, 'DL3049', s), []);
  });
  it('counts labels of the stages an image is built FROM, not of stages it only copies from', () => {
    const inherits = [
      'FROM alpine:3.20 AS base',
      'LABEL maintainer=jane@example.com org.opencontainers.image.version=1.0.0',
      'FROM base',
      'CMD ["true"]',
      '',
    ].join('\n');
    assert.deepEqual(found(inherits, 'DL3049', s), []);
    const copies = [
      'FROM alpine:3.20 AS build',
      'LABEL maintainer=jane@example.com org.opencontainers.image.version=1.0.0',
      'RUN echo hi > /out',
      'FROM alpine:3.20',
      'COPY --from=build /out /out',
      '',
    ].join('\n');
    assert.deepEqual(found(copies, 'DL3049', s), [4, 4]);
  });
  it('checks the final stage even when named, and unnamed unused stages; not named targets', () => {
    const text = [
      'FROM alpine:3.20 AS build', // used by the final stage: not an image
      'RUN echo hi > /out',
      'FROM alpine:3.20 AS test', // a named target nothing uses: not checked
      'RUN true',
      'FROM alpine:3.20', // unnamed, unused: an image of its own
      'RUN true',
      'FROM alpine:3.20 AS final', // the final stage
      'COPY --from=build /out /out',
      '',
    ].join('\n');
    assert.deepEqual(found(text, 'DL3049', schema({ maintainer: 'text' })), [5, 7]);
  });
});

describe('LW6503 label-superfluous (DL3050)', () => {
  it('with strict labels reports each LABEL holding keys outside the schema, once', () => {
    const text = [
      'FROM alpine:3.20',
      'LABEL version=1.0.0',
      'LABEL version=1.0.0 build-host=ci other=x',
      'LABEL \\',
      '  extra=1',
      '',
    ].join('\n');
    assert.deepEqual(found(text, 'DL3050', schema({ version: 'semver' }, true)), [3, 4]);
  });
  it('treats every label as superfluous with strict labels and no schema; silent when not strict', () => {
    const text = 'FROM alpine:3.20\nLABEL version=1.0.0\n';
    assert.deepEqual(found(text, 'DL3050', { strictLabels: true }), [2]);
    assert.deepEqual(found(text, 'DL3050', schema({}, false)), []);
    assert.deepEqual(found('FROM alpine:3.20\nLABEL a=1\n', 'DL3050', schema({ version: 'semver' })), []);
  });
});

describe('LW6504 label-empty (DL3051)', () => {
  const s = schema({ version: 'text', maintainer: 'email' });
  it('reports schema labels that are empty or blank, also through a variable known to be empty', () => {
    const text = [
      'FROM alpine:3.20',
      'LABEL version=""',
      'LABEL maintainer=" "',
      'ARG EMPTY=""',
      'LABEL version=$EMPTY',
      'LABEL version= other=""', // `other` is not in the schema
      '',
    ].join('\n');
    assert.deepEqual(found(text, 'DL3051', s), [2, 3, 5, 6]);
  });
  it('leaves non-schema labels, set values and values only the build knows alone', () => {
    const text = 'FROM alpine:3.20\nARG VERSION\nLABEL other="" version=$VERSION maintainer=${WHO}\nLABEL version=1\n';
    assert.deepEqual(found(text, 'DL3051', s), []);
    assert.deepEqual(found('FROM alpine:3.20\nLABEL version=""\n', 'DL3051'), []);
  });
});

/** One typed label: the bad values must be reported on their LABEL line, the good ones not. */
function formatCase(alias: string, type: LabelType, bad: string[], good: string[]): void {
  const s = schema({ 'x.label': type, other: 'text' });
  const body = (values: string[]) =>
    ['FROM alpine:3.20', ...values.map((v) => `LABEL x.label=${JSON.stringify(v)} other="whatever"`), ''].join('\n');
  it(`reports values that are not ${type}`, () => {
    assert.deepEqual(
      found(body(bad), alias, s),
      bad.map((_, i) => i + 2),
    );
  });
  it(`accepts ${type} values, empty ones (label-empty's) and unknown variables`, () => {
    assert.deepEqual(found(body([...good, '', '$UNKNOWN']), alias, s), []);
    assert.deepEqual(found(body(bad), alias), [], 'silent without a schema');
  });
}

describe('LW6505 label-not-url (DL3052)', () => {
  formatCase(
    'DL3052',
    'url',
    [
      'github.com/example/app',
      'not a url',
      'https://',
      'https:/example.com',
      '/docs/index.html',
      'http://exa mple.com',
    ],
    [
      'https://github.com/example/app',
      'http://localhost:8080/x?y=1#z',
      'git+ssh://git@example.com/a.git',
      'mailto:x@example.com',
    ],
  );
});

describe('LW6506 label-not-rfc3339 (DL3053)', () => {
  formatCase(
    'DL3053',
    'rfc3339',
    [
      'today',
      '2024-05-01',
      '2024-05-01T12:30:00',
      '2024-02-30T00:00:00Z',
      '2023-02-29T00:00:00Z',
      '2024-05-01T24:00:00Z',
      '2024-13-01T00:00:00Z',
      '2024-05-01T12:30:00+25:00',
    ],
    [
      '2024-05-01T12:30:00Z',
      '2024-02-29T23:59:60z',
      '2021-03-23 13:04:29.300508335+01:00',
      '1999-12-31t00:00:00-08:00',
    ],
  );
});

describe('LW6507 label-not-spdx (DL3054)', () => {
  formatCase(
    'DL3054',
    'spdx',
    [
      'Thou shall not copyright infringe',
      'Apache 2',
      'MIT OR',
      'MIT and Apache-2.0',
      '(MIT',
      'GPL-2.0-only WITH Not-An-Exception',
      'Classpath-exception-2.0',
    ],
    [
      'MIT',
      'BSD-3-Clause',
      'apache-2.0',
      'Apache-2.0 OR MIT',
      '(MIT AND BSD-2-Clause) OR GPL-3.0-or-later',
      'GPL-2.0-only WITH Classpath-exception-2.0',
      'GPL-2.0+',
      'LicenseRef-Proprietary',
      'DocumentRef-spdx-tool:LicenseRef-x',
    ],
  );
});

describe('LW6508 label-not-git-hash (DL3055)', () => {
  formatCase(
    'DL3055',
    'hash',
    [
      'main',
      'v1.2.3',
      'abc123',
      '2f4c3b1a9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4bz',
      '2f4c3b1a9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b0',
    ],
    ['2f4c3b1', '2f4c3b1a9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b', 'A1B2C3D4E5', 'a'.repeat(64)],
  );
});

describe('LW6509 label-not-semver (DL3056)', () => {
  formatCase(
    'DL3056',
    'semver',
    ['something-other-than-a-version-number', 'v1.4.0', '1.4', '01.2.3', '1.2.3-', '1.2.3-01', '1.2.3+'],
    ['1.0.0', '1.0.0-rc1', '1.4.0-rc.1', '2.0.0+build.5', '1.0.0-alpha.beta-1+sha.2f4c3b1', '10.20.30'],
  );
});

describe('LW6510 label-not-email (DL3058)', () => {
  formatCase(
    'DL3058',
    'email',
    ['Jane Doe', 'jane@', '@example.com', 'jane@@example.com', 'jane doe@example.com', 'Jane <not-an-address>'],
    ['jane@example.com', 'first.last+tag@sub.example.org', 'jane@[192.0.2.1]', 'Jane Doe <jane@example.com>'],
  );
});

describe('label value formats', () => {
  it('read RFC 5322 quoted local parts and SPDX operators as the standards write them', () => {
    assert.equal(isEmail('"jane doe"@example.com'), true);
    assert.equal(isEmail('"unterminated@example.com'), false);
    assert.equal(isSpdxExpression('MIT or Apache-2.0'), false, 'operators are upper case');
    assert.equal(isSpdxExpression('mit OR APACHE-2.0'), true, 'identifiers match case-insensitively');
  });
});

describe('label rules and variables', () => {
  it('check a value built from a variable with a known value, on the LABEL line', () => {
    const text = 'FROM alpine:3.20\nARG VERSION=v2\nLABEL x.label=$VERSION\nENV V=1.2.3\nLABEL x.label=${V}\n';
    assert.deepEqual(found(text, 'DL3056', schema({ 'x.label': 'semver' })), [3]);
  });
});
