// The executor's HTTP API: auth, problem+json errors, health, inline problems and packs (dir and URL).
import { createServer, type Server } from "node:http";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { buildManifest, ExecutorHealthSchema, JudgeResponseSchema, ProblemSchema } from "@frontier/contracts";
import { createExecutorApp, MAX_BODY_BYTES } from "../../../workers/executor/src/http/app.ts";
import { Judge } from "../../../workers/executor/src/judge.ts";
import { PackStore } from "../../../workers/executor/src/packs.ts";
import { startExecutor, type StartedExecutor } from "../../../workers/executor/src/server.ts";

const token = "test-token-123";
const problem = ProblemSchema.parse({
  id: "double",
  kind: "stdin",
  limits: { time_ms: 1000, memory_mb: 64 },
  tiers: [
    { name: "t0", tests: [{ input: "2\n", output: "4" }] },
    { name: "t1", tests: [{ input: "5\n", output: "10" }] },
  ],
});
const code = "print(int(input()) * 2)";

let root: string;
let executor: StartedExecutor;
let packServer: Server;
let packVersion: string;
const servedFiles = new Map<string, string>();
let requests = 0;

async function writePack(dir: string): Promise<string> {
  const { manifest, files } = await buildManifest("mini", [problem]);
  mkdirSync(join(dir, "mini", "problems"), { recursive: true });
  writeFileSync(join(dir, "mini", "manifest.json"), JSON.stringify(manifest));
  for (const [file, text] of files) writeFileSync(join(dir, "mini", file), text);
  return manifest.version;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "executor-server-"));
  packVersion = await writePack(join(root, "packs"));
  // A pack whose folder is not named after it, as packs/bundled holds "frontier-bundled".
  const { manifest: renamed, files: renamedFiles } = await buildManifest("renamed-pack", [problem]);
  mkdirSync(join(root, "packs", "folder", "problems"), { recursive: true });
  writeFileSync(join(root, "packs", "folder", "manifest.json"), JSON.stringify(renamed));
  for (const [file, text] of renamedFiles) writeFileSync(join(root, "packs", "folder", file), text);
  // Packs only the URL has: "remote", and "tampered" whose problem file no longer matches its manifest.
  for (const name of ["remote", "tampered"]) {
    const { manifest, files } = await buildManifest(name, [problem]);
    servedFiles.set(`/${name}/manifest.json`, JSON.stringify(manifest));
    for (const [file, text] of files) servedFiles.set(`/${name}/${file}`, name === "tampered" ? text.replace('"4"', '"5"') : text);
  }
  packServer = createServer((req, res) => {
    requests++;
    const body = servedFiles.get(req.url ?? "");
    res.writeHead(body === undefined ? 404 : 200, { "content-type": "application/json" });
    res.end(body ?? "{}");
  });
  await new Promise<void>((resolve) => packServer.listen(0, "127.0.0.1", resolve));
  executor = await startExecutor({
    PORT: "0",
    EXECUTOR_TOKEN: token,
    EXECUTOR_CONCURRENCY: "2",
    PACKS_DIR: join(root, "packs"),
    PACKS_URL: `http://127.0.0.1:${(packServer.address() as AddressInfo).port}`,
    PACKS_CACHE_DIR: join(root, "fetched"),
  });
});

afterAll(async () => {
  await executor?.close();
  packServer?.close();
  rmSync(root, { recursive: true, force: true });
});

