// `frontier benchmark register|upload PACK_DIR` against a loopback HTTP server that answers as the
// API does (POST /v1/benchmarks, PUT /v1/packs/{name}?version=): what each sends (prompts only for
// register; the whole pack, verified against its manifest, for upload), with the key, and the
// exit codes for a refused request, a tampered pack and a missing key.
import { once } from "node:events";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { buildManifest, ProblemSchema, verifyPackArchive, type PackArchive } from "@frontier/contracts";
import { run } from "../../src/cli/benchmark.ts";
import { PACK_PROBLEMS } from "../contract/packs.ts";

type Received = { method: string; url: string; auth: string | undefined; body: any };
let server: Server;
let api = "";
let received: Received[] = [];
let answer = { status: 201, body: "{}" };
let packDir = "";
let version = "";

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = "";
    req.on("data", (chunk) => (text += chunk));
    req.on("end", () => {
      received.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, body: text ? JSON.parse(text) : null });
      res.writeHead(answer.status, { "content-type": "application/json" }).end(answer.body);
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address() as { port: number };
  api = `http://127.0.0.1:${address.port}`;

  // A pack folder as `packs:build` writes it: manifest.json plus one file per problem.
  packDir = join(mkdtempSync(join(tmpdir(), "frontier-pack-")), "small");
  const { manifest, files } = await buildManifest(
    "small",
    PACK_PROBLEMS.map((p) => ProblemSchema.parse(p)),
    { description: "two problems" },
  );
  version = manifest.version;
  mkdirSync(join(packDir, "problems"), { recursive: true });
  writeFileSync(join(packDir, "manifest.json"), JSON.stringify(manifest));
  for (const [file, text] of files) writeFileSync(join(packDir, file), text);
});

afterAll(() => {
  server.close();
  rmSync(join(packDir, ".."), { recursive: true, force: true });
});

afterEach(() => {
  received = [];
  answer = { status: 201, body: "{}" };
  vi.restoreAllMocks();
});

function quiet() {
  const err = vi.spyOn(console, "error").mockImplementation(() => {});
  const out = vi.spyOn(console, "log").mockImplementation(() => {});
  return { err, out };
}

describe("frontier benchmark", () => {
  it("register: POSTs the prompts (no tests) with the operator key and prints the answer", async () => {
    const { out } = quiet();
    answer = { status: 201, body: JSON.stringify({ id: `small@${version}` }) };
    expect(await run(["register", packDir, "--api", api, "--key", "op_key"])).toBe(0);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ method: "POST", url: "/v1/benchmarks", auth: "Bearer op_key" });
    expect(JSON.stringify(received[0]!.body)).toContain("Add two numbers");
    // Hidden tests never leave the pack on registration.
    expect(JSON.stringify(received[0]!.body)).not.toContain("2000000000");
    expect(out).toHaveBeenCalledWith(answer.body);
  });

  it("upload: PUTs the whole pack, tests included, as an archive that verifies against its manifest", async () => {
    quiet();
    expect(await run(["upload", packDir, "--api", api, "--key", "op_key", "--pack", "small-pack"])).toBe(0);
    expect(received).toHaveLength(1);
    const { method, url, auth, body } = received[0]!;
    expect({ method, auth }).toEqual({ method: "PUT", auth: "Bearer op_key" });
    expect(url).toBe(`/v1/packs/small-pack?version=${encodeURIComponent(version)}`);
    expect(body.format).toBe("frontier-pack-archive/1");
    expect(await verifyPackArchive(body as PackArchive, { version })).toBeNull();
    expect(JSON.stringify(body.files)).toContain("2000000000");
  });

  it("refuses a tampered pack before sending anything; a refusal exits 1; no key is a usage error", async () => {
    const { err } = quiet();
    const tampered = join(packDir, "..", "tampered");
    mkdirSync(join(tampered, "problems"), { recursive: true });
    const manifest = JSON.parse(readFileSync(join(packDir, "manifest.json"), "utf8"));
    writeFileSync(join(tampered, "manifest.json"), JSON.stringify(manifest));
    for (const entry of manifest.problems as { file: string }[]) {
      const text = readFileSync(join(packDir, entry.file), "utf8");
      writeFileSync(join(tampered, entry.file), text.replace("2000000000", "2000000001"));
    }
    expect(await run(["upload", tampered, "--api", api, "--key", "op_key"])).toBe(1);
    expect(received).toEqual([]);
    expect(String(err.mock.calls.at(-1)?.[0])).toContain("does not verify");

    answer = { status: 403, body: JSON.stringify({ title: "Forbidden", status: 403 }) };
    expect(await run(["upload", packDir, "--api", api, "--key", "read_key"])).toBe(1);
    expect(String(err.mock.calls.at(-1)?.[0])).toContain("403");

    const saved = process.env.FRONTIER_ADMIN_KEY;
    delete process.env.FRONTIER_ADMIN_KEY;
    try {
      expect(await run(["upload", packDir, "--api", api])).toBe(2);
    } finally {
      if (saved !== undefined) process.env.FRONTIER_ADMIN_KEY = saved;
    }
    expect(await run(["unknown-action", packDir])).toBe(2);
  });
});
