// PUT /v1/packs/{name}?version=: a pack pushed to an executor that has no PACKS_DIR or internet,
// verified against its manifest, kept on disk, then judged by pack + problem id.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildManifest, ProblemSchema, type PackArchive } from "@frontier/contracts";
import { startExecutor, type StartedExecutor } from "../../../workers/executor/src/server.ts";

const token = "push-token-123";
const problem = ProblemSchema.parse({
  id: "double",
  kind: "stdin",
  limits: { time_ms: 1000, memory_mb: 64 },
  tiers: [{ name: "t0", tests: [{ input: "2\n", output: "4" }] }],
});
const code = "print(int(input()) * 2)";

let cacheDir: string;
let executor: StartedExecutor;
let archive: PackArchive;

beforeAll(async () => {
  cacheDir = mkdtempSync(join(tmpdir(), "frontier-push-"));
  const { manifest, files } = await buildManifest("pushed", [problem]);
  archive = { format: "frontier-pack-archive/1", manifest, files: Object.fromEntries(files) };
  executor = await startExecutor({ PORT: "0", EXECUTOR_TOKEN: token, EXECUTOR_CONCURRENCY: "1", PACKS_CACHE_DIR: cacheDir });
});

afterAll(async () => {
  await executor?.close();
  rmSync(cacheDir, { recursive: true, force: true });
});

const url = (path: string, server = executor) => `http://127.0.0.1:${server.port}${path}`;
const put = (body: unknown, version = archive.manifest.version, auth = `Bearer ${token}`) =>
  fetch(url(`/v1/packs/pushed?version=${encodeURIComponent(version)}`), {
    method: "PUT",
    headers: { authorization: auth, "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
const judge = (server = executor) =>
  fetch(url("/v1/judge", server), {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ pack: "pushed", problem_id: "double", pack_version: archive.manifest.version, submissions: [{ language: "python", code }] }),
  });

describe("pushed packs", () => {
  it("answers 404 Unknown pack before the push, and refuses bad pushes", async () => {
    const before = await judge();
    expect(before.status).toBe(404);
    expect(await before.json()).toMatchObject({ title: "Unknown pack" });

    expect((await put(archive, archive.manifest.version, "Bearer wrong")).status).toBe(401);
    const [file] = Object.keys(archive.files);
    const tampered = await put({ ...archive, files: { [file]: archive.files[file].replace('"4"', '"5"') } });
    expect(tampered.status).toBe(422);
    expect(await tampered.json()).toMatchObject({ title: "Pack hash mismatch" });
    const otherVersion = await put(archive, `sha256:${"0".repeat(64)}`);
    expect(otherVersion.status).toBe(422);
    expect((await put("not json")).status).toBe(422);
    expect((await put(archive, "latest")).status).toBe(400); // a query that fails validation
    expect((await judge()).status).toBe(404);
  });

  it("installs a verified archive once, judges from it, and keeps it on disk", async () => {
    const first = await put(archive);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ name: "pushed", version: archive.manifest.version, problems: 1, installed: true });
    const again = await put(archive);
    expect(await again.json()).toMatchObject({ installed: false });

    const judged = await judge();
    expect(judged.status).toBe(200);
    expect(await judged.json()).toMatchObject({ problem_id: "double", pack_version: archive.manifest.version, results: [{ verdict: "AC" }] });

    // A restarted process finds the pack on disk without a new push.
    const restarted = await startExecutor({ PORT: "0", EXECUTOR_TOKEN: token, EXECUTOR_CONCURRENCY: "1", PACKS_CACHE_DIR: cacheDir });
    try {
      const fromDisk = await judge(restarted);
      expect(fromDisk.status).toBe(200);
      expect(await fromDisk.json()).toMatchObject({ results: [{ verdict: "AC" }] });
    } finally {
      await restarted.close();
    }
  });
});
