// `frontier compare A B`: paired comparison of evaluation B against A on the same problems
// (POST /v1/comparisons): the difference in pass@k with a paired bootstrap interval.
import { ComparisonSchema } from "@frontier/contracts";
import { EXIT } from "./api/client.ts";
import { intOption, numberList, output, runCommand, UsageError, type CommandSpec } from "./api/command.ts";
import { percent, points, renderTable } from "./api/table.ts";

const HELP = `Usage: frontier compare A B [--k 1,10] [--seed S] [--resamples R]

Paired comparison of evaluation B against evaluation A on the same problems (POST /v1/comparisons;
needs the submit scope): for each k, pass@k of A and of B, the difference B − A, its standard error
over problems and a paired percentile bootstrap 95% interval (one resample of the problems serves
both sides). Both must be complete evaluations of one benchmark version.

Options:
  --k LIST          which pass@k (default 1)
  --seed S          bootstrap seed (default 0)
  --resamples R     bootstrap resamples (default 1000)`;

const spec: CommandSpec = {
  name: "compare",
  help: HELP,
  options: { k: { type: "string" }, seed: { type: "string" }, resamples: { type: "string" } },
  async run(ctx) {
    if (ctx.positionals.length !== 2) throw new UsageError("give exactly two evaluation ids: A (baseline) and B");
    const [a, b] = ctx.positionals;
    const body: Record<string, unknown> = { a, b, k: ctx.values.k ? numberList(String(ctx.values.k), "k") : [1] };
    const seed = intOption(ctx.values, "seed");
    if (seed !== undefined) body.seed = seed;
    const resamples = intOption(ctx.values, "resamples", { min: 1 });
    if (resamples !== undefined) body.resamples = resamples;
    const comparison = await ctx.client.post("/v1/comparisons", body, ComparisonSchema);
    output(ctx, comparison, () =>
      [
        renderTable(
          [
            { header: "k" },
            { header: `A ${a}`, align: "right" },
            { header: `B ${b}`, align: "right" },
            { header: "B − A", align: "right" },
            { header: "95% interval", align: "right" },
            { header: "SE", align: "right" },
          ],
          comparison.differences.map((d) => [
            `pass@${d.k}`,
            percent(d.a),
            percent(d.b),
            points(d.difference),
            `[${points(d.ci[0])}, ${points(d.ci[1])}]`,
            d.se === null ? "—" : points(d.se),
          ]),
        ),
        `${comparison.problems} problems of ${comparison.benchmark}; paired bootstrap, ${comparison.resamples} resamples, seed ${comparison.seed}` +
          (comparison.skipped_k.length ? `; skipped k above the smallest n: ${comparison.skipped_k.join(", ")}` : ""),
      ].join("\n"),
    );
    return EXIT.ok;
  },
};

export function run(argv: string[]): Promise<number> {
  return runCommand(spec, argv);
}
export { spec as compareCommand };
