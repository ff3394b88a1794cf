// `frontier evaluate`: start evaluations of checkpoints on a benchmark, or look at existing ones;
// --watch shows live progress until each is complete, then its metrics.
import { SETTINGS } from "@frontier/contracts";
import { EXIT } from "./api/client.ts";
import {
  intOption,
  numberList,
  numberOption,
  output,
  requireOption,
  runCommand,
  stringOption,
  UsageError,
  type CommandSpec,
  type Context,
} from "./api/command.ts";
import { createProgress } from "./api/progress.ts";
import { EvaluationMetricsSchema, EvaluationSchema, waitForEvaluations, type Evaluation, type EvaluationMetrics } from "./api/resources.ts";
import { passAt, percent, renderTable } from "./api/table.ts";

const HELP = `Usage:
  frontier evaluate CHECKPOINT [CHECKPOINT ...] --benchmark NAME --n N [sampling options] [--watch]
  frontier evaluate status EVALUATION [EVALUATION ...] [--watch]

Starts one evaluation per checkpoint (POST /v1/evaluations; needs a key with the submit scope):
n programs sampled per problem, each judged against the benchmark's nested test tiers.
\`status\` shows existing evaluations. With --watch, a live progress bar per evaluation until it is
complete or failed, then its pass@k and failure rates; the exit code is 1 if any failed.

Options:
  --benchmark NAME       benchmark name (its latest version) or name@sha256:…
  --n N                  samples per problem
  --temperature T        default 0.8        --top-p P       default 0.95
  --max-tokens M         default 2048       --seed S        default 0
  --language L           python (default) | cpp
  --setting S            reasoning (default) | tool (run_code while reasoning) | agentic (public-test feedback)
  --max-turns N          agentic: answers per episode (default 4)
  --max-tool-calls N     tool: run_code calls per episode (default 8)
  --problems a,b,…       only these problems
  --idempotency-key KEY  safe retries of a single-checkpoint request
  --watch                follow progress until finished, then print metrics
  --k LIST               pass@k to print with --watch (default 1 and n)
  --interval SECONDS     poll interval for --watch (default 1)`;

const spec: CommandSpec = {
  name: "evaluate",
  help: HELP,
  options: {
    benchmark: { type: "string" },
    n: { type: "string" },
    temperature: { type: "string" },
    "top-p": { type: "string" },
    "max-tokens": { type: "string" },
    seed: { type: "string" },
    language: { type: "string" },
    setting: { type: "string" },
    "max-turns": { type: "string" },
    "max-tool-calls": { type: "string" },
    problems: { type: "string" },
    "idempotency-key": { type: "string" },
    watch: { type: "boolean" },
    k: { type: "string" },
    interval: { type: "string" },
  },
  async run(ctx) {
    const [first, ...rest] = ctx.positionals;
    if (first === "status") {
      if (rest.length === 0) throw new UsageError("status needs at least one evaluation id");
      const evaluations = await Promise.all(rest.map((id) => ctx.client.get(`/v1/evaluations/${encodeURIComponent(id)}`, EvaluationSchema)));
      return finish(ctx, evaluations);
    }
    if (!first) throw new UsageError("give the checkpoint(s) to evaluate, or `status EVALUATION`");
    const body = evaluationBody(ctx);
    const key = stringOption(ctx.values, "idempotency-key");
    if (key && ctx.positionals.length > 1) throw new UsageError("--idempotency-key applies to one checkpoint at a time");
    const started: Evaluation[] = [];
    for (const checkpoint of ctx.positionals) {
      started.push(await ctx.client.post("/v1/evaluations", { checkpoint, ...body }, EvaluationSchema, key ? { "idempotency-key": key } : undefined));
    }
    return finish(ctx, started);
  },
};

export function run(argv: string[]): Promise<number> {
  return runCommand(spec, argv);
}
export { spec as evaluateCommand };

