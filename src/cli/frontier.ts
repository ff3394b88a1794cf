// `frontier frontier RUN`: the correctness–efficiency frontier of a run (one point per evaluated
// checkpoint, ordered by α, the Pareto set marked).
import { SETTINGS } from "@frontier/contracts";
import { EXIT } from "./api/client.ts";
import { numberList, output, runCommand, stringOption, UsageError, type CommandSpec } from "./api/command.ts";
import { frontierTable } from "./api/render.ts";
import { FrontierSchema } from "./api/resources.ts";

const HELP = `Usage: frontier frontier RUN [--benchmark NAME[@VERSION]] [--setting reasoning|tool|agentic] [--k 1,10]

The frontier of a run (GET /v1/runs/RUN/frontier): for each checkpoint with a complete evaluation,
pass@k and the correctness- (WA, RE), efficiency- (TLE, MLE) and other-failure (CE, OLE, no code)
rates (over judged samples), ordered by α for
merge-grid points; * marks the Pareto set (no other point fails less on both).

Options:
  --benchmark NAME   needed when the run was evaluated on several benchmarks
  --setting S        the inference setting: reasoning (default), tool or agentic (a frontier per setting)
  --k LIST           pass@k columns (default 1)`;

const spec: CommandSpec = {
  name: "frontier",
  help: HELP,
  options: { benchmark: { type: "string" }, setting: { type: "string" }, k: { type: "string" } },
  async run(ctx) {
    if (ctx.positionals.length !== 1) throw new UsageError("give exactly one run name");
    const ks = ctx.values.k ? numberList(String(ctx.values.k), "k") : [1];
    const setting = stringOption(ctx.values, "setting");
    if (setting !== undefined && !(SETTINGS as readonly string[]).includes(setting)) throw new UsageError(`--setting must be one of ${SETTINGS.join(", ")}`);
    const frontier = await ctx.client.get(`/v1/runs/${encodeURIComponent(ctx.positionals[0])}/frontier`, FrontierSchema, {
      k: ks.join(","),
      benchmark: stringOption(ctx.values, "benchmark"),
      setting,
    });
    output(ctx, frontier, () => `${frontierTable(frontier, ks)}${frontier.benchmark ? `\nbenchmark ${frontier.benchmark}` : ""}`);
    return EXIT.ok;
  },
};

export function run(argv: string[]): Promise<number> {
  return runCommand(spec, argv);
}
export { spec as frontierCommand };
