// `frontier leaderboard`: the public leaderboard (GET /v1/leaderboard) as a table.
import { EXIT } from "./api/client.ts";
import { intOption, output, runCommand, stringOption, UsageError, type CommandSpec } from "./api/command.ts";
import { alphaText, orDash, percent, renderTable } from "./api/table.ts";

const HELP = `Usage: frontier leaderboard [--benchmark NAME] [--k K] [--kind checkpoint|ensemble] [--limit N]

Ranks checkpoints (and ensembles) by pass@k on a benchmark, with standard errors, correctness- and
efficiency-failure rates, samples per problem, run and lineage (α for merge-grid points). The same
data as the page at / of the API. No key needed.

Options:
  --benchmark NAME   which benchmark (default: the API's default)
  --k K              rank by pass@K (default: the API's default)
  --kind KIND        checkpoint | ensemble (default: both)
  --limit N          at most N rows (default 50; follows pages)`;

export interface LeaderboardRow {
  kind?: string;
  id?: string;
  checkpoint?: string | null;
  ensemble?: string | null;
  label?: string | null;
  run?: string | null;
  k?: number;
  pass_at_k?: number | null;
  se?: number | null;
  correctness_failure_rate?: number | null;
  efficiency_failure_rate?: number | null;
  n?: number | null;
  samples_per_problem?: number | null;
  alpha?: number | null;
  lineage?: { alpha?: number | null } | null;
  [more: string]: unknown;
}

const spec: CommandSpec = {
  name: "leaderboard",
  help: HELP,
  options: { benchmark: { type: "string" }, k: { type: "string" }, kind: { type: "string" }, limit: { type: "string" } },
  async run(ctx) {
    if (ctx.positionals.length) throw new UsageError(`unexpected argument '${ctx.positionals[0]}'`);
    const kind = stringOption(ctx.values, "kind");
    if (kind !== undefined && kind !== "checkpoint" && kind !== "ensemble") throw new UsageError("--kind must be checkpoint or ensemble");
    const k = intOption(ctx.values, "k", { min: 1 });
    const limit = intOption(ctx.values, "limit", { min: 1 }) ?? 50;
    const rows = await ctx.client.all<LeaderboardRow>(
      "/v1/leaderboard",
      { benchmark: stringOption(ctx.values, "benchmark"), k, kind, limit: Math.min(limit, 100) },
      limit,
    );
    output(ctx, rows, () => (rows.length === 0 ? "the leaderboard is empty" : leaderboardTable(rows)));
    return EXIT.ok;
  },
};

export function run(argv: string[]): Promise<number> {
  return runCommand(spec, argv);
}
export { spec as leaderboardCommand };

export function leaderboardTable(rows: LeaderboardRow[]): string {
  const k = rows.find((r) => typeof r.k === "number")?.k;
  return renderTable(
    [
      { header: "#", align: "right" },
      { header: "kind" },
      { header: "id" },
      { header: "run" },
      { header: "α", align: "right" },
      { header: k ? `pass@${k}` : "pass@k", align: "right" },
      { header: "± se", align: "right" },
      { header: "correctness fail", align: "right" },
      { header: "efficiency fail", align: "right" },
      { header: "n", align: "right" },
    ],
    rows.map((r, i) => [
      String(i + 1),
      orDash(r.kind),
      orDash(r.id ?? r.checkpoint ?? r.ensemble),
      orDash(r.run),
      alphaText(r.alpha ?? r.lineage?.alpha ?? null),
      percent(r.pass_at_k),
      percent(r.se),
      percent(r.correctness_failure_rate),
      percent(r.efficiency_failure_rate),
      orDash(r.samples_per_problem ?? r.n),
    ]),
  );
}
