// bench's status line on a terminal: the bar of builds done, the build, its time and the step it is
// on, cut to the terminal's width.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { statusLine } from '../../../src/cli/bench-progress.js';

describe('statusLine', () => {
  const e = {
    scenario: 'warm' as const,
    image: 'api',
    variant: 'against' as const,
    repetition: 1,
    repeat: 3,
    done: 3,
    total: 12,
  };

  it('shows the builds done as a bar, the repetition, the image and the step', () => {
    assert.equal(
      statusLine(e, 12.7, '[deps 3/5] RUN uv sync', 200),
      '[#####---------------] 3/12 warm 2/3 api (against) 12s [deps 3/5] RUN uv sync',
    );
  });

  it('fits the terminal; no repetition with --repeat 1', () => {
    const line = statusLine({ ...e, repeat: 1 }, 1, 'x'.repeat(300), 60);
    assert.equal(line.length, 59);
    assert.match(line, /^\[#####-+\] 3\/12 warm api \(against\) 1s x+$/);
  });
});
