// `frontier tracks` and `frontier submit --watch` against a fetch double that answers as the API's
// contracts say (the same zod schemas validate it): the request sent, the watch loop, exit codes.
import { describe, expect, it } from "vitest";
import { PublicationSchema, SubmissionSchema, TrackSchema, type Submission } from "@frontier/contracts";
import { runCommand, type CommandSpec } from "../../src/cli/api/command.ts";
import { publishCommand } from "../../src/cli/publish.ts";
import { submitCommand } from "../../src/cli/submit.ts";
import { tracksCommand } from "../../src/cli/tracks.ts";

const track = TrackSchema.parse({
  id: "demo-reasoning",
  benchmark: { name: "demo", version: `sha256:${"a".repeat(64)}`, id: `demo@sha256:${"a".repeat(64)}` },
  protocol: { setting: "reasoning", language: "python", n: 8, temperature: 0.8, top_p: 0.95, max_tokens: 2048, seeding: { rule: "fixed", seed: 0 } },
  split: "held-out",
  problems: ["p1", "p2"],
  description: null,
  created_at: "2026-01-01T00:00:00.000Z",
});

function submission(status: Submission["status"], judged: number, position: number | null): Submission {
  return SubmissionSchema.parse({
    id: "sub_1",
    url: "hf://acme/x@rev",
    track: "demo-reasoning",
    label: null,
    checkpoint: "ckpt_1",
    evaluation: "eval_1",
    status,
    position,
    progress: { requested: 16, received: judged, judged },
    created_at: "2026-01-01T00:00:00.000Z",
    cancelled_at: null,
  });
}

async function invoke(spec: CommandSpec, argv: string[], fetchImpl: typeof fetch) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCommand(spec, argv, { env: { FRONTIER_API_KEY: "k" }, fetch: fetchImpl, stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

describe("frontier tracks", () => {
  it("lists the tracks with their protocol and problem set", async () => {
    const { code, stdout } = await invoke(tracksCommand, [], (async () => json({ data: [track] })) as typeof fetch);
    expect(code).toBe(0);
    expect(stdout).toContain("demo-reasoning");
    expect(stdout).toContain("2 (held-out)");
  });
});

describe("frontier submit", () => {
  it("posts {url, track, label} with the key and follows the queue with --watch until complete", async () => {
    const sent: { method: string; url: string; body: unknown; auth: string | null }[] = [];
    const states = [submission("running", 4, null), submission("complete", 16, null)];
    const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
      const url = String(input);
      sent.push({
        method: init?.method ?? "GET",
        url,
        body: init?.body ? JSON.parse(String(init.body)) : null,
        auth: new Headers(init?.headers).get("authorization"),
      });
      if (init?.method === "POST") return json(submission("queued", 0, 2), 202);
      return json(states.shift());
    }) as typeof fetch;
    const { code, stdout, stderr } = await invoke(submitCommand, ["hf://acme/x@rev", "--track", "demo-reasoning", "--label", "x", "--watch"], fetchImpl);
    expect(code).toBe(0);
    expect(sent[0]).toMatchObject({ method: "POST", body: { url: "hf://acme/x@rev", track: "demo-reasoning", label: "x" }, auth: "Bearer k" });
    expect(sent[0]!.url).toMatch(/\/v1\/submissions$/);
    expect(sent.slice(1).every((r) => r.url.endsWith("/v1/submissions/sub_1"))).toBe(true);
    expect(stderr).toContain("queued (position 2)");
    expect(stdout).toContain("complete: 16/16 judged");
  }, 10_000);

  it("shows a 429 quota problem and exits 1; a missing --track is a usage error", async () => {
    const quota = (async () =>
      new Response(
        JSON.stringify({ type: "about:blank", title: "Submission quota exceeded", status: 429, detail: "this key has 3 submissions queued or running" }),
        {
          status: 429,
          headers: { "content-type": "application/problem+json" },
        },
      )) as unknown as typeof fetch;
    const refused = await invoke(submitCommand, ["hf://acme/x@rev", "--track", "t"], quota);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("queued or running");
    expect((await invoke(submitCommand, ["hf://acme/x@rev"], quota)).code).toBe(2);
  });
});

describe("frontier publish", () => {
  it("posts {track} for the evaluation with the key; --withdraw deletes it; a 422 problem exits 1", async () => {
    const sent: { method: string; url: string; body: unknown; auth: string | null }[] = [];
    const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
      const url = String(input);
      sent.push({
        method: init?.method ?? "GET",
        url,
        body: init?.body ? JSON.parse(String(init.body)) : null,
        auth: new Headers(init?.headers).get("authorization"),
      });
      if (init?.method === "DELETE") return new Response(null, { status: 204 });
      return json(PublicationSchema.parse({ track: "demo-reasoning", evaluation: "eval_1", via: "api", published_at: "2026-01-01T00:00:00.000Z" }), 201);
    }) as typeof fetch;
    const published = await invoke(publishCommand, ["eval_1", "--track", "demo-reasoning"], fetchImpl);
    expect(published.code).toBe(0);
    expect(published.stdout).toContain("eval_1 published on demo-reasoning");
    expect(sent[0]).toMatchObject({ method: "POST", body: { track: "demo-reasoning" }, auth: "Bearer k" });
    expect(sent[0]!.url).toMatch(/\/v1\/evaluations\/eval_1\/publications$/);

    const withdrawn = await invoke(publishCommand, ["eval_1", "--track", "demo-reasoning", "--withdraw"], fetchImpl);
    expect(withdrawn.code).toBe(0);
    expect(sent[1]).toMatchObject({ method: "DELETE", body: null });
    expect(sent[1]!.url).toMatch(/\/v1\/evaluations\/eval_1\/publications\/demo-reasoning$/);

    const refuse = (async () =>
      new Response(
        JSON.stringify({ type: "about:blank", title: "Validation failed", status: 422, errors: [{ path: "track", message: "does not follow track t" }] }),
        { status: 422, headers: { "content-type": "application/problem+json" } },
      )) as unknown as typeof fetch;
    const refused = await invoke(publishCommand, ["eval_1", "--track", "t"], refuse);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("does not follow track t");
    expect((await invoke(publishCommand, ["eval_1"], refuse)).code).toBe(2);
  });
});
