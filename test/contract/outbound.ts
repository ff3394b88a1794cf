// Outbound webhooks, cancel and export over HTTP, on every runtime (what needs no queue): an
// endpoint's secret shown once, the URL policy, list and delete, 404s for unknown resources.
import { describe, expect, it } from "vitest";
import { bearer, jsonInit, type ContractHarness } from "./harness.ts";

export function outboundContract(h: ContractHarness) {
  describe("outbound webhooks, cancel and export", () => {
    it("registers an endpoint (secret once), lists it without the secret, deletes it", async () => {
      const key = await h.createApiKey(["submit"]);
      const url = `https://hooks.example.com/frontier/${Date.now()}`;
      const created = await h.fetch("/v1/webhooks", jsonInit("POST", { url, events: ["evaluation.completed", "frontier.updated"] }, bearer(key)));
      expect(created.status).toBe(201);
      const endpoint = await created.json();
      expect(endpoint).toMatchObject({ url, events: ["evaluation.completed", "frontier.updated"] });
      expect(endpoint.secret).toMatch(/^whsec_/);
      const listed = (await (await h.fetch("/v1/webhooks", { headers: bearer(key) })).json()).data.find((w: any) => w.id === endpoint.id);
      expect(listed).toEqual({ id: endpoint.id, url, events: ["evaluation.completed", "frontier.updated"], created_at: endpoint.created_at });
      expect((await (await h.fetch(`/v1/webhooks/${endpoint.id}/deliveries`, { headers: bearer(key) })).json()).data).toEqual([]);
      expect((await h.fetch(`/v1/webhooks/${endpoint.id}`, { method: "DELETE", headers: bearer(key) })).status).toBe(204);
      expect((await h.fetch(`/v1/webhooks/${endpoint.id}`, { method: "DELETE", headers: bearer(key) })).status).toBe(404);
    });

    it("refuses URLs outside the policy and unknown events (422); needs a key (401)", async () => {
      const key = await h.createApiKey(["submit"]);
      for (const body of [
        { url: "http://hooks.example.com/x", events: ["evaluation.completed"] },
        { url: "https://localhost/x", events: ["evaluation.completed"] },
        { url: "https://hooks.example.com/x", events: ["nope"] },
      ]) {
        const res = await h.fetch("/v1/webhooks", jsonInit("POST", body, bearer(key)));
        expect(res.status).toBe(422);
        expect(res.headers.get("content-type")).toContain("application/problem+json");
      }
      expect((await h.fetch("/v1/webhooks", jsonInit("POST", { url: "https://hooks.example.com/x", events: ["evaluation.completed"] }))).status).toBe(401);
    });

    it("answers 404 to cancelling or exporting what does not exist", async () => {
      const key = await h.createApiKey(["submit"]);
      for (const resource of ["evaluations", "merges", "submissions"]) {
        expect((await h.fetch(`/v1/${resource}/nope_0/cancel`, { method: "POST", headers: bearer(key) })).status).toBe(404);
      }
      expect((await h.fetch("/v1/evaluations/nope_0/export")).status).toBe(404);
    });
  });
}
