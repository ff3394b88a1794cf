// PUT /v1/packs/{name} into the PACKS R2 bucket (workerd, real R2 binding), and the executor
// Container client that pushes a pack from R2 to an instance that answers "Unknown pack". The
// Containers themselves cannot run here: the instances are doubles that keep the executor's
// documented contract (404 "Unknown pack" until a verified PUT /v1/packs/{name}?version=; 503 when busy).
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { buildManifest, PackArchiveSchema, packArchiveKey, verifyPackArchive, type PackArchive, type Problem } from "@frontier/contracts";
import { createApp } from "../../../src/app.ts";
import { rendezvousOrder } from "../../../src/domain/rendezvous.ts";
import { containerExecutor, type InstanceNamespace } from "../../../src/runtime/executor-container.ts";
import { r2PackBucket } from "../../../src/runtime/workers.ts";
import { apiKey, testStack } from "../pipeline/doubles.ts";

const HIDDEN = "hidden-input-7f3a9c";
const bucket = (env as any).PACKS as R2Bucket;

async function archiveOf(name: string): Promise<PackArchive> {
  const problem: Problem = {
    id: "echo",
    title: "Echo",
    statement: "Print the number.",
    kind: "stdin",
    limits: { time_ms: 1000, memory_mb: 256 },
    checker: "tokens",
    tiers: [{ name: "all", tests: [{ input: `${HIDDEN}\n`, output: `${HIDDEN}\n` }] }],
  };
  const { manifest, files } = await buildManifest(name, [problem]);
  return { format: "frontier-pack-archive/1", manifest, files: Object.fromEntries(files) };
}

function appWithBucket() {
  const stack = testStack({ completionText: () => "" });
  return createApp({ ...stack.ports, packs: r2PackBucket(bucket) });
}

const put = (app: ReturnType<typeof createApp>, name: string, version: string, body: unknown, key?: string) =>
  app.request(`/v1/packs/${name}?version=${encodeURIComponent(version)}`, {
    method: "PUT",
    headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify(body),
  });

describe("PUT /v1/packs/{name}: pack archives into R2", () => {
  it("needs the operator scope (a team admin is 403), verifies the archive, stores it once, and answers nothing of its tests", async () => {
    const app = appWithBucket();
    const archive = await archiveOf("upload-pack");
    const { version } = archive.manifest;
    const admin = await apiKey(["operator"]);
    const submitter = await apiKey(["submit"]);
    const teamAdmin = await apiKey(["admin"]);

    expect((await put(app, "upload-pack", version, archive)).status).toBe(401);
    expect((await put(app, "upload-pack", version, archive, submitter)).status).toBe(403);
    expect((await put(app, "upload-pack", version, archive, teamAdmin)).status).toBe(403);
    const [file] = Object.keys(archive.files);
    const tampered = await put(app, "upload-pack", version, { ...archive, files: { [file]: archive.files[file].replace(HIDDEN, "other") } }, admin);
    expect(tampered.status).toBe(422);
    const tamperedBody = await tampered.text();
    expect(tamperedBody).not.toContain(HIDDEN);
    expect((await put(app, "upload-pack", `sha256:${"0".repeat(64)}`, archive, admin)).status).toBe(422);
    expect(await bucket.head(packArchiveKey("upload-pack", version))).toBeNull();

    const first = await put(app, "upload-pack", version, archive, admin);
    expect(first.status).toBe(201);
    const text = await first.text();
    expect(text).not.toContain(HIDDEN);
    expect(JSON.parse(text)).toEqual({ name: "upload-pack", version, problems: 1, key: packArchiveKey("upload-pack", version), created: true });
    const stored = PackArchiveSchema.parse(JSON.parse(await (await bucket.get(packArchiveKey("upload-pack", version)))!.text()));
    expect(await verifyPackArchive(stored, { name: "upload-pack", version })).toBeNull();

    const again = await put(app, "upload-pack", version, archive, admin);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ created: false });

    // Nothing of the tests reached D1.
    const tables = await (env as any).DB.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '_cf%' AND name NOT LIKE 'sqlite%'",
    ).all();
    for (const { name } of tables.results as { name: string }[]) {
      const rows = await (env as any).DB.prepare(`SELECT * FROM "${name}"`).all();
      expect(JSON.stringify(rows.results), name).not.toContain(HIDDEN);
    }
  });

  it("answers 503 where no bucket is bound", async () => {
    const stack = testStack({ completionText: () => "" });
    const app = createApp(stack.ports);
    const archive = await archiveOf("no-bucket");
    const response = await put(app, "no-bucket", archive.manifest.version, archive, await apiKey(["operator"]));
    expect(response.status).toBe(503);
  });
});

