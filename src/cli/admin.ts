// `frontier admin status | replay-dlq`: the operator's view (GET /v1/admin/status) and a replay of
// the executions dead letters (POST /v1/admin/replay-dlq). Needs an admin key.
import { AdminStatusSchema, ReplayDlqSchema, type AdminStatus } from "@frontier/contracts";
import { EXIT } from "./api/client.ts";
import { output, runCommand, UsageError, type CommandSpec } from "./api/command.ts";
import { renderTable } from "./api/table.ts";

const HELP = `Usage: frontier admin status
       frontier admin replay-dlq

status      pending work per queue (counted from D1: a Worker cannot read a queue's backlog), the
            oldest sample waiting for a verdict, dead letters, the executor's and the backend's health
replay-dlq  re-queue the programs the executions dead-letter queue gave up on (their evaluations'
            SE samples), at most 50 evaluations per call
Needs an API key with the admin scope in $FRONTIER_API_KEY. Exit code 1 from status when the
executor or the backend is not ok.`;

function health(service: AdminStatus["executor"]): string {
  const latency = service.latency_ms === null ? "" : ` (${Math.round(service.latency_ms)} ms)`;
  return `${service.status}${latency}${service.error ? `: ${service.error}` : ""}`;
}

function renderStatus(status: AdminStatus): string {
  const { sampling, executions, dead_letters } = status.queues;
  const oldest = executions.oldest_pending_sample;
  const rows = [
    ["sampling", "evaluations queued or sampling", String(sampling.evaluations)],
    ["sampling", "merges running", String(sampling.merges)],
    ["executions", "samples waiting for a verdict", String(executions.pending_samples)],
    ["executions", "of them dispatched", String(executions.dispatched)],
    ["dead letters", "SE samples (replayable: frontier admin replay-dlq)", String(dead_letters.samples)],
    ["dead letters", "evaluations to replay", String(dead_letters.replayable_evaluations)],
    ["dead letters", "evaluations failed in sampling", String(dead_letters.failed_evaluations)],
  ];
  return [
    renderTable([{ header: "queue" }, { header: "what" }, { header: "count", align: "right" }], rows),
    "",
    `oldest pending sample: ${oldest ? `${oldest.evaluation} ${oldest.problem}#${oldest.index}, ${oldest.age_seconds} s old` : "none"}`,
    `executor: ${health(status.executor)}`,
    `backend:  ${health(status.backend)}`,
    status.queues.exposed ? "" : "(queue depths counted from D1; the queues' own backlog is in the Cloudflare dashboard)",
  ]
    .filter((line, i, all) => line !== "" || i < all.length - 1)
    .join("\n");
}

const spec: CommandSpec = {
  name: "admin",
  help: HELP,
  options: {},
  async run(ctx) {
    const [action, extra] = ctx.positionals;
    if (extra !== undefined) throw new UsageError(`unexpected argument '${extra}'`);
    if (action === "status") {
      const status = await ctx.client.get("/v1/admin/status", AdminStatusSchema);
      output(ctx, status, () => renderStatus(status));
      return status.executor.status === "ok" && status.backend.status === "ok" ? EXIT.ok : EXIT.api;
    }
    if (action === "replay-dlq") {
      const replay = await ctx.client.post("/v1/admin/replay-dlq", undefined, ReplayDlqSchema);
      output(ctx, replay, () =>
        replay.evaluations.length === 0
          ? "no dead letters to replay"
          : `re-queued ${replay.requeued} sample(s) of ${replay.evaluations.length} evaluation(s):\n` +
            replay.evaluations.map((e) => `  ${e.id}: ${e.requeued} re-queued, ${e.cached} answered by the verdict cache`).join("\n"),
      );
      return EXIT.ok;
    }
    throw new UsageError(action === undefined ? "name an action: status or replay-dlq" : `unknown action '${action}' (status or replay-dlq)`);
  },
};

export function run(argv: string[]): Promise<number> {
  return runCommand(spec, argv);
}
export { spec as adminCommand };
