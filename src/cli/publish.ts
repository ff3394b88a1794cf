// `frontier publish EVALUATION --track T [--withdraw]`: POST (or DELETE) /v1/evaluations/{id}/publications.
import { PublicationSchema } from "@frontier/contracts";
import { EXIT } from "./api/client.ts";
import { output, requireOption, runCommand, UsageError, type CommandSpec } from "./api/command.ts";

const HELP = `Usage: frontier publish EVALUATION --track TRACK [--withdraw]

Publishes your team's evaluation on a track: once complete it ranks on the track's public
leaderboard and frontier, and its checkpoint becomes publicly readable (storage URL redacted).
Until then only your team's keys see the row. The evaluation must follow the track's protocol
and problem set. Needs a key with the submit scope in FRONTIER_API_KEY (admin to withdraw).

Options:
  --track TRACK   the track (see \`frontier tracks\`)
  --withdraw      take the evaluation off the track's public board instead`;

const spec: CommandSpec = {
  name: "publish",
  help: HELP,
  options: { track: { type: "string" }, withdraw: { type: "boolean" } },
  async run(ctx) {
    const [evaluation, ...rest] = ctx.positionals;
    if (!evaluation) throw new UsageError("give the evaluation id");
    if (rest.length) throw new UsageError(`unexpected argument '${rest[0]}'`);
    const track = requireOption(ctx.values, "track", " (see `frontier tracks`)");
    const path = `/v1/evaluations/${encodeURIComponent(evaluation)}/publications`;
    if (ctx.values.withdraw) {
      await ctx.client.request("DELETE", `${path}/${encodeURIComponent(track)}`);
      output(ctx, { track, evaluation, withdrawn: true }, () => `${evaluation} withdrawn from ${track}`);
      return EXIT.ok;
    }
    const publication = await ctx.client.request("POST", path, { body: { track }, schema: PublicationSchema });
    output(ctx, publication, () => `${evaluation} published on ${track} (${publication.published_at})`);
    return EXIT.ok;
  },
};

export function run(argv: string[]): Promise<number> {
  return runCommand(spec, argv);
}
export { spec as publishCommand };