/** A fleet of executor instances keeping the documented contract, recording what each received. */
function fleet(busy = new Set<number>()) {
  const installed = new Map<number, Set<string>>();
  const log: string[] = [];
  const namespace: InstanceNamespace = {
    idFromName: (name: string) => ({ name }) as unknown as DurableObjectId,
    get: (id: DurableObjectId) => ({
      async fetch(request: Request) {
        const instance = Number((id as unknown as { name: string }).name.replace("instance-", ""));
        const url = new URL(request.url);
        log.push(`${instance} ${request.method} ${url.pathname}`);
        expect(request.headers.get("authorization")).toBe("Bearer exec-token");
        if (busy.has(instance)) return new Response(null, { status: 503, headers: { "retry-after": "1" } });
        const have = installed.get(instance) ?? new Set<string>();
        installed.set(instance, have);
        if (request.method === "PUT") {
          const name = decodeURIComponent(url.pathname.split("/").pop()!);
          const version = url.searchParams.get("version")!;
          const archive = PackArchiveSchema.parse(await request.json());
          if (await verifyPackArchive(archive, { name, version })) return Response.json({ title: "Pack hash mismatch" }, { status: 422 });
          have.add(`${name}@${version}`);
          return Response.json({ name, version, problems: 1, installed: true });
        }
        const body = (await request.json()) as { pack: string; pack_version: string };
        if (!have.has(`${body.pack}@${body.pack_version}`)) {
          return Response.json({ title: "Unknown pack", status: 404 }, { status: 404, headers: { "content-type": "application/problem+json" } });
        }
        return Response.json({ problem_id: "echo", pack_version: body.pack_version, results: [] });
      },
    }),
  };
  return { namespace, log, installed };
}

describe("the executor Container client", () => {
  const judgeBody = (archive: PackArchive) =>
    JSON.stringify({ pack: archive.manifest.name, problem_id: "echo", pack_version: archive.manifest.version, submissions: [] });

  it("sends a pack to its rendezvous home, pushes the archive from R2 on 'Unknown pack' once, then judges", async () => {
    const archive = await archiveOf("push-pack");
    await bucket.put(packArchiveKey("push-pack", archive.manifest.version), JSON.stringify(archive));
    const { namespace, log } = fleet();
    const client = containerExecutor(namespace, "exec-token", { instances: 8, packs: bucket });
    const home = rendezvousOrder("push-pack", 8)[0];

    const first = await client.fetch("/v1/judge", { method: "POST", headers: { "content-type": "application/json" }, body: judgeBody(archive) });
    expect(first.status).toBe(200);
    expect(log).toEqual([`${home} POST /v1/judge`, `${home} PUT /v1/packs/push-pack`, `${home} POST /v1/judge`]);

    const second = await client.fetch("/v1/judge", { method: "POST", headers: { "content-type": "application/json" }, body: judgeBody(archive) });
    expect(second.status).toBe(200);
    expect(log.slice(3)).toEqual([`${home} POST /v1/judge`]);
  });

  it("passes a pack to its next instance when the home answers busy (503), and returns 404 when R2 lacks it", async () => {
    const archive = await archiveOf("busy-pack");
    await bucket.put(packArchiveKey("busy-pack", archive.manifest.version), JSON.stringify(archive));
    const [home, next] = rendezvousOrder("busy-pack", 8);
    const { namespace, log } = fleet(new Set([home]));
    const client = containerExecutor(namespace, "exec-token", { instances: 8, packs: bucket });
    const response = await client.fetch("/v1/judge", { method: "POST", body: judgeBody(archive) });
    expect(response.status).toBe(200);
    expect(log).toEqual([`${home} POST /v1/judge`, `${next} POST /v1/judge`, `${next} PUT /v1/packs/busy-pack`, `${next} POST /v1/judge`]);

    const missing = await archiveOf("never-uploaded");
    const { namespace: other } = fleet();
    const lost = await containerExecutor(other, "exec-token", { instances: 8, packs: bucket }).fetch("/v1/judge", { method: "POST", body: judgeBody(missing) });
    expect(lost.status).toBe(404);
  });
});
