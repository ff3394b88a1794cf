// `frontier runs policy RUN --track T [--every K]`: continuous evaluation of a training run
// (PUT /v1/runs/{run}/policy); without --track, the run's policy and what it started (GET).
import { EXIT } from "./api/client.ts";
import { intOption, output, runCommand, stringOption, UsageError, type CommandSpec } from "./api/command.ts";

const HELP = `Usage: frontier runs policy RUN --track T[,T2…] [--every K]
       frontier runs policy RUN

Evaluate every signed checkpoint.saved of the training run RUN automatically on each track, under
the track's protocol (--every K: only steps that are multiples of K; default 1). Replaces an
earlier policy of the run; needs a submit or admin key. Without --track, shows the run's policy
and the evaluations it started (no key needed).`;

interface Policy {
  run: string;
  tracks: string[];
  every_steps: number;
  evaluations: { checkpoint: string; step: number; track: string; evaluation: string }[];
}

const spec: CommandSpec = {
  name: "runs",
  help: HELP,
  options: { track: { type: "string" }, every: { type: "string" } },
  async run(ctx) {
    const [sub, run, extra] = ctx.positionals;
    if (sub !== "policy") throw new UsageError(sub ? `unknown subcommand '${sub}' (expected 'policy')` : "expected 'policy RUN'");
    if (!run) throw new UsageError("expected a run name: frontier runs policy RUN");
    if (extra) throw new UsageError(`unexpected argument '${extra}'`);
    const trackText = stringOption(ctx.values, "track");
    const every = intOption(ctx.values, "every", { min: 1 });
    if (every !== undefined && trackText === undefined) throw new UsageError("--every needs --track");
    const path = `/v1/runs/${encodeURIComponent(run)}/policy`;
    const policy =
      trackText === undefined
        ? await ctx.client.request<Policy>("GET", path)
        : await ctx.client.request<Policy>("PUT", path, {
            body: {
              tracks: trackText
                .split(",")
                .map((t) => t.trim())
                .filter(Boolean),
              ...(every !== undefined ? { every_steps: every } : {}),
            },
          });
    output(ctx, policy, () =>
      [
        `run ${policy.run}: every checkpoint.saved at a multiple of step ${policy.every_steps} is evaluated on ${policy.tracks.join(", ")}`,
        ...policy.evaluations.map((e) => `  step ${e.step}  ${e.track}  ${e.evaluation}  (checkpoint ${e.checkpoint})`),
      ].join("\n"),
    );
    return EXIT.ok;
  },
};

export function run(argv: string[]): Promise<number> {
  return runCommand(spec, argv);
}
export { spec as runsCommand };
