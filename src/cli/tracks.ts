// `frontier tracks`: the tracks the leaderboard ranks on (GET /v1/tracks) as a table.
import { z } from "zod";
import { TrackSchema } from "@frontier/contracts";
import { EXIT } from "./api/client.ts";
import { output, runCommand, UsageError, type CommandSpec } from "./api/command.ts";
import { renderTable } from "./api/table.ts";

const HELP = `Usage: frontier tracks

Every track: a benchmark version, a fixed protocol (setting, language, n, temperature, top_p,
max_tokens, seed) and a problem set. Only complete evaluations that follow a track's protocol
and cover its problem set rank on it. No key needed.`;

const spec: CommandSpec = {
  name: "tracks",
  help: HELP,
  options: {},
  async run(ctx) {
    if (ctx.positionals.length) throw new UsageError(`unexpected argument '${ctx.positionals[0]}'`);
    const { data } = await ctx.client.get("/v1/tracks", z.object({ data: z.array(TrackSchema) }));
    output(ctx, data, () =>
      data.length === 0
        ? "no tracks yet (an operator creates them: POST /v1/tracks)"
        : renderTable(
            [
              { header: "track" },
              { header: "benchmark" },
              { header: "setting" },
              { header: "n", align: "right" },
              { header: "T", align: "right" },
              { header: "top_p", align: "right" },
              { header: "max_tokens", align: "right" },
              { header: "seed", align: "right" },
              { header: "problems" },
            ],
            data.map((t) => [
              t.id,
              t.benchmark.name,
              `${t.protocol.setting}/${t.protocol.language}`,
              String(t.protocol.n),
              String(t.protocol.temperature),
              String(t.protocol.top_p),
              String(t.protocol.max_tokens),
              String(t.protocol.seeding.seed),
              `${t.problems.length}${t.split ? ` (${t.split})` : " (all)"}`,
            ]),
          ),
    );
    return EXIT.ok;
  },
};

export function run(argv: string[]): Promise<number> {
  return runCommand(spec, argv);
}
export { spec as tracksCommand };
