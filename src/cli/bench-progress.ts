/**
 * bench's progress on standard error. On a terminal: one status line redrawn in place, with a
 * bar of the builds done, the build running, how long it has run and the step BuildKit is on
 * (`[deps 3/5] RUN uv sync ...`). Elsewhere (CI logs, pipes): one line per build, nothing redrawn.
 */
import type { BuildEvent } from '../bench/run.js';

export interface BenchProgress {
  build(e: BuildEvent): void;
  line(l: string): void;
  step(what: string): void;
  /** Clears the status line. */
  done(): void;
}

const BAR = 20;

/** The status line for a build: `[#####-----] 3/12 warm 2/3 api (against) 12s [deps 3/5] RUN ...`. */
export function statusLine(e: BuildEvent, seconds: number, step: string, width: number): string {
  const filled = Math.round((e.done / Math.max(1, e.total)) * BAR);
  const rep = e.repeat > 1 && e.scenario !== 'prime' ? ` ${e.repetition + 1}/${e.repeat}` : '';
  const text = `[${'#'.repeat(filled)}${'-'.repeat(BAR - filled)}] ${e.done}/${e.total} ${e.scenario}${rep} ${e.image} (${e.variant}) ${Math.floor(seconds)}s ${step}`;
  return text.length > width - 1 ? text.slice(0, width - 1) : text;
}

/** The step a progress line names, plain (`#7 [deps 3/5] RUN ...`) or rawjson (a vertex name). */
function stepOf(line: string): string | null {
  const plain = /^#\d+ (\[[^\]]*\d+\/\d+\] .*)$/.exec(line);
  if (plain) return plain[1];
  if (!line.startsWith('{')) return null;
  const m = /"name":"(\[[^\]"]*\d+\/\d+\] [^"]*)"/.exec(line);
  return m ? m[1] : null;
}

export function benchProgress(out: NodeJS.WriteStream): BenchProgress {
  const tty = !!out.isTTY && !process.env.CI;
  let current: BuildEvent | null = null;
  let started = 0;
  let step = '';
  let timer: NodeJS.Timeout | undefined;
  const draw = () => {
    if (!current) return;
    out.write(`\r\x1b[2K${statusLine(current, (Date.now() - started) / 1000, step, out.columns || 80)}`);
  };
  const clear = () => {
    if (tty) out.write('\r\x1b[2K');
  };
  return {
    build(e) {
      current = e;
      started = Date.now();
      step = '';
      if (!tty) {
        const rep = e.repeat > 1 && e.scenario !== 'prime' ? ` ${e.repetition + 1}/${e.repeat}` : '';
        out.write(`bench: building ${e.scenario}${rep} ${e.image} (${e.variant}) [${e.done + 1}/${e.total}]\n`);
        return;
      }
      if (!timer) {
        timer = setInterval(draw, 500);
        timer.unref();
      }
      draw();
    },
    line(l) {
      const s = stepOf(l);
      if (s && tty) {
        step = s;
        draw();
      }
    },
    step(what) {
      if (tty) {
        clear();
        current = null;
      }
      out.write(`bench: ${what}\n`);
    },
    done() {
      if (timer) clearInterval(timer);
      clear();
    },
  };
}
