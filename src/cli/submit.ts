// `frontier submit URL --track T [--watch]`: POST /v1/submissions, then optionally follow it.
import { SubmissionSchema, type Submission } from "@frontier/contracts";
import { EXIT } from "./api/client.ts";
import { output, requireOption, runCommand, stringOption, UsageError, type CommandSpec } from "./api/command.ts";
import { sleep } from "./api/resources.ts";

const HELP = `Usage: frontier submit URL --track TRACK [--label TEXT] [--watch]

Submits a checkpoint URL for evaluation on a track (a key with the submit scope in
FRONTIER_API_KEY). It runs under the track's protocol; a URL already evaluated on the track
answers with the existing result. Quotas per key: samples per day and submissions in flight.

Options:
  --track TRACK   the track (see \`frontier tracks\`)
  --label TEXT    a label for the checkpoint
  --watch         follow the submission (queue position, progress) until it finishes;
                  exit status 1 when it failed`;

const FINISHED = new Set(["complete", "complete_with_errors", "failed", "cancelled"]);

function line(s: Submission): string {
  const where = s.status === "queued" && s.position !== null ? ` (position ${s.position})` : "";
  return `${s.id} ${s.status}${where}: ${s.progress.judged}/${s.progress.requested} judged, checkpoint ${s.checkpoint}, evaluation ${s.evaluation}`;
}

const spec: CommandSpec = {
  name: "submit",
  help: HELP,
  options: { track: { type: "string" }, label: { type: "string" }, watch: { type: "boolean" } },
  async run(ctx) {
    const [url, ...rest] = ctx.positionals;
    if (!url) throw new UsageError("give the checkpoint URL");
    if (rest.length) throw new UsageError(`unexpected argument '${rest[0]}'`);
    const track = requireOption(ctx.values, "track", " (see `frontier tracks`)");
    const label = stringOption(ctx.values, "label");
    let submission = await ctx.client.post("/v1/submissions", { url, track, ...(label !== undefined ? { label } : {}) }, SubmissionSchema);
    if (ctx.values.watch) {
      let last = "";
      while (!FINISHED.has(submission.status)) {
        const text = line(submission);
        if (text !== last) ctx.note(text);
        last = text;
        await sleep(1000);
        submission = await ctx.client.get(`/v1/submissions/${encodeURIComponent(submission.id)}`, SubmissionSchema);
      }
    }
    output(ctx, submission, () => line(submission));
    return submission.status === "failed" ? EXIT.api : EXIT.ok;
  },
};

export function run(argv: string[]): Promise<number> {
  return runCommand(spec, argv);
}
export { spec as submitCommand };
