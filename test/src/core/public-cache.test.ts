// Public reads from the cache, inside workerd (D1, the Cache API): a hit after a miss, a new
// metrics row shows at once (the trigger bumps the version), requests with credentials and
// private paths are never cached, and the isolate's one-second trust in the version it read.
import { createExecutionContext, env, SELF, waitOnExecutionContext } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../../src/app.ts";
import { readPublicVersion } from "../../../src/http/public-cache.ts";
import { buildPorts, createWorker, type Env, QUEUE_CONSUMERS } from "../../../src/runtime/workers.ts";
import { buildSeed, type Seed } from "../leaderboard/fixture.ts";
import { apiKey } from "../pipeline/doubles.ts";

const DB = (env as unknown as { DB: D1Database }).DB;
const get = (path: string, headers: Record<string, string> = {}) => SELF.fetch(new URL(path, "https://frontier.test").href, { headers });
const version = async () => (await DB.prepare("SELECT version FROM public_versions WHERE scope = 'public'").first<{ version: number }>())!.version;

let seed: Seed;
let heldBack: string;
let heldBackCheckpoint: Seed["checkpoints"][number];
let leaderboard: string;

beforeAll(async () => {
  seed = buildSeed({ prefix: "pc" });
  // Everything but one checkpoint's metrics row: the test stores it later, as the pipeline would.
  heldBackCheckpoint = seed.checkpoints.find((c) => c.alpha === 0.5)!;
  const index = seed.statements.findIndex((s) => s.startsWith("INSERT INTO evaluation_metrics") && s.includes(`'${heldBackCheckpoint.evaluation}'`));
  expect(index).toBeGreaterThanOrEqual(0);
  heldBack = seed.statements[index]!;
  const rest = seed.statements.filter((_, i) => i !== index);
  await DB.batch(rest.map((statement) => DB.prepare(statement)));
  leaderboard = `/v1/leaderboard?benchmark=${encodeURIComponent(seed.benchmark.id)}&k=1&limit=100`;
});

