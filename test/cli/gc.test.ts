// `frontier gc` against a fetch double that answers as POST /v1/gc does: the body it sends (dry run
// by default, --apply, --grace-hours in seconds), what it prints, and its exit codes.
import { describe, expect, it } from "vitest";
import { runCommand } from "../../src/cli/api/command.ts";
import { gcCommand } from "../../src/cli/gc.ts";

const output = { checkpoint: "ckpt_1", merge: "merge_1", position: 0, url: "s3://outputs/merge_1/0/", backend_job: "job_1" };

async function invoke(argv: string[], answer: (body: unknown) => Response) {
  const out: string[] = [];
  const requests: { method: string; url: string; auth: string | null; body: unknown }[] = [];
  const fetchImpl = (async (url: string, init?: RequestInit) => {
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    requests.push({ method: init?.method ?? "GET", url: String(url), auth: new Headers(init?.headers).get("authorization"), body });
    return answer(body);
  }) as typeof fetch;
  const code = await runCommand(gcCommand, argv, {
    env: { FRONTIER_API_KEY: "op", FRONTIER_API_URL: "http://api.test" },
    fetch: fetchImpl,
    stdout: (t) => out.push(t),
    stderr: () => {},
  });
  return { code, stdout: out.join("\n"), requests };
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

describe("frontier gc", () => {
  it("is a dry run by default: lists what would go and deletes nothing", async () => {
    const { code, stdout, requests } = await invoke([], () => json({ dry_run: true, grace_seconds: 86400, outputs: [output], deleted: 0, errors: [] }));
    expect(code).toBe(0);
    expect(requests).toEqual([{ method: "POST", url: "http://api.test/v1/gc", auth: "Bearer op", body: { apply: false } }]);
    expect(stdout).toContain("s3://outputs/merge_1/0/");
    expect(stdout).toContain("Dry run: 1 output(s) would be deleted");
  });

  it("--apply --grace-hours H deletes with the grace period in seconds; a failed delete is exit 1", async () => {
    const done = await invoke(["--apply", "--grace-hours", "2"], () =>
      json({ dry_run: false, grace_seconds: 7200, outputs: [output], deleted: 1, errors: [] }),
    );
    expect(done.code).toBe(0);
    expect(done.requests[0].body).toEqual({ apply: true, grace_seconds: 7200 });
    expect(done.stdout).toContain("Deleted 1 of 1 output(s).");
    const failed = await invoke(["--apply"], () =>
      json({ dry_run: false, grace_seconds: 86400, outputs: [output], deleted: 0, errors: [{ checkpoint: "ckpt_1", error: "backend unreachable" }] }),
    );
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain("Failed: ckpt_1: backend unreachable");
  });

  it("nothing unreferenced is said plainly; a bad --grace-hours is a usage error (exit 2) with no request", async () => {
    const empty = await invoke([], () => json({ dry_run: true, grace_seconds: 86400, outputs: [], deleted: 0, errors: [] }));
    expect(empty.stdout).toContain("No unreferenced merge outputs.");
    const bad = await invoke(["--grace-hours", "soon"], () => json({}));
    expect(bad.code).toBe(2);
    expect(bad.requests).toEqual([]);
  });
});
