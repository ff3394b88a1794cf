// Failure breakdown of one checkpoint's judged samples: how often programs pass, fail on
// correctness (WA, RE) or fail on efficiency (TLE, MLE) — the paper's split — overall and per nested
// tier; CE, OLE and NC (no code) are counted and shown apart, outside both rates.
import { CORRECTNESS_FAILURES, EFFICIENCY_FAILURES, OTHER_FAILURES, VERDICTS, type Verdict } from "@frontier/contracts";
import { MetricsInputError } from "./errors.ts";
import type { CountRow, VerdictRow } from "./inputs.ts";

const correctness = new Set<Verdict>(CORRECTNESS_FAILURES);
const efficiency = new Set<Verdict>(EFFICIENCY_FAILURES);
const other = new Set<Verdict>(OTHER_FAILURES);

export interface TierRates {
  /** 0-based tier index t: the sample is judged on tiers 0..t only. */
  tier: number;
  /** Share of judged samples that pass every test of tiers 0..t. */
  pass_rate: number;
  /** Share of judged samples whose first failure is a correctness failure within tiers 0..t. */
  correctness_failure_rate: number;
  /** Share of judged samples whose first failure is an efficiency failure within tiers 0..t. */
  efficiency_failure_rate: number;
  /** Share of judged samples whose first failure is CE, OLE or NC within tiers 0..t. */
  other_failure_rate: number;
}

export interface FailureBreakdown {
  /** Every sample given, SE included. */
  samples: number;
  /** Samples with a verdict about the program: samples − system_errors. The denominator of every rate. */
  judged: number;
  /** SE: the judge failed, not the program. Counted apart and never as a program failure. */
  system_errors: number;
  /** system_errors / samples (null with no samples). */
  system_error_rate: number | null;
  /** Over judged samples; the four sum to 1. Null when nothing was judged. */
  pass_rate: number | null;
  /** WA + RE. */
  correctness_failure_rate: number | null;
  /** TLE + MLE. */
  efficiency_failure_rate: number | null;
  /** CE + OLE + NC: neither correctness nor efficiency. */
  other_failure_rate: number | null;
  /** Count per verdict, SE included. */
  by_verdict: Record<Verdict, number>;
  /** One entry per tier 0..tiers−1; the last equals the overall rates. */
  tiers: TierRates[];
}

/**
 * Breakdown of one checkpoint's samples `{problem, verdict, tiers_passed}`.
 *
 * Tiers are nested and judged in order, so a failing sample failed at tier `tiers_passed` (its
 * first failing test is there): judged on tiers 0..t it passes when it is AC or
 * `tiers_passed > t`, and otherwise fails with its verdict. An AC sample on a problem with fewer
 * tiers than t+1 counts as passing at t. The number of tiers reported is `options.tiers`, or else
 * the most seen (AC: tiers_passed; failures: tiers_passed + 1).
 *
 * SE samples are left out of the denominator: they carry no information about the program.
 */
export function failureBreakdown(rows: readonly VerdictRow[], options: { tiers?: number } = {}): FailureBreakdown {
  const byVerdict = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  let tiers = options.tiers ?? 0;
  for (const r of rows) {
    if (!VERDICTS.includes(r.verdict)) throw new MetricsInputError(`unknown verdict ${JSON.stringify(r.verdict)} (problem ${r.problem})`);
    if (!Number.isInteger(r.tiers_passed) || r.tiers_passed < 0)
      throw new MetricsInputError(`tiers_passed must be a non-negative integer (problem ${r.problem})`);
    byVerdict[r.verdict]++;
    if (options.tiers === undefined && r.verdict !== "SE") tiers = Math.max(tiers, r.verdict === "AC" ? r.tiers_passed : r.tiers_passed + 1);
  }
  const systemErrors = byVerdict.SE;
  const judged = rows.length - systemErrors;

  // failedAt[t][kind]: judged failures whose first failing tier is t (clipped to the last tier).
  const failedAt = Array.from({ length: tiers }, () => ({ correctness: 0, efficiency: 0, other: 0 }));
  for (const r of rows) {
    if (r.verdict === "AC" || r.verdict === "SE" || tiers === 0) continue;
    const slot = failedAt[Math.min(r.tiers_passed, tiers - 1)];
    if (correctness.has(r.verdict)) slot.correctness++;
    else if (efficiency.has(r.verdict)) slot.efficiency++;
    else if (other.has(r.verdict)) slot.other++;
  }
  const rate = (x: number) => (judged ? x / judged : 0);
  const tierRates: TierRates[] = [];
  let corr = 0,
    eff = 0,
    oth = 0;
  for (let t = 0; t < tiers && judged > 0; t++) {
    corr += failedAt[t].correctness;
    eff += failedAt[t].efficiency;
    oth += failedAt[t].other;
    tierRates.push({
      tier: t,
      pass_rate: rate(judged - corr - eff - oth),
      correctness_failure_rate: rate(corr),
      efficiency_failure_rate: rate(eff),
      other_failure_rate: rate(oth),
    });
  }
  const correctnessFailures = CORRECTNESS_FAILURES.reduce((a, v) => a + byVerdict[v], 0);
  const efficiencyFailures = EFFICIENCY_FAILURES.reduce((a, v) => a + byVerdict[v], 0);
  const otherFailures = OTHER_FAILURES.reduce((a, v) => a + byVerdict[v], 0);
  return {
    samples: rows.length,
    judged,
    system_errors: systemErrors,
    system_error_rate: rows.length ? systemErrors / rows.length : null,
    pass_rate: judged ? byVerdict.AC / judged : null,
    correctness_failure_rate: judged ? correctnessFailures / judged : null,
    efficiency_failure_rate: judged ? efficiencyFailures / judged : null,
    other_failure_rate: judged ? otherFailures / judged : null,
    by_verdict: byVerdict,
    tiers: tierRates,
  };
}

/**
 * Per-problem counts for pass@k from judged samples: n = samples judged (SE left out, as in the
 * breakdown), c = AC samples. Problems keep their order of first appearance.
 */
export function countsFromVerdicts(rows: readonly VerdictRow[]): CountRow[] {
  const counts = new Map<string, CountRow>();
  for (const r of rows) {
    const row = counts.get(r.problem) ?? { problem: r.problem, n: 0, c: 0 };
    counts.set(r.problem, row);
    if (r.verdict === "SE") continue;
    row.n++;
    if (r.verdict === "AC") row.c++;
  }
  return [...counts.values()];
}