describe("public reads from the cache", () => {
  it("answers a miss, then a hit with the same body and ETag; If-None-Match on a hit is a 304", async () => {
    const first = await get(leaderboard);
    expect(first.status).toBe(200);
    expect(first.headers.get("x-cache")).toBe("miss");
    const body = await first.text();
    const second = await get(leaderboard);
    expect(second.headers.get("x-cache")).toBe("hit");
    expect(await second.text()).toBe(body);
    expect(second.headers.get("etag")).toBe(first.headers.get("etag"));
    expect(second.headers.get("cache-control")).toMatch(/^public/);
    expect(second.headers.get("access-control-allow-origin")).toBe("*");
    const revalidated = await get(leaderboard, { "if-none-match": first.headers.get("etag")! });
    expect(revalidated.status).toBe(304);

    for (const path of ["/v1/tracks", `/?benchmark=${encodeURIComponent(seed.benchmark.id)}`]) {
      expect((await get(path)).headers.get("x-cache"), path).toBe("miss");
      expect((await get(path)).headers.get("x-cache"), path).toBe("hit");
    }
  });

  it("shows a new metrics row at once: the trigger bumps the version, so the next read misses", async () => {
    const before: any = await (await get(leaderboard)).json();
    const row = (body: any) => body.data.find((r: any) => r.id === heldBackCheckpoint.id);
    expect(row(before)?.pass_at_k ?? null).toBeNull();
    expect((await get(leaderboard)).headers.get("x-cache")).toBe("hit");

    const v0 = await version();
    await DB.prepare(heldBack).run();
    expect(await version()).toBe(v0 + 1);

    const after = await get(leaderboard);
    expect(after.headers.get("x-cache")).toBe("miss");
    expect(row(await after.json()).pass_at_k).toBe(heldBackCheckpoint.passAt["pass@1"]);
    expect((await get(leaderboard)).headers.get("x-cache")).toBe("hit");
  });

  it("bumps the version on tracks, checkpoints, ensembles and an evaluation's status, not on its progress", async () => {
    const v0 = await version();
    await DB.prepare("UPDATE checkpoints SET label = 'relabelled' WHERE id = ?").bind(heldBackCheckpoint.id).run();
    expect(await version()).toBe(v0 + 1);
    await DB.prepare("UPDATE evaluations SET updated_at = 'later' WHERE id = ?").bind(heldBackCheckpoint.evaluation).run();
    expect(await version()).toBe(v0 + 1);
    await DB.prepare("UPDATE evaluations SET status = status WHERE id = ?").bind(heldBackCheckpoint.evaluation).run();
    expect(await version()).toBe(v0 + 2);
    await DB.prepare("UPDATE ensembles SET id = id WHERE id = ?").bind(seed.ensembleId).run();
    expect(await version()).toBe(v0 + 3);
  });

  // Before the test below adds a track (the leaderboard then defaults to it, with no rows).
  it("answers a repeated read in the Worker entry, before the app: the same answer; credentials, HEAD and a write still reach the app", async () => {
    // A Worker of its own (its own isolate state) with the default trust of one second.
    const worker = createWorker(QUEUE_CONSUMERS);
    const workerEnv = { ...(env as unknown as Env), PUBLIC_VERSION_TTL_MS: undefined } as Env;
    const fetchEntry = async (path: string, init?: RequestInit) => {
      const ctx = createExecutionContext();
      const response = await worker.fetch(new Request(new URL(path, "https://frontier.test"), init), workerEnv, ctx);
      await waitOnExecutionContext(ctx);
      return response;
    };
    const path = `/v1/leaderboard?benchmark=${encodeURIComponent(seed.benchmark.id)}&k=1&limit=99`;
    const missed = await fetchEntry(path);
    expect(missed.headers.get("x-cache")).toBe("miss");
    const body = await missed.text();
    const hit = await fetchEntry(path);
    expect(hit.headers.get("x-cache")).toBe("hit");
    expect(await hit.text()).toBe(body);
    for (const header of ["etag", "access-control-allow-origin", "cache-control", "content-type"]) {
      expect(hit.headers.get(header), header).toBe(missed.headers.get(header));
    }
    const notModified = await fetchEntry(path, { headers: { "if-none-match": missed.headers.get("etag")! } });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get("access-control-allow-origin")).toBe("*");
    // Not from the memo: a key's read (private), and a HEAD.
    const withKey = await fetchEntry(path, { headers: { authorization: `Bearer ${await apiKey(["read"])}` } });
    expect(withKey.headers.get("x-cache")).toBeNull();
    expect(withKey.headers.get("cache-control")).toBe("private, no-store");
    expect((await fetchEntry(path, { method: "HEAD" })).headers.get("x-cache")).not.toBe("hit");
    // A write through this Worker (even a refused one) makes its next read ask D1 again, so a
    // result stored meanwhile shows at once.
    const shown = (JSON.parse(body) as { data: { kind: string; id: string }[] }).data.find((row) => row.kind === "checkpoint")!.id;
    await DB.prepare("UPDATE checkpoints SET label = 'entry-relabelled' WHERE id = ?").bind(shown).run();
    expect((await fetchEntry(path)).headers.get("x-cache")).toBe("hit"); // within the second it trusts
    expect((await fetchEntry("/v1/tracks", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).status).toBe(401);
    const fresh = await fetchEntry(path);
    expect(fresh.headers.get("x-cache")).toBe("miss");
    expect(await fresh.text()).toContain("entry-relabelled");
  });

  it("never caches a request with credentials, a private path, a run's page or an error", async () => {
    expect((await get(leaderboard)).headers.get("x-cache")).not.toBeNull();
    const authorized = await get(leaderboard, { authorization: `Bearer ${await apiKey(["read"])}` });
    expect(authorized.status).toBe(200);
    expect(authorized.headers.get("x-cache")).toBeNull();
    expect(authorized.headers.get("cache-control")).toBe("private, no-store");
    const withCookie = await get(leaderboard, { cookie: "session=1" });
    expect(withCookie.headers.get("x-cache")).toBeNull();

    for (const path of [
      `/v1/runs/${encodeURIComponent(seed.mergeRun)}/frontier`,
      `/v1/checkpoints/${heldBackCheckpoint.id}`,
      `/v1/evaluations/${heldBackCheckpoint.evaluation}`,
      `/?run=${encodeURIComponent(seed.mergeRun)}`,
      "/v1/submissions",
    ]) {
      await get(path);
      expect((await get(path)).headers.get("x-cache"), path).toBeNull();
    }
    const missing = "/v1/tracks/no-such-track";
    expect((await get(missing)).status).toBe(404);
    const again = await get(missing);
    expect(again.status).toBe(404);
    expect(again.headers.get("x-cache")).toBe("miss");
  });

  it("trusts the version it read for PUBLIC_VERSION_TTL_MS (default 1 s), and forgets it after a write through the app", async () => {
    let now = Date.parse("2026-12-01T00:00:00Z");
    const base = buildPorts({ ...(env as unknown as Env), PUBLIC_VERSION_TTL_MS: undefined });
    expect(base.config.PUBLIC_VERSION_TTL_MS).toBeUndefined();
    const ports = { ...base, clock: { now: () => new Date(now) } };
    const app = createApp(ports);
    const fetchApp = (path: string, init?: RequestInit) => app.fetch(new Request(new URL(path, "https://frontier.test"), init), env);
    const tracks = "/v1/tracks";
    await DB.prepare(
      "INSERT INTO tracks (id, benchmark, benchmark_version, setting, language, n, temperature, top_p, max_tokens, seed, problems, created_at) " +
        "VALUES ('pc-other-track', ?, ?, 'reasoning', 'python', 20, 1, 1, 1024, 0, '[]', '2026-12-01T00:00:00Z')",
    )
      .bind(seed.benchmark.name, seed.benchmark.version)
      .run();

    const missed = await fetchApp(tracks);
    expect(missed.headers.get("x-cache")).toBe("miss");
    // Within the second the fast path answers in full: the same body, ETag, CORS and Cache-Control, and 304 on If-None-Match.
    const fast = await fetchApp(tracks);
    expect(fast.headers.get("x-cache")).toBe("hit");
    expect(await fast.text()).toBe(await missed.text());
    for (const header of ["etag", "access-control-allow-origin", "cache-control", "content-type"]) {
      expect(fast.headers.get(header), header).toBe(missed.headers.get(header));
    }
    const notModified = await fetchApp(tracks, { headers: { "if-none-match": missed.headers.get("etag")! } });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get("access-control-allow-origin")).toBe("*");
    expect(notModified.headers.get("etag")).toBe(missed.headers.get("etag"));
    expect(await notModified.text()).toBe("");
    const withKey = await fetchApp(tracks, { headers: { authorization: "Bearer x" } });
    expect(withKey.headers.get("x-cache")).toBeNull();
    await DB.prepare("UPDATE tracks SET description = 'changed' WHERE id = 'pc-track'").run();
    now += 500;
    expect((await fetchApp(tracks)).headers.get("x-cache")).toBe("hit"); // within the second it trusts
    now += 500;
    expect((await fetchApp(tracks)).headers.get("x-cache")).toBe("miss");
    expect((await fetchApp(tracks)).headers.get("x-cache")).toBe("hit");

    // A write through this app (even a rejected one) makes the next read ask D1 again.
    await DB.prepare("UPDATE tracks SET description = 'changed again' WHERE id = 'pc-track'").run();
    const write = await fetchApp("/v1/tracks", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(write.status).toBe(401);
    const fresh = await fetchApp(tracks);
    expect(fresh.headers.get("x-cache")).toBe("miss");
    expect(JSON.stringify(await fresh.json())).toContain("changed again");
    expect(await readPublicVersion(ports.db)).toBe(await version());
  });

  it("serves another isolate's miss from the shared cache (caches.default) when its own memo is empty", async () => {
    const path = `/v1/leaderboard?benchmark=${encodeURIComponent(seed.benchmark.id)}&k=2`;
    const isolate = () => createApp(buildPorts(env as unknown as Env));
    const ctx = createExecutionContext();
    const first = await isolate().fetch(new Request(`https://frontier.test${path}`), env, ctx);
    expect(first.headers.get("x-cache")).toBe("miss");
    await waitOnExecutionContext(ctx);
    const second = await isolate().fetch(new Request(`https://frontier.test${path}`), env, createExecutionContext());
    expect(second.headers.get("x-cache")).toBe("hit");
    expect(await second.text()).toBe(await first.text());
  });
});
