// `frontier gc`: retention of merge outputs (POST /v1/gc, operator key). Lists the stored outputs of
// merged checkpoints nothing references; deletes them only with --apply.
import { z } from "zod";
import { EXIT } from "./api/client.ts";
import { intOption, output, runCommand, type CommandSpec } from "./api/command.ts";
import { renderTable } from "./api/table.ts";

const HELP = `Usage: frontier gc [--apply] [--grace-hours H]

Deletes the stored outputs (OUTPUT_STORE objects or MERGE_OUTPUT_DIR folders) of merged checkpoints
nothing references. Dry run by default: it lists what would go; --apply deletes. A merged
checkpoint is referenced while it has an evaluation that did not fail (its metrics, ensembles,
comparisons and leaderboard rows hang off it), while it is a parent of another merged checkpoint
that did not fail, or while it is younger than the grace period. Needs an operator key.

Options:
  --apply           delete (default: dry run)
  --grace-hours H   keep outputs younger than H hours (default 24)`;

const GcResultSchema = z.object({
  dry_run: z.boolean(),
  grace_seconds: z.number(),
  outputs: z.array(z.object({ checkpoint: z.string(), merge: z.string(), position: z.number(), url: z.string(), backend_job: z.string() })),
  deleted: z.number(),
  errors: z.array(z.object({ checkpoint: z.string(), error: z.string() })),
});

const spec: CommandSpec = {
  name: "gc",
  help: HELP,
  options: { apply: { type: "boolean" }, "grace-hours": { type: "string" } },
  async run(ctx) {
    const hours = intOption(ctx.values, "grace-hours", { max: 24 * 365 });
    const body = { apply: ctx.values.apply === true, ...(hours !== undefined ? { grace_seconds: hours * 3600 } : {}) };
    const result = await ctx.client.post("/v1/gc", body, GcResultSchema);
    output(ctx, result, () =>
      [
        result.outputs.length
          ? renderTable(
              [{ header: "checkpoint" }, { header: "merge" }, { header: "backend job" }, { header: "output" }],
              result.outputs.map((o) => [o.checkpoint, o.merge, o.backend_job, o.url]),
            )
          : "No unreferenced merge outputs.",
        result.dry_run
          ? `Dry run: ${result.outputs.length} output(s) would be deleted; run again with --apply to delete them.`
          : `Deleted ${result.deleted} of ${result.outputs.length} output(s).` +
            (result.errors.length ? `\nFailed: ${result.errors.map((e) => `${e.checkpoint}: ${e.error}`).join("; ")}` : ""),
      ].join("\n"),
    );
    return result.errors.length ? EXIT.api : EXIT.ok;
  },
};

export function run(argv: string[]): Promise<number> {
  return runCommand(spec, argv);
}
export { spec as gcCommand };
