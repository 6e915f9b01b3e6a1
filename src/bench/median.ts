/**
 * --repeat N: a scenario's runs folded into one result. The median run (by wall time; the lower
 * middle one for an even N) gives the steps, image and deploy figures; the time and each step's
 * seconds are medians over all runs (the middle two averaged for an even N).
 */
import type { BenchRun, BenchStep, ScenarioResult } from './types.js';

/** The median of numbers (the middle two averaged); 0 for none. */
export function median(xs: number[]): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : round3((s[mid - 1] + s[mid]) / 2);
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** Index of the median run by wall time (the lower middle one for an even count). */
export function medianIndex(runs: Pick<BenchRun, 'seconds'>[]): number {
  const order = runs.map((r, i) => ({ s: r.seconds, i })).sort((a, b) => a.s - b.s || a.i - b.i);
  return order[Math.floor((order.length - 1) / 2)].i;
}

/** The median run's steps, each step's seconds the median over the runs that have a step of that name. */
export function medianSteps(runs: BenchRun[], mid: number): BenchStep[] {
  return runs[mid].steps.map((step) => {
    const all = runs.flatMap((r) => r.steps.filter((s) => s.name === step.name).map((s) => s.seconds));
    return { ...step, seconds: all.length ? median(all) : step.seconds };
  });
}

/** The scenario's time figures over its runs. */
export function timeOf(runs: BenchRun[]): ScenarioResult['time'] {
  const xs = runs.map((r) => r.seconds);
  return { median_s: median(xs), min_s: Math.min(...xs), max_s: Math.max(...xs), runs_s: xs };
}
