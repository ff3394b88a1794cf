// `frontier merge --api`: request merges from a running API (the offline merge is src/cli/merge.ts).
import { EXIT } from "./client.ts";
import { intOption, numberList, output, runCommand, stringOption, UsageError, type CommandSpec, type Context } from "./command.ts";
import { createProgress } from "./progress.ts";
import { MergeSchema, waitForMerge, type Merge } from "./resources.ts";
import { alphaText, orDash, renderTable } from "./table.ts";

export const API_MERGE_HELP = `Usage (through a running API):
  frontier merge --api [URL] --a CKPT --b CKPT --alphas -0.5,0,0.5,1,1.5 [options]
  frontier merge --api [URL] --parent CKPT=COEF --parent CKPT=COEF [...] [options]
  frontier merge --api [URL] status MERGE [--watch]

The grid form creates one derived checkpoint per α with θ(α) = (1−α)·θ_a + α·θ_b (α < 0 or > 1
extrapolates past the endpoints); --parent pairs give θ = Σ cᵢ·θᵢ (coefficients sum to 1).
POST /v1/merges; needs a key with the submit scope. Lineage is recorded on each derived checkpoint.

Options:
  --a CKPT, --b CKPT       the endpoints of the grid
  --alphas LIST            comma-separated α values
  --parent CKPT=COEF       a parent and its coefficient (repeat)
  --run NAME               the run the derived checkpoints belong to (default merge:<run of a>)
  --benchmark NAME --n N   also evaluate each output on NAME with N samples per problem once it is ready
  --seed S                 sampling seed for those evaluations (default 0)
  --problems a,b,…         only these problems in those evaluations
  --idempotency-key KEY    make a retried request safe
  --watch                  follow the merge until every output is ready or failed`;

const spec: CommandSpec = {
  name: "merge",
  help: API_MERGE_HELP,
  options: {
    a: { type: "string" },
    b: { type: "string" },
    alphas: { type: "string" },
    parent: { type: "string", multiple: true },
    run: { type: "string" },
    benchmark: { type: "string" },
    n: { type: "string" },
    seed: { type: "string" },
    problems: { type: "string" },
    "idempotency-key": { type: "string" },
    watch: { type: "boolean" },
  },
  async run(ctx) {
    const [first, ...rest] = ctx.positionals;
    if (first === "status") {
      if (rest.length !== 1) throw new UsageError("status needs exactly one merge id");
      return finish(ctx, await ctx.client.get(`/v1/merges/${encodeURIComponent(rest[0])}`, MergeSchema));
    }
    if (first !== undefined) throw new UsageError(`unexpected argument '${first}'`);
    const key = stringOption(ctx.values, "idempotency-key");
    const merge = await ctx.client.post("/v1/merges", mergeBody(ctx), MergeSchema, key ? { "idempotency-key": key } : undefined);
    return finish(ctx, merge);
  },
};

export function run(argv: string[]): Promise<number> {
  return runCommand(spec, argv);
}
export { spec as apiMergeCommand };

function mergeBody(ctx: Context): Record<string, unknown> {
  const { values } = ctx;
  const parents = (values.parent as string[] | undefined) ?? [];
  const grid = values.a !== undefined || values.b !== undefined || values.alphas !== undefined;
  let body: Record<string, unknown>;
  if (grid) {
    if (parents.length) throw new UsageError("use either --a/--b/--alphas or --parent pairs, not both");
    const a = stringOption(values, "a");
    const b = stringOption(values, "b");
    const alphas = stringOption(values, "alphas");
    if (!a || !b || !alphas) throw new UsageError("a grid needs --a, --b and --alphas");
    body = { a, b, alphas: numberList(alphas, "alphas") };
  } else if (parents.length) {
    body = {
      parents: parents.map((text) => {
        const at = text.lastIndexOf("=");
        const coefficient = Number(text.slice(at + 1));
        if (at <= 0 || text.slice(at + 1).trim() === "" || !Number.isFinite(coefficient))
          throw new UsageError(`--parent must look like CKPT=COEF (got '${text}')`);
        return { checkpoint: text.slice(0, at), coefficient };
      }),
    };
  } else {
    throw new UsageError("give a grid (--a, --b, --alphas) or --parent CKPT=COEF pairs");
  }
  const run = stringOption(values, "run");
  if (run) body.run = run;
  const benchmark = stringOption(values, "benchmark");
  const n = intOption(values, "n", { min: 1 });
  if ((benchmark === undefined) !== (n === undefined)) throw new UsageError("--benchmark and --n go together (evaluate each output)");
  if (benchmark !== undefined) {
    const seed = intOption(values, "seed");
    const problems = stringOption(values, "problems")
      ?.split(",")
      .map((p) => p.trim())
      .filter(Boolean);
    body.evaluate = { benchmark, n, ...(seed !== undefined ? { seed } : {}), ...(problems ? { problems } : {}) };
  } else if (values.seed !== undefined || values.problems !== undefined) {
    throw new UsageError("--seed and --problems apply to the evaluations (--benchmark and --n)");
  }
  return body;
}

async function finish(ctx: Context, merge: Merge): Promise<number> {
  let final = merge;
  if (ctx.values.watch && merge.status === "merging") {
    const progress = ctx.json ? undefined : createProgress();
    try {
      final = await waitForMerge(ctx.client, merge.id, { progress, labels: new Map([[merge.id, merge.id]]) });
    } finally {
      progress?.stop();
    }
  }
  output(ctx, final, () => mergeTable(final));
  return ctx.values.watch && final.status !== "ready" ? EXIT.api : EXIT.ok;
}

export function mergeTable(merge: Merge): string {
  const head = `${merge.id}  ${merge.status}  run ${merge.run}`;
  const table = renderTable(
    [{ header: "α", align: "right" }, { header: "checkpoint" }, { header: "status" }, { header: "evaluation" }, { header: "url / error" }],
    merge.checkpoints.map((c) => [
      c.alpha === null ? (c.parents ?? []).map((p) => `${p.coefficient}·${p.checkpoint}`).join(" + ") : alphaText(c.alpha),
      c.id,
      c.status,
      orDash(c.evaluation),
      c.error ?? orDash(c.url),
    ]),
  );
  return `${head}\n${table}`;
}