function post(body: unknown, auth = `Bearer ${token}`): Promise<Response> {
  return fetch(`http://127.0.0.1:${executor.port}/v1/judge`, {
    method: "POST",
    headers: { authorization: auth, "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

describe("executor HTTP API", () => {
  it("reports health without auth", async () => {
    const response = await fetch(`http://127.0.0.1:${executor.port}/v1/health`);
    expect(response.status).toBe(200);
    const health = (await response.json()) as any;
    expect(health).toMatchObject({ status: "ok", sandbox: { available: true }, capacity: 2, running: 0, queue_depth: 0 });
    expect(health.versions.python).toMatch(/^3\./);
    expect(health.versions.gxx).toMatch(/^\d+\./);
    // the reference workload's speed, measured at start (reported, never applied to limits)
    expect(health.speed_factor).toBeGreaterThan(0);
    expect(health.retime_factor).toBe(1.5);
    expect(health.executor_version).toContain(`python/${health.versions.python}`);
    expect(health.executor_version).toContain(`g++/${health.versions.gxx}`);
    expect(health.executor_version).toMatch(/^frontier-executor\/\d+ /);
  });

  it("requires the bearer token", async () => {
    // A missing or wrong token is 401; an Authorization header that is not a bearer token is a
    // malformed request (400, RFC 6750 invalid_request), as hono/bearer-auth decides.
    for (const [auth, status] of [
      ["", 401],
      ["Bearer wrong", 401],
      [`Basic ${token}`, 400],
    ] as const) {
      const response = await post({ problem, submissions: [{ language: "python", code }] }, auth);
      expect(response.status, auth).toBe(status);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      expect(response.headers.get("www-authenticate")).toMatch(/Bearer/);
      expect(await response.json()).toMatchObject({ status, type: "urn:frontier:problem:unauthorized" });
    }
  });

  it("answers bad input with problem+json, never 500: 400 for bad JSON, 422 for a body that fails validation", async () => {
    const malformed = await post("not json");
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get("content-type")).toBe("application/problem+json");
    expect(await malformed.json()).toMatchObject({ status: 400, type: "urn:frontier:problem:malformed-json" });

    const bodies = [
      {},
      { problem, submissions: [] },
      { problem, submissions: [{ language: "rust", code }] },
      { pack: "mini", submissions: [{ language: "python", code }] },
      { problem: { ...problem, kind: "weird" }, submissions: [{ language: "python", code }] },
    ];
    for (const body of bodies) {
      const response = await post(body);
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      const details = (await response.json()) as any;
      expect(details).toMatchObject({ status: 422, type: "urn:frontier:problem:validation" });
      expect(details.title).toBeTruthy();
      expect(details.errors.length, JSON.stringify(body)).toBeGreaterThan(0);
    }
    const wrongLanguage = (await (await post({ problem, submissions: [{ language: "rust", code }] })).json()) as any;
    expect(wrongLanguage.errors).toMatchObject([{ path: "submissions.0.language" }]);

    const missing = await fetch(`http://127.0.0.1:${executor.port}/v1/nothing`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toBe("application/problem+json");
  });

  it("refuses a body over the limit with 413 problem+json", async () => {
    const response = await post({ problem, submissions: [{ language: "python", code: "#".repeat(MAX_BODY_BYTES) }] });
    expect(response.status).toBe(413);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(await response.json()).toMatchObject({ status: 413, type: "urn:frontier:problem:payload-too-large" });
  });

  it("answers its own failure with a 500 that says it is not the program's fault", async () => {
    class BrokenJudge extends Judge {
      override async judge(): Promise<never> {
        throw new Error("disk full");
      }
    }
    const app = createExecutorApp({ judge: new BrokenJudge({ concurrency: 1 }), packs: new PackStore({}), token });
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const response = await app.request("/v1/judge", {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ problem, submissions: [{ language: "python", code }] }),
      });
      expect(response.status).toBe(500);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      expect(await response.json()).toMatchObject({
        status: 500,
        type: "urn:frontier:problem:internal",
        detail: expect.stringMatching(/not the program's fault/),
      });
      expect(logged).toHaveBeenCalled(); // the operator sees the cause
    } finally {
      logged.mockRestore();
    }
  });

  it("answers in the shapes of @frontier/contracts and describes them in its OpenAPI document", async () => {
    const health = await fetch(`http://127.0.0.1:${executor.port}/v1/health`);
    ExecutorHealthSchema.parse(await health.json());
    const judged = await post({
      problem,
      submissions: [
        { id: "x", language: "python", code },
        { language: "python", code: "print(" },
      ],
    });
    const body = JudgeResponseSchema.parse(await judged.json());
    expect(body.results.map((r) => [r.id, r.verdict])).toEqual([
      ["x", "AC"],
      [undefined, "CE"],
    ]);

    const doc = (await (await fetch(`http://127.0.0.1:${executor.port}/v1/openapi.json`)).json()) as any;
    expect(Object.keys(doc.paths).sort()).toEqual(["/v1/examples", "/v1/health", "/v1/judge", "/v1/packs/{name}", "/v1/run"]);
    expect(Object.keys(doc.paths["/v1/judge"].post.responses)).toEqual(expect.arrayContaining(["200", "401", "413", "422"]));
  });

  it("judges an inline problem, one verdict per submission in order", async () => {
    const response = await post({
      problem,
      submissions: [
        { id: "a", language: "python", code },
        { id: "b", language: "python", code: "print(4)" },
      ],
      options: { all_tests: true },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as any;
    expect(body).toMatchObject({ problem_id: "double", pack_version: null });
    expect(body.results).toMatchObject([
      { id: "a", verdict: "AC", tiers_passed: 2 },
      { id: "b", verdict: "WA", tiers_passed: 1, failure: { tier: 1, test: 0, verdict: "WA" } },
    ]);
  });

  it("judges a problem of a pack from PACKS_DIR and checks its version", async () => {
    const ok = await post({ pack: "mini", problem_id: "double", pack_version: packVersion, submissions: [{ language: "python", code }] });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ problem_id: "double", pack_version: packVersion, results: [{ verdict: "AC" }] });

    const stale = await post({ pack: "mini", problem_id: "double", pack_version: `sha256:${"0".repeat(64)}`, submissions: [{ language: "python", code }] });
    expect(stale.status).toBe(409);
    const unknownProblem = await post({ pack: "mini", problem_id: "nope", submissions: [{ language: "python", code }] });
    expect(unknownProblem.status).toBe(404);
    const byManifestName = await post({ pack: "renamed-pack", problem_id: "double", submissions: [{ language: "python", code }] });
    expect(await byManifestName.json()).toMatchObject({ problem_id: "double", results: [{ verdict: "AC" }] });
    const unknownPack = await post({ pack: "absent", problem_id: "double", submissions: [{ language: "python", code }] });
    expect(unknownPack.status).toBe(404);
    expect(unknownPack.headers.get("content-type")).toBe("application/problem+json");
  });

  it("fetches a pack from PACKS_URL once, verifies it, and refuses a tampered one", async () => {
    const before = requests;
    const first = await post({ pack: "remote", problem_id: "double", submissions: [{ language: "python", code }] });
    expect(first.status).toBe(200);
    const body = (await first.json()) as any;
    expect(body).toMatchObject({ results: [{ verdict: "AC" }] });
    expect(body.pack_version).toMatch(/^sha256:/);
    const fetched = requests - before;
    expect(fetched).toBe(2); // manifest + one problem file
    const second = await post({ pack: "remote", problem_id: "double", submissions: [{ language: "python", code }] });
    expect(second.status).toBe(200);
    expect(requests - before).toBe(fetched); // served from memory / disk, no new fetch

    const tampered = await post({ pack: "tampered", problem_id: "double", submissions: [{ language: "python", code }] });
    expect(tampered.status).toBe(502);
    const details = (await tampered.json()) as any;
    expect(details.title).toMatch(/hash mismatch/i);
  });
});
