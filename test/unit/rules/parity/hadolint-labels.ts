/**
 * hadolint's label rules (DL3048-DL3058), the problematic and correct code of each wiki page,
 * written for this project. The schema rules act only with a `label-schema` (and DL3050 with
 * `strict-labels`); a format rule reports the LABEL that holds the value, DL3049 the stage's FROM.
 */
import type { RuleSettings } from '../../../../src/rules/types.js';
import { bad, good, type ParityCase } from './table.js';

const F = 'FROM debian:12.5';

function schema(labelSchema: RuleSettings['labelSchema'], strictLabels = false): { settings: Partial<RuleSettings> } {
  return { settings: { labelSchema, strictLabels } };
}

export const LABEL_CASES: ParityCase[] = [
  bad('DL3048', `${F}\nLABEL Team..Name=web`, 2),
  good('DL3048', `${F}\nLABEL org.example.team-name=web`),
  bad('DL3049', `${F}\nLABEL org.example.team=web`, 1, schema({ maintainer: 'text' })),
  good('DL3049', `${F}\nLABEL maintainer="ops@example.org"`, schema({ maintainer: 'text' })),
  bad('DL3050', `${F}\nLABEL maintainer=ops extra=1`, 2, schema({ maintainer: 'text' }, true)),
  good('DL3050', `${F}\nLABEL maintainer=ops`, schema({ maintainer: 'text' }, true)),
  bad('DL3051', `${F}\nLABEL maintainer=""`, 2, schema({ maintainer: 'text' })),
  good('DL3051', `${F}\nLABEL maintainer="ops"`, schema({ maintainer: 'text' })),
  bad('DL3052', `${F}\nLABEL homepage="our web site"`, 2, schema({ homepage: 'url' })),
  good('DL3052', `${F}\nLABEL homepage="https://example.org/app"`, schema({ homepage: 'url' })),
  bad('DL3053', `${F}\nLABEL created="last tuesday"`, 2, schema({ created: 'rfc3339' })),
  good('DL3053', `${F}\nLABEL created="2024-05-01T12:30:00Z"`, schema({ created: 'rfc3339' })),
  bad('DL3054', `${F}\nLABEL license="free for friends"`, 2, schema({ license: 'spdx' })),
  good('DL3054', `${F}\nLABEL license="Apache-2.0"`, schema({ license: 'spdx' })),
  bad('DL3055', `${F}\nLABEL revision="main"`, 2, schema({ revision: 'hash' })),
  good('DL3055', `${F}\nLABEL revision="8f14e45fceea167a5a36dedd4bea2543c1d4a2b9"`, schema({ revision: 'hash' })),
  bad('DL3056', `${F}\nLABEL version="the latest one"`, 2, schema({ version: 'semver' })),
  good('DL3056', `${F}\nLABEL version="2.1.0-beta.3"`, schema({ version: 'semver' })),
  bad('DL3058', `${F}\nLABEL maintainer="ops at example"`, 2, schema({ maintainer: 'email' })),
  good('DL3058', `${F}\nLABEL maintainer="ops@example.org"`, schema({ maintainer: 'email' })),
];