function evaluationBody(ctx: Context): Record<string, unknown> {
  const benchmark = requireOption(ctx.values, "benchmark");
  const n = intOption(ctx.values, "n", { min: 1 });
  if (n === undefined) throw new UsageError("--n is required (samples per problem)");
  const body: Record<string, unknown> = {
    benchmark,
    n,
    temperature: numberOption(ctx.values, "temperature"),
    top_p: numberOption(ctx.values, "top-p"),
    max_tokens: intOption(ctx.values, "max-tokens", { min: 1 }),
    seed: intOption(ctx.values, "seed"),
    language: stringOption(ctx.values, "language"),
    setting: stringOption(ctx.values, "setting"),
    max_turns: intOption(ctx.values, "max-turns", { min: 1 }),
    max_tool_calls: intOption(ctx.values, "max-tool-calls", { min: 0 }),
  };
  if (body.setting !== undefined && !(SETTINGS as readonly string[]).includes(body.setting as string))
    throw new UsageError(`--setting must be one of ${SETTINGS.join(", ")}`);
  const problems = stringOption(ctx.values, "problems");
  if (problems !== undefined)
    body.problems = problems
      .split(",")
      .map((p) => p.trim())
      .filter(Boolean);
  // Unset options are left to the API's defaults.
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined));
}

async function finish(ctx: Context, evaluations: Evaluation[]): Promise<number> {
  if (!ctx.values.watch) {
    output(ctx, evaluations.length === 1 ? evaluations[0] : evaluations, () => statusTable(evaluations));
    return EXIT.ok;
  }
  const interval = numberOption(ctx.values, "interval") ?? 1;
  if (!(interval > 0)) throw new UsageError("--interval must be a positive number of seconds");
  const progress = ctx.json ? undefined : createProgress({ labelWidth: Math.max(...evaluations.map((e) => e.id.length)) });
  let final: Evaluation[];
  try {
    final = await waitForEvaluations(
      ctx.client,
      evaluations.map((e) => e.id),
      { progress, intervalMs: interval * 1000 },
    );
  } finally {
    progress?.stop();
  }
  const ks = ctx.values.k ? numberList(String(ctx.values.k), "k") : [...new Set([1, ...final.map((e) => e.params.n)])];
  const metrics = await Promise.all(
    final.map((e) => ctx.client.get(`/v1/evaluations/${encodeURIComponent(e.id)}/metrics`, EvaluationMetricsSchema, { k: ks.join(",") })),
  );
  output(
    ctx,
    final.map((evaluation, i) => ({ evaluation, metrics: metrics[i] })),
    () => metricsTable(final, metrics, ks),
  );
  for (const e of final.filter((e) => e.status === "failed"))
    ctx.note(`frontier evaluate: ${e.id} failed: ${e.errors.map((x) => `${x.stage}: ${x.message}`).join("; ") || "no reason given"}`);
  return final.some((e) => e.status === "failed") ? EXIT.api : EXIT.ok;
}

function statusTable(evaluations: Evaluation[]): string {
  return renderTable(
    [
      { header: "evaluation" },
      { header: "checkpoint" },
      { header: "benchmark" },
      { header: "n", align: "right" },
      { header: "status" },
      { header: "done", align: "right" },
      { header: "sampled from" },
    ],
    evaluations.map((e) => [
      e.id,
      e.checkpoint,
      e.benchmark.name,
      String(e.params.n),
      e.status,
      `${e.progress.received - e.progress.pending}/${e.progress.requested}`,
      // the weights the backend actually loaded: served name and the start of the checkpoint's sha256
      e.models.map((m) => `${m.served_name}${m.sha256 ? ` ${m.sha256.slice(0, 12)}` : ""}`).join(", ") || "—",
    ]),
  );
}

function metricsTable(evaluations: Evaluation[], metrics: EvaluationMetrics[], ks: number[]): string {
  return renderTable(
    [
      { header: "evaluation" },
      { header: "checkpoint" },
      { header: "status" },
      ...ks.map((k) => ({ header: `pass@${k}`, align: "right" as const })),
      { header: "correctness fail", align: "right" },
      { header: "efficiency fail", align: "right" },
    ],
    evaluations.map((e, i) => [
      e.id,
      e.checkpoint,
      e.status,
      ...ks.map((k) => percent(passAt(metrics[i].pass_at_k, k))),
      percent(metrics[i].breakdown.correctness_failure_rate),
      percent(metrics[i].breakdown.efficiency_failure_rate),
    ]),
  );
}
