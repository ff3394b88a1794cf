// The correctness–efficiency frontier over a set of checkpoints (typically a merge grid over α).
import { failureBreakdown } from "./breakdown.ts";
import { countsFromVerdicts } from "./breakdown.ts";
import { MetricsInputError } from "./errors.ts";
import type { VerdictRow } from "./inputs.ts";
import { passAtKReport, type PassKey } from "./passk.ts";

export interface FrontierInput {
  checkpoint: string;
  /** Merge coefficient θ(α) = (1−α)·θ_A + α·θ_B when the checkpoint is on a merge line; null otherwise. */
  alpha?: number | null;
  samples: readonly VerdictRow[];
}

export interface FrontierPoint {
  checkpoint: string;
  alpha: number | null;
  correctness_failure_rate: number | null;
  efficiency_failure_rate: number | null;
  /** CE + OLE + NC, outside both rates. */
  other_failure_rate: number | null;
  /** pass@k for each requested k; null where k exceeds this checkpoint's n on some problem. */
  pass_at_k: Record<PassKey, number | null>;
  /** Samples judged (SE left out) and problems seen. */
  judged: number;
  problems: number;
  pareto: boolean;
}

export interface RatePoint {
  correctness_failure_rate: number | null;
  efficiency_failure_rate: number | null;
}

/**
 * Indices of the Pareto set when minimising both failure rates. A point is dominated when another
 * is no worse on both rates and strictly better on one. Points with identical rates do not
 * dominate each other, so ties are all kept. Points without rates (nothing judged) are never in it.
 */
export function paretoSet(points: readonly RatePoint[]): number[] {
  const known = points.map((p, i) => ({ i, x: p.correctness_failure_rate, y: p.efficiency_failure_rate })).filter((p) => p.x !== null && p.y !== null) as {
    i: number;
    x: number;
    y: number;
  }[];
  return known.filter((a) => !known.some((b) => b.x <= a.x && b.y <= a.y && (b.x < a.x || b.y < a.y))).map((a) => a.i);
}

/**
 * One point per checkpoint: (correctness-failure rate, efficiency-failure rate, pass@k), ordered
 * by α ascending with unknown α last (ties keep the given order), and the Pareto set over the two
 * failure rates (checkpoint ids, in point order).
 */
export function frontier(inputs: readonly FrontierInput[], ks: readonly number[] = [1]) {
  const seen = new Set<string>();
  for (const x of inputs) {
    if (seen.has(x.checkpoint)) throw new MetricsInputError(`checkpoint listed more than once: ${x.checkpoint}`);
    seen.add(x.checkpoint);
  }
  const ordered = inputs
    .map((x, i) => ({ x, i }))
    .sort((a, b) => (a.x.alpha ?? Infinity) - (b.x.alpha ?? Infinity) || a.i - b.i)
    .map(({ x }) => x);
  const points: FrontierPoint[] = ordered.map((x) => {
    const b = failureBreakdown(x.samples);
    const counts = countsFromVerdicts(x.samples);
    const passAt: Record<PassKey, number | null> = {};
    const report = counts.length ? passAtKReport(counts, ks) : null;
    for (const k of ks) passAt[`pass@${k}`] = report?.[`pass@${k}`] ?? null;
    return {
      checkpoint: x.checkpoint,
      alpha: x.alpha ?? null,
      correctness_failure_rate: b.correctness_failure_rate,
      efficiency_failure_rate: b.efficiency_failure_rate,
      other_failure_rate: b.other_failure_rate,
      pass_at_k: passAt,
      judged: b.judged,
      problems: counts.length,
      pareto: false,
    };
  });
  const pareto = paretoSet(points);
  for (const i of pareto) points[i].pareto = true;
  return { points, pareto: pareto.map((i) => points[i].checkpoint) };
}
