// POST/GET /v1/benchmarks: registering a pack (admin), listing, reading one with its problems.
import { describe, expect, it } from "vitest";
import { bearer, expectProblem, jsonInit, uniqueRun, type ContractHarness } from "./harness.ts";
import { smallPack } from "./packs.ts";

export function benchmarksContract(h: ContractHarness) {
  describe("benchmarks", () => {
    it("registers a pack with an admin key, idempotently by version, and reads it back with its problems", async () => {
      const admin = await h.createApiKey(["operator"]);
      const { manifest, registration } = await smallPack();
      const created = await h.fetch("/v1/benchmarks", jsonInit("POST", registration, bearer(admin)));
      expect(created.status).toBe(201);
      const benchmark = await created.json();
      expect(benchmark).toMatchObject({
        name: manifest.name,
        version: manifest.version,
        id: `${manifest.name}@${manifest.version}`,
        pack: manifest.name,
        description: "two problems for the contract suite",
        problems: 2,
        tiers: ["small", "large"],
      });
      expect(Date.parse(benchmark.registered_at)).not.toBeNaN();
      expect(created.headers.get("location")).toBe(`/v1/benchmarks/${encodeURIComponent(manifest.name)}?version=${encodeURIComponent(manifest.version)}`);

      const again = await h.fetch("/v1/benchmarks", jsonInit("POST", registration, bearer(admin)));
      expect(again.status).toBe(200);
      expect(await again.json()).toEqual(benchmark);

      for (const path of [`/v1/benchmarks/${encodeURIComponent(manifest.name)}`, created.headers.get("location")!]) {
        const read = await h.fetch(path);
        expect(read.status, path).toBe(200);
        const body = await read.json();
        expect(body).toMatchObject(benchmark);
        expect(body.problem_list).toEqual([
          { id: "add-two", kind: "stdin", title: "Add two numbers", tiers: ["small", "large"], limits: { time_ms: 1000, memory_mb: 256 } },
          { id: "reverse", kind: "functional", title: "Reverse a list", tiers: ["small"], limits: { time_ms: 2000, memory_mb: 128 } },
        ]);
      }

      const list = await h.fetch("/v1/benchmarks");
      expect(list.status).toBe(200);
      const listed = (await list.json()).data.find((b: { id: string }) => b.id === benchmark.id);
      expect(listed).toEqual(benchmark);
    });

    it("needs the admin scope: no key 401, a submit key 403, and nothing is registered", async () => {
      const { manifest, registration } = await smallPack();
      await expectProblem(expect, await h.fetch("/v1/benchmarks", jsonInit("POST", registration)), 401);
      const submit = await h.createApiKey(["submit"]);
      await expectProblem(expect, await h.fetch("/v1/benchmarks", jsonInit("POST", registration, bearer(submit))), 403);
      await expectProblem(expect, await h.fetch(`/v1/benchmarks/${encodeURIComponent(manifest.name)}`), 404, "not-found");
    });

    it("refuses a manifest whose version is not its content hash, and prompts that do not match it (422)", async () => {
      const admin = await h.createApiKey(["operator"]);
      const { registration } = await smallPack();
      const forged = { ...registration, manifest: { ...registration.manifest, version: `sha256:${"0".repeat(64)}` } };
      const problem = await expectProblem(expect, await h.fetch("/v1/benchmarks", jsonInit("POST", forged, bearer(admin))), 422, "validation");
      expect(problem.errors?.map((e) => e.path)).toContain("manifest.version");

      const stray = { ...registration, problems: [...registration.problems.slice(1), { id: "not-in-pack", title: "x" }] };
      const paths = (await expectProblem(expect, await h.fetch("/v1/benchmarks", jsonInit("POST", stray, bearer(admin))), 422)).errors?.map((e) => e.path);
      expect(paths).toEqual(expect.arrayContaining(["problems.1.id", "problems"]));

      const shapeless = await h.fetch("/v1/benchmarks", jsonInit("POST", { manifest: { format: "frontier-pack/2" }, problems: [] }, bearer(admin)));
      const fields = (await expectProblem(expect, shapeless, 422, "validation")).errors?.map((e) => e.path.split(".")[0]);
      expect(new Set(fields)).toEqual(new Set(["manifest", "problems"]));
    });

    it("an unknown benchmark or version is a 404 problem; a malformed version is a 400", async () => {
      await expectProblem(expect, await h.fetch(`/v1/benchmarks/${uniqueRun("no-such-bench")}`), 404, "not-found");
      const { manifest } = await smallPack();
      await expectProblem(expect, await h.fetch(`/v1/benchmarks/${manifest.name}?version=${encodeURIComponent(manifest.version)}`), 404, "not-found");
      const bad = await expectProblem(expect, await h.fetch(`/v1/benchmarks/${manifest.name}?version=latest`), 400, "validation");
      expect(bad.errors?.map((e) => e.path)).toContain("version");
    });
  });
}
