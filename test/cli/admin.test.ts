// `frontier admin status | replay-dlq` against a fetch double that answers as the API's contracts
// say (the same zod schemas validate it): the requests sent, the rendering, exit codes.
import { describe, expect, it } from "vitest";
import { AdminStatusSchema } from "@frontier/contracts";
import { adminCommand } from "../../src/cli/admin.ts";
import { runCommand } from "../../src/cli/api/command.ts";

const status = (backend: "ok" | "unreachable") =>
  AdminStatusSchema.parse({
    time: "2026-12-01T12:00:00.000Z",
    queues: {
      exposed: false,
      sampling: { evaluations: 2, merges: 1 },
      executions: {
        pending_samples: 37,
        dispatched: 30,
        oldest_pending_sample: { evaluation: "eval_1", problem: "two-sum", index: 4, received_at: "2026-12-01T11:58:00.000Z", age_seconds: 120 },
      },
      dead_letters: { samples: 5, replayable_evaluations: 1, failed_evaluations: 0 },
    },
    executor: { status: "ok", latency_ms: 12, detail: { status: "ok" } },
    backend: backend === "ok" ? { status: "ok", latency_ms: 8 } : { status: "unreachable", latency_ms: null, error: "connection refused" },
  });

async function invoke(argv: string[], answer: (url: string, init?: RequestInit) => Response) {
  const out: string[] = [];
  const err: string[] = [];
  const requests: { method: string; url: string; auth: string | null }[] = [];
  const fetchImpl = (async (url: string, init?: RequestInit) => {
    requests.push({ method: init?.method ?? "GET", url: String(url), auth: new Headers(init?.headers).get("authorization") });
    return answer(String(url), init);
  }) as typeof fetch;
  const code = await runCommand(adminCommand, argv, {
    env: { FRONTIER_API_KEY: "adm", FRONTIER_API_URL: "http://api.test" },
    fetch: fetchImpl,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
  });
  return { code, stdout: out.join("\n"), stderr: err.join("\n"), requests };
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

describe("frontier admin", () => {
  it("status: prints pending work, the oldest pending sample and health; exit 0 when both services are ok", async () => {
    const { code, stdout, requests } = await invoke(["status"], () => json(status("ok")));
    expect(code).toBe(0);
    expect(requests).toEqual([{ method: "GET", url: "http://api.test/v1/admin/status", auth: "Bearer adm" }]);
    expect(stdout).toMatch(/samples waiting for a verdict\s+37/);
    expect(stdout).toMatch(/evaluations to replay\s+1/);
    expect(stdout).toContain("oldest pending sample: eval_1 two-sum#4, 120 s old");
    expect(stdout).toContain("executor: ok (12 ms)");
  });

  it("status: exit 1 when a service is not ok; --json prints the API's answer", async () => {
    const { code, stdout } = await invoke(["status", "--json"], () => json(status("unreachable")));
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toEqual(status("unreachable"));
  });

  it("replay-dlq: POSTs and reports what was re-queued", async () => {
    const { code, stdout, requests } = await invoke(["replay-dlq"], () =>
      json({ evaluations: [{ id: "eval_1", requeued: 5, messages: 1, cached: 0 }], requeued: 5 }, 202),
    );
    expect(code).toBe(0);
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual(["POST http://api.test/v1/admin/replay-dlq"]);
    expect(stdout).toContain("re-queued 5 sample(s) of 1 evaluation(s)");
    const none = await invoke(["replay-dlq"], () => json({ evaluations: [], requeued: 0 }, 202));
    expect(none.stdout).toBe("no dead letters to replay");
  });

  it("a missing or unknown action is a usage error (exit 2); a 403 is exit 1", async () => {
    expect((await invoke([], () => json({}))).code).toBe(2);
    expect((await invoke(["purge"], () => json({}))).code).toBe(2);
    const forbidden = await invoke(
      ["status"],
      () =>
        new Response(JSON.stringify({ type: "forbidden", title: "Insufficient scope", status: 403 }), {
          status: 403,
          headers: { "content-type": "application/problem+json" },
        }),
    );
    expect(forbidden.code).toBe(1);
    expect(forbidden.stderr).toContain("Insufficient scope");
  });
});
