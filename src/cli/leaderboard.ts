// `frontier leaderboard`: the public leaderboard (GET /v1/leaderboard) as a table.
import { SETTINGS } from "@frontier/contracts";
import { EXIT } from "./api/client.ts";
import { intOption, output, runCommand, stringOption, UsageError, type CommandSpec } from "./api/command.ts";
import { alphaText, orDash, percent, points, renderTable } from "./api/table.ts";
import { LeaderboardSchema, type Leaderboard as LeaderboardPage, type LeaderboardRow } from "./api/resources.ts";

const HELP = `Usage: frontier leaderboard [--track TRACK] [--benchmark NAME[@VERSION]] [--setting S] [--k K] [--kind checkpoint|ensemble] [--limit N]

Checkpoints (each with its latest complete evaluation) and ensembles ranked by pass@k on one
benchmark, with the standard error over problems, correctness- and efficiency-failure rates,
samples per problem, run and lineage (α for merge-grid points; an ensemble's gain over its best
single member at the same budget). The same data as the page at / of the API. No key needed.

Options:
  --track TRACK      rank on this track: only complete evaluations that follow its protocol
                     (default: the benchmark's first track; see \`frontier tracks\`)
  --benchmark NAME   name (its latest version with results) or name@version (default: the API's choice)
  --setting S        only rows of this inference setting: reasoning, tool or agentic (default every setting)
  --k K              rank by pass@K (default 1); ensembles appear at k = their budget
  --kind KIND        only checkpoint or only ensemble rows
  --limit N          at most N rows (default 50; follows pages)`;

export type { LeaderboardPage, LeaderboardRow };

const spec: CommandSpec = {
  name: "leaderboard",
  help: HELP,
  options: {
    track: { type: "string" },
    benchmark: { type: "string" },
    setting: { type: "string" },
    k: { type: "string" },
    kind: { type: "string" },
    limit: { type: "string" },
  },
  async run(ctx) {
    if (ctx.positionals.length) throw new UsageError(`unexpected argument '${ctx.positionals[0]}'`);
    const kind = stringOption(ctx.values, "kind");
    if (kind !== undefined && kind !== "checkpoint" && kind !== "ensemble") throw new UsageError("--kind must be checkpoint or ensemble");
    const setting = stringOption(ctx.values, "setting");
    if (setting !== undefined && !(SETTINGS as readonly string[]).includes(setting)) throw new UsageError(`--setting must be one of ${SETTINGS.join(", ")}`);
    const k = intOption(ctx.values, "k", { min: 1 });
    const limit = intOption(ctx.values, "limit", { min: 1 }) ?? 50;
    const query = { track: stringOption(ctx.values, "track"), benchmark: stringOption(ctx.values, "benchmark"), setting, k, kind, limit: Math.min(limit, 100) };
    let page = await ctx.client.get("/v1/leaderboard", LeaderboardSchema, query);
    const rows = [...page.data];
    while (page.next_cursor && rows.length < limit) {
      page = await ctx.client.get("/v1/leaderboard", LeaderboardSchema, { ...query, cursor: page.next_cursor });
      rows.push(...page.data);
    }
    const result = { benchmark: page.benchmark, track: page.track, k: page.k, kind: page.kind, data: rows.slice(0, limit) };
    output(ctx, result, () =>
      result.data.length === 0
        ? `the leaderboard is empty${result.benchmark ? ` for ${result.benchmark.name}` : ""}`
        : `${result.benchmark ? `${result.benchmark.name} (${result.benchmark.version.slice(0, 19)}…), ` : ""}${result.track ? `track ${result.track}, ` : "no track (ad-hoc), "}ranked by pass@${result.k}\n${leaderboardTable(result.data, result.k)}`,
    );
    return EXIT.ok;
  },
};

export function run(argv: string[]): Promise<number> {
  return runCommand(spec, argv);
}
export { spec as leaderboardCommand };

export function leaderboardTable(rows: LeaderboardRow[], k: number): string {
  return renderTable(
    [
      { header: "#", align: "right" },
      { header: "kind" },
      { header: "id" },
      { header: "run / label" },
      { header: "α", align: "right" },
      { header: `pass@${k}`, align: "right" },
      { header: "± se", align: "right" },
      { header: "correctness fail", align: "right" },
      { header: "efficiency fail", align: "right" },
      { header: "n", align: "right" },
      { header: "vs best single", align: "right" },
    ],
    rows.map((r, i) => [
      String(i + 1),
      r.kind,
      r.id,
      [r.run, r.label].filter(Boolean).join(" / ") || "—",
      alphaText(r.lineage?.alpha),
      percent(r.pass_at_k),
      percent(r.se),
      percent(r.correctness_failure_rate),
      percent(r.efficiency_failure_rate),
      orDash(r.samples_per_problem),
      r.ensemble ? points(r.ensemble.gain) : "",
    ]),
  );
}
