// The test world's env file (.world/env, written by scripts/world/up) as the bench scripts read it:
// KEY=VALUE lines; a missing file is one line saying how to bring the world up, and exit 2.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The world's settings, or exit 2 naming `who` (e.g. bench:build) when the world is not up. */
export function worldEnv(root, who) {
  const file = process.env.WORLD_ENV_FILE ?? join(root, '.world', 'env');
  try {
    return Object.fromEntries(
      readFileSync(file, 'utf8')
        .split('\n')
        .map((l) => /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(l.trim()))
        .filter(Boolean)
        .map((m) => [m[1], m[2]]),
    );
  } catch {
    console.error(`${who}: the test world is not up (${file} is missing): run bash scripts/world/up, or set WORLD_ENV_FILE`);
    process.exit(2);
  }
}
