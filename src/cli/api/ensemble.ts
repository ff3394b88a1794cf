// `frontier ensemble --api`: ensemble pass@k at a fixed budget over complete evaluations, computed
// and stored by a running API (the offline form from JSONL counts is src/cli/ensemble.ts).
import { EXIT } from "./client.ts";
import { intOption, numberOption, output, runCommand, stringOption, UsageError, type CommandSpec } from "./command.ts";
import { ensembleLines } from "./render.ts";
import { EnsembleSchema, FrontierSchema } from "./resources.ts";

export const API_ENSEMBLE_HELP = `Usage (through a running API):
  frontier ensemble --api [URL] --budget B EVALUATION [EVALUATION ...] [options]
  frontier ensemble --api [URL] --budget B --run RUN [--pareto] [options]

Splits B samples per problem across the member evaluations and compares the ensemble's pass@B with
the best single member's pass@B at the same budget (POST /v1/ensembles; needs the submit scope).
With --run the members are the run's frontier points (each checkpoint's latest complete
evaluation); --pareto keeps only the Pareto set.

Options:
  --budget B               samples per problem (required)
  --allocation METHOD      equal (default) | proportional | optimized
  --weights e1=w1,e2=w2    weights per evaluation for proportional
  --holdout FRACTION       fit optimized on the other problems, report on a seeded FRACTION of them
  --selection crossfit|in_sample
                           how the best single member (and optimized) are chosen (default crossfit:
                           on K−1 folds of problems, scored on the held-out fold; in_sample is biased)
  --folds K                crossfit folds (default 5)
  --seed S                 seed for the folds, the bootstrap interval gain_ci and --holdout (default 0)
  --resamples R            bootstrap resamples for gain_ci (default 1000, 200 for optimized)
  --run RUN, --pareto      take the members from a run's frontier
  --benchmark NAME         with --run: which benchmark, when the run has several`;

const spec: CommandSpec = {
  name: "ensemble",
  help: API_ENSEMBLE_HELP,
  options: {
    budget: { type: "string" },
    allocation: { type: "string" },
    weights: { type: "string" },
    holdout: { type: "string" },
    seed: { type: "string" },
    selection: { type: "string" },
    folds: { type: "string" },
    resamples: { type: "string" },
    run: { type: "string" },
    pareto: { type: "boolean" },
    benchmark: { type: "string" },
  },
  async run(ctx) {
    const budget = intOption(ctx.values, "budget", { min: 1 });
    if (budget === undefined) throw new UsageError("--budget is required");
    const run = stringOption(ctx.values, "run");
    let members = ctx.positionals;
    const names = new Map<string, string>();
    if (run !== undefined) {
      if (members.length) throw new UsageError("give either evaluation ids or --run, not both");
      const frontier = await ctx.client.get(`/v1/runs/${encodeURIComponent(run)}/frontier`, FrontierSchema, {
        benchmark: stringOption(ctx.values, "benchmark"),
      });
      const points = ctx.values.pareto ? frontier.points.filter((p) => p.pareto) : frontier.points;
      members = points.map((p) => p.evaluation);
      for (const p of points) names.set(p.evaluation, p.alpha !== null ? `α=${p.alpha}` : (p.label ?? p.checkpoint));
      if (members.length === 0) throw new UsageError(`run ${run} has no complete evaluations`);
    } else if (ctx.values.pareto) {
      throw new UsageError("--pareto applies to --run");
    }
    if (members.length === 0) throw new UsageError("give the member evaluations, or --run RUN");
    const body: Record<string, unknown> = { members, budget };
    const allocation = stringOption(ctx.values, "allocation");
    if (allocation) body.allocation = allocation;
    const weights = stringOption(ctx.values, "weights");
    if (weights !== undefined) body.weights = parseWeights(weights);
    const holdout = numberOption(ctx.values, "holdout");
    const seed = intOption(ctx.values, "seed");
    if (holdout !== undefined) body.holdout = { fraction: holdout, ...(seed !== undefined ? { seed } : {}) };
    if (seed !== undefined) body.seed = seed;
    const selection = stringOption(ctx.values, "selection");
    if (selection !== undefined) {
      if (selection !== "crossfit" && selection !== "in_sample") throw new UsageError(`--selection must be crossfit or in_sample (got '${selection}')`);
      body.selection = selection;
    }
    const folds = intOption(ctx.values, "folds", { min: 2 });
    if (folds !== undefined) body.folds = folds;
    const resamples = intOption(ctx.values, "resamples", { min: 0 });
    if (resamples !== undefined) body.resamples = resamples;
    const ensemble = await ctx.client.post("/v1/ensembles", body, EnsembleSchema);
    output(ctx, ensemble, () => `${ensemble.id}\n${ensembleLines(ensemble, names)}`);
    return EXIT.ok;
  },
};

export function run(argv: string[]): Promise<number> {
  return runCommand(spec, argv);
}
export { spec as apiEnsembleCommand };

function parseWeights(text: string): Record<string, number> {
  const weights: Record<string, number> = {};
  for (const part of text.split(",")) {
    const at = part.lastIndexOf("=");
    const weight = Number(part.slice(at + 1));
    if (at <= 0 || part.slice(at + 1).trim() === "" || !Number.isFinite(weight))
      throw new UsageError(`--weights must look like eval_a=1,eval_b=0.5 (got '${text}')`);
    weights[part.slice(0, at).trim()] = weight;
  }
  return weights;
}
