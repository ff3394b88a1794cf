// Health, the OpenAPI document, the docs page, and key management through the API.
import { describe, expect, it } from "vitest";
import { bearer, expectProblem, jsonInit, uniqueRun, type ContractHarness } from "./harness.ts";

export function serviceContract(h: ContractHarness) {
  describe("service", () => {
    it("GET /v1/health reports ok with the database checked", async () => {
      const res = await h.fetch("/v1/health");
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body).toMatchObject({ status: "ok", checks: { db: "ok" } });
      expect(Math.abs(Date.parse(body.time) - h.now().getTime())).toBeLessThan(60_000);
    });

    it("GET /openapi.json describes every endpoint", async () => {
      const res = await h.fetch("/openapi.json");
      expect(res.status).toBe(200);
      const doc = await res.json();
      expect(doc.openapi).toMatch(/^3\.1/);
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining(["/v1/health", "/v1/checkpoints", "/v1/checkpoints/{id}", "/v1/hooks/training-runs", "/v1/keys"]),
      );
      expect(doc.paths["/v1/checkpoints"].post.security).toEqual([{ apiKey: [] }]);
      expect(doc.paths["/v1/checkpoints"].post.responses["422"].content).toHaveProperty(["application/problem+json"]);
      expect(doc.components.schemas).toHaveProperty("Checkpoint");
      expect(doc.components.schemas).toHaveProperty("TrainingRunEvent");
      expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: "http", scheme: "bearer" });
    });

    it("GET /docs is a self-contained HTML page listing the operations", async () => {
      const res = await h.fetch("/docs");
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/html");
      const page = await res.text();
      expect(page).toContain("/v1/checkpoints/{id}");
      expect(page).toContain("/v1/hooks/training-runs");
      expect(page).not.toMatch(/<script[^>]+src=|<link[^>]+href="https?:/i);
    });
  });

  describe("keys API (admin)", () => {
    it("an admin creates a submit key that works once, then revokes it", async () => {
      const admin = await h.createApiKey(["admin"]);
      const created = await h.fetch("/v1/keys", jsonInit("POST", { scopes: ["submit"], label: "ci" }, bearer(admin)));
      expect(created.status).toBe(201);
      const key = await created.json();
      expect(key).toMatchObject({ scopes: ["submit"], label: "ci", revoked_at: null });
      expect(key.key.startsWith(key.prefix)).toBe(true);

      const checkpoint = { url: "s3://bucket/key", run: uniqueRun("keys") };
      expect((await h.fetch("/v1/checkpoints", jsonInit("POST", checkpoint, bearer(key.key)))).status).toBe(201);
      expect((await h.fetch(`/v1/keys/${key.id}`, { method: "DELETE", headers: bearer(admin) })).status).toBe(204);
      await expectProblem(expect, await h.fetch("/v1/checkpoints", jsonInit("POST", checkpoint, bearer(key.key))), 401, "unauthorized");
      await expectProblem(expect, await h.fetch(`/v1/keys/${key.id}`, { method: "DELETE", headers: bearer(admin) }), 404);
    });

    it("a submit key cannot manage keys (403); bad scopes are 422", async () => {
      const submit = await h.createApiKey(["submit"]);
      await expectProblem(expect, await h.fetch("/v1/keys", jsonInit("POST", { scopes: ["admin"] }, bearer(submit))), 403, "forbidden");
      const admin = await h.createApiKey(["admin"]);
      const bad = await h.fetch("/v1/keys", jsonInit("POST", { scopes: ["root"] }, bearer(admin)));
      expect((await expectProblem(expect, bad, 422, "validation")).errors?.[0]?.path).toBe("scopes.0");
    });
  });
}
