// How long the edge waits for one executor judge request: sized to the work it carries, so that a
// request lost on the way (a dropped connection, an executor restarted mid-request) is given up on
// after minutes, not after the old flat ten, and goes back through the outage path (re-sent with
// backoff until the retry horizon). The executor stops a program at its wall cap, time_ms × wall
// factor + a second, and judges `parallelism` programs at once; the edge does not know the test
// counts, so it assumes `testsPerTier` tests per tier at the wall cap — generous on purpose: a
// request that is merely slow must not be cut short and judged twice.

export interface JudgeTimeoutPolicy {
  /** Fixed part: the request, the pack lookup, compiling. */
  baseMs: number;
  /** Tests per tier assumed at the wall cap. */
  testsPerTier: number;
  /** Wall time of one test at most, as a multiple of time_ms (the executor's wall factor, and retiming). */
  wallFactor: number;
  /** Programs the executor judges at once. */
  parallelism: number;
  /** Never longer than this. */
  ceilingMs: number;
}

export const JUDGE_TIMEOUT: JudgeTimeoutPolicy = { baseMs: 30_000, testsPerTier: 4, wallFactor: 3, parallelism: 2, ceilingMs: 600_000 };

/** Milliseconds to wait for the verdicts of `programs` programs of one problem. */
export function judgeTimeoutMs(programs: number, problem: { timeMs: number; tiers: number }, policy: JudgeTimeoutPolicy = JUDGE_TIMEOUT): number {
  const perProgram = Math.max(1, problem.tiers) * policy.testsPerTier * (problem.timeMs * policy.wallFactor + 1000);
  const rounds = Math.ceil(Math.max(1, programs) / policy.parallelism);
  return Math.min(policy.ceilingMs, policy.baseMs + rounds * perProgram);
}
