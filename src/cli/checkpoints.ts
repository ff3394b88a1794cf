// `frontier checkpoints add|list|show`: register checkpoints and read them through a running API.
import { EXIT } from "./api/client.ts";
import { intOption, output, requireOption, runCommand, stringOption, UsageError, type CommandSpec, type Context } from "./api/command.ts";
import { CheckpointSchema } from "./api/resources.ts";
import { orDash, renderTable } from "./api/table.ts";

const HELP = `Usage:
  frontier checkpoints add --url URL --run RUN [--step N] [--label TEXT] [--metadata JSON] [--idempotency-key KEY]
  frontier checkpoints list [--run RUN] [--limit N]
  frontier checkpoints show ID

add   registers a checkpoint (POST /v1/checkpoints; needs a key with the submit scope). URL: hf://owner/repo[@rev],
      s3://bucket/key, https://…, or file:///… where the API allows file URLs (the local stack does).
      Training loops can instead send signed webhooks to /v1/hooks/training-runs (see docs/cli.md).
list  checkpoints oldest first, optionally of one run (all pages, or the first N with --limit).
show  one checkpoint with its lineage.`;

const spec: CommandSpec = {
  name: "checkpoints",
  help: HELP,
  options: {
    url: { type: "string" },
    run: { type: "string" },
    step: { type: "string" },
    label: { type: "string" },
    metadata: { type: "string" },
    "idempotency-key": { type: "string" },
    limit: { type: "string" },
  },
  async run(ctx) {
    const [action, ...rest] = ctx.positionals;
    if (action === "add") return add(ctx, rest);
    if (action === "list" || action === "ls") return list(ctx, rest);
    if (action === "show" || action === "get") return show(ctx, rest);
    throw new UsageError(action ? `unknown action '${action}' (add, list or show)` : "give an action: add, list or show");
  },
};

export function run(argv: string[]): Promise<number> {
  return runCommand(spec, argv);
}
export { spec as checkpointsCommand };

function noExtra(rest: string[]) {
  if (rest.length) throw new UsageError(`unexpected argument '${rest[0]}'`);
}

async function add(ctx: Context, rest: string[]): Promise<number> {
  noExtra(rest);
  const body: Record<string, unknown> = {
    url: requireOption(ctx.values, "url"),
    run: requireOption(ctx.values, "run"),
  };
  const step = intOption(ctx.values, "step");
  if (step !== undefined) body.step = step;
  const label = stringOption(ctx.values, "label");
  if (label !== undefined) body.label = label;
  const metadata = stringOption(ctx.values, "metadata");
  if (metadata !== undefined) {
    try {
      body.metadata = JSON.parse(metadata);
    } catch {
      throw new UsageError("--metadata must be a JSON object");
    }
    if (!body.metadata || typeof body.metadata !== "object" || Array.isArray(body.metadata)) throw new UsageError("--metadata must be a JSON object");
  }
  const key = stringOption(ctx.values, "idempotency-key");
  const created = await ctx.client.post("/v1/checkpoints", body, CheckpointSchema, key ? { "idempotency-key": key } : undefined);
  output(ctx, created, () => `registered ${created.id} (run ${created.run}${created.step !== null ? `, step ${created.step}` : ""}) → ${created.url}`);
  return EXIT.ok;
}

async function list(ctx: Context, rest: string[]): Promise<number> {
  noExtra(rest);
  const limit = intOption(ctx.values, "limit", { min: 1 });
  const run = stringOption(ctx.values, "run");
  const rows = await ctx.client.all("/v1/checkpoints", CheckpointSchema, { run, limit: Math.min(limit ?? 200, 200) }, limit);
  output(ctx, rows, () =>
    rows.length === 0
      ? `no checkpoints${run ? ` in run ${run}` : ""}`
      : renderTable(
          [
            { header: "id" },
            { header: "run" },
            { header: "step", align: "right" },
            { header: "label" },
            { header: "status" },
            { header: "source" },
            { header: "url" },
          ],
          rows.map((c) => [c.id, c.run, orDash(c.step), orDash(c.label), c.status, c.source, c.url]),
        ),
  );
  return EXIT.ok;
}

async function show(ctx: Context, rest: string[]): Promise<number> {
  if (rest.length !== 1) throw new UsageError("show needs exactly one checkpoint id");
  const checkpoint = await ctx.client.get(`/v1/checkpoints/${encodeURIComponent(rest[0])}`, CheckpointSchema);
  output(ctx, checkpoint, () => {
    const lines = [
      `${checkpoint.id}  ${checkpoint.status}  (${checkpoint.source})`,
      `  run    ${checkpoint.run}${checkpoint.step !== null ? `  step ${checkpoint.step}` : ""}`,
      `  label  ${orDash(checkpoint.label)}`,
      `  url    ${checkpoint.url}`,
    ];
    if (checkpoint.parents) lines.push(`  merge  ${checkpoint.parents.map((p) => `${p.coefficient}·${p.checkpoint}`).join(" + ")}`);
    return lines.join("\n");
  });
  return EXIT.ok;
}
