// Teams, private by default (issue 20): every route tried anonymously, with another team's key and
// with the right team's key at each scope, against a table of expected statuses; per-team
// webhook secrets (another team's signature, rotation, revocation); redaction of public rows;
// the audit log. Two fresh teams per run, so the suite shares a database with the others.
import { Webhook } from "standardwebhooks";
import { beforeAll, describe, expect, it } from "vitest";
import { bearer, jsonInit, uniqueRun, type ApiResponse, type ContractHarness } from "./harness.ts";
import { registerSmallPack } from "./packs.ts";

type Caller = "anonymous" | "other" | "read" | "submit" | "admin";
const CALLERS: Caller[] = ["anonymous", "other", "read", "submit", "admin"];
/** Expected status per caller, in CALLERS order (an array: any of these). */
type Row = { method: string; path: string; body?: unknown; expect: (number | number[])[] };

const slug = (label: string) =>
  uniqueRun(label)
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "-");

export function accessContract(h: ContractHarness) {
  describe("access: teams, private by default", () => {
    const operatorKey = { value: "" };
    const teamA = slug("team-a");
    const teamB = slug("team-b");
    const keys = {} as Record<Caller, string | undefined>;
    const ids = {} as Record<string, string>;

    const call = (key: string | undefined, method: string, path: string, body?: unknown): Promise<ApiResponse> => {
      const headers = key ? bearer(key) : {};
      return body === undefined ? h.fetch(path, { method, headers }) : h.fetch(path, jsonInit(method, body, headers));
    };
    async function created(res: ApiResponse, label: string) {
      if (res.status >= 300) throw new Error(`${label} answered ${res.status}: ${await res.text()}`);
      return res.json();
    }
    async function newKey(team: string, scopes: string[]) {
      return created(await call(operatorKey.value, "POST", "/v1/keys", { team, scopes }), `key for ${team}`) as Promise<{ id: string; key: string }>;
    }

    const secretOf = async (key: string, overlap?: number) =>
      (await created(await call(key, "POST", "/v1/webhook-secrets", overlap === undefined ? {} : { overlap_seconds: overlap }), "secret")) as {
        id: string;
        secret: string;
        endpoint: string;
      };

    beforeAll(async () => {
      operatorKey.value = await h.createApiKey(["operator"]);
      for (const team of [teamA, teamB]) expect((await call(operatorKey.value, "POST", "/v1/teams", { id: team })).status).toBe(201);
      keys.anonymous = undefined;
      keys.other = (await newKey(teamB, ["admin"])).key;
      keys.read = (await newKey(teamA, ["read"])).key;
      keys.submit = (await newKey(teamA, ["submit"])).key;
      keys.admin = (await newKey(teamA, ["admin"])).key;
      ids.spareKey = (await newKey(teamA, ["read"])).id;

      const benchmark = await registerSmallPack(h);
      ids.benchmark = benchmark.id;
      ids.run = uniqueRun("private-run");
      const checkpoint = (run: string, step: number) =>
        call(keys.submit, "POST", "/v1/checkpoints", { url: `s3://acme-private-weights/${run}/step-${step}/`, run, step });
      ids.checkpoint = (await created(await checkpoint(ids.run, 1), "checkpoint")).id;
      ids.checkpoint2 = (await created(await checkpoint(ids.run, 2), "checkpoint")).id;
      ids.merge = (await created(await call(keys.submit, "POST", "/v1/merges", { a: ids.checkpoint, b: ids.checkpoint2, alphas: [0.5] }), "merge")).id;
      ids.evaluation = (
        await created(await call(keys.submit, "POST", "/v1/evaluations", { checkpoint: ids.checkpoint, benchmark: ids.benchmark, n: 1 }), "eval")
      ).id;
      const track = { benchmark: benchmark.name, n: 1, temperature: 0, max_tokens: 64 };
      ids.publicTrack = slug("public-track");
      ids.privateTrack = slug("private-track");
      await created(await call(operatorKey.value, "POST", "/v1/tracks", { ...track, id: ids.publicTrack }), "public track");
      await created(await call(operatorKey.value, "POST", "/v1/tracks", { ...track, id: ids.privateTrack, team: teamA }), "private track");
      await created(await call(keys.submit, "PUT", `/v1/runs/${ids.run}/policy`, { tracks: [ids.publicTrack] }), "policy");
      ids.privateSubmission = (
        await created(await call(keys.submit, "POST", "/v1/submissions", { url: `s3://acme-private-weights/${ids.run}/priv/`, track: ids.privateTrack }), "sub")
      ).id;
      ids.publicUrl = `s3://acme-private-weights/secret-run/step-5/`;
      const publicSubmission = await created(await call(keys.submit, "POST", "/v1/submissions", { url: ids.publicUrl, track: ids.publicTrack }), "sub");
      ids.publicSubmission = publicSubmission.id;
      ids.publicCheckpoint = publicSubmission.checkpoint;
      ids.publicEvaluation = publicSubmission.evaluation;
      ids.secret = (await created(await call(keys.admin, "POST", "/v1/webhook-secrets", {}), "secret")).id;
      // Work to cancel (the table's cancel rows stop it; the rows above keep theirs).
      ids.cancelEvaluation = (
        await created(await call(keys.submit, "POST", "/v1/evaluations", { checkpoint: ids.checkpoint2, benchmark: ids.benchmark, n: 1 }), "eval")
      ).id;
      ids.cancelMerge = (await created(await call(keys.submit, "POST", "/v1/merges", { a: ids.checkpoint, b: ids.checkpoint2, alphas: [0.75] }), "merge")).id;
      ids.cancelSubmission = (
        await created(
          await call(keys.submit, "POST", "/v1/submissions", { url: `s3://acme-private-weights/${ids.run}/cancel/`, track: ids.privateTrack }),
          "sub",
        )
      ).id;
    }, 300_000);

    const table = (): Row[] => [
      { method: "GET", path: "/v1/health", expect: [200, 200, 200, 200, 200] },
      { method: "GET", path: "/openapi.json", expect: [200, 200, 200, 200, 200] },
      { method: "GET", path: "/docs", expect: [200, 200, 200, 200, 200] },
      { method: "GET", path: "/v1/benchmarks", expect: [200, 200, 200, 200, 200] },
      { method: "GET", path: `/v1/benchmarks/${encodeURIComponent(ids.benchmark.split("@")[0])}`, expect: [200, 200, 200, 200, 200] },
      { method: "POST", path: "/v1/benchmarks", body: {}, expect: [401, 403, 403, 403, 403] },
      { method: "POST", path: "/v1/teams", body: { id: slug("t") }, expect: [401, 403, 403, 403, 403] },
      { method: "GET", path: "/v1/teams", expect: [401, 403, 403, 403, 403] },
      { method: "POST", path: "/v1/keys", body: { scopes: ["read"] }, expect: [401, 201, 403, 403, 201] },
      { method: "POST", path: "/v1/keys", body: { scopes: ["read"], team: teamA }, expect: [401, 403, 403, 403, 201] },
      { method: "POST", path: "/v1/keys", body: { scopes: ["operator"] }, expect: [401, 403, 403, 403, 403] },
      { method: "DELETE", path: `/v1/keys/${ids.spareKey}`, expect: [401, 404, 403, 403, 204] },
      { method: "GET", path: `/v1/checkpoints/${ids.checkpoint}`, expect: [404, 404, 200, 200, 200] },
      { method: "GET", path: `/v1/checkpoints/${ids.publicCheckpoint}`, expect: [200, 200, 200, 200, 200] },
      { method: "GET", path: `/v1/checkpoints?run=${encodeURIComponent(ids.run)}`, expect: [200, 200, 200, 200, 200] },
      { method: "POST", path: "/v1/checkpoints", body: { url: "s3://team-b/x", run: ids.run }, expect: [401, 201, 403, 201, 201] },
      { method: "PATCH", path: `/v1/checkpoints/${ids.checkpoint}`, body: { url_public: false }, expect: [401, 404, 403, 403, 200] },
      { method: "GET", path: `/v1/merges/${ids.merge}`, expect: [404, 404, 200, 200, 200] },
      { method: "POST", path: "/v1/merges", body: { a: ids.checkpoint, b: ids.checkpoint2, alphas: [0.25] }, expect: [401, 422, 403, 202, 202] },
      { method: "GET", path: `/v1/evaluations/${ids.evaluation}`, expect: [404, 404, 200, 200, 200] },
      { method: "GET", path: `/v1/evaluations/${ids.evaluation}/samples`, expect: [404, 404, 200, 200, 200] },
      { method: "GET", path: `/v1/evaluations/${ids.evaluation}/metrics`, expect: [404, 404, 200, 200, 200] },
      { method: "POST", path: `/v1/evaluations/${ids.evaluation}/retry-errors`, expect: [401, 404, 403, 403, 409] },
      { method: "POST", path: "/v1/evaluations", body: { checkpoint: ids.checkpoint, benchmark: ids.benchmark, n: 1 }, expect: [401, 422, 403, 202, 202] },
      { method: "POST", path: "/v1/ensembles", body: { members: [ids.evaluation], budget: 1 }, expect: [401, 422, 403, 422, 422] },
      { method: "GET", path: "/v1/ensembles/ens_none", expect: [404, 404, 404, 404, 404] },
      { method: "POST", path: "/v1/comparisons", body: { a: ids.evaluation, b: ids.evaluation }, expect: [401, 422, 403, 422, 422] },
      { method: "GET", path: `/v1/runs/${encodeURIComponent(ids.run)}/frontier`, expect: [404, 200, 200, 200, 200] },
      { method: "GET", path: `/v1/runs/${encodeURIComponent(ids.run)}/policy`, expect: [404, 404, 200, 200, 200] },
      { method: "PUT", path: `/v1/runs/${encodeURIComponent(ids.run)}/policy`, body: { tracks: [ids.privateTrack] }, expect: [401, 422, 403, 200, 200] },
      { method: "GET", path: "/v1/tracks", expect: [200, 200, 200, 200, 200] },
      { method: "GET", path: `/v1/tracks/${ids.publicTrack}`, expect: [200, 200, 200, 200, 200] },
      { method: "GET", path: `/v1/tracks/${ids.privateTrack}`, expect: [404, 404, 200, 200, 200] },
      { method: "GET", path: `/v1/tracks/${ids.publicTrack}/frontier`, expect: [200, 200, 200, 200, 200] },
      { method: "GET", path: `/v1/tracks/${ids.privateTrack}/frontier`, expect: [404, 404, 200, 200, 200] },
      // Publications: the team's own evaluations (a submission published its own already).
      { method: "GET", path: `/v1/evaluations/${ids.publicEvaluation}/publications`, expect: [404, 404, 200, 200, 200] },
      {
        method: "POST",
        path: `/v1/evaluations/${ids.publicEvaluation}/publications`,
        body: { track: ids.publicTrack },
        expect: [401, 404, 403, 200, 200],
      },
      { method: "DELETE", path: `/v1/evaluations/${ids.evaluation}/publications/${ids.publicTrack}`, expect: [401, 404, 403, 403, 404] },
      { method: "POST", path: "/v1/tracks", body: {}, expect: [401, 403, 403, 403, 403] },
      { method: "GET", path: `/v1/leaderboard?track=${ids.publicTrack}`, expect: [200, 200, 200, 200, 200] },
      { method: "GET", path: `/v1/leaderboard?track=${ids.privateTrack}`, expect: [404, 404, 200, 200, 200] },
      { method: "GET", path: "/v1/submissions", expect: [200, 200, 200, 200, 200] },
      { method: "GET", path: `/v1/submissions/${ids.publicSubmission}`, expect: [200, 200, 200, 200, 200] },
      { method: "GET", path: `/v1/submissions/${ids.privateSubmission}`, expect: [404, 404, 200, 200, 200] },
      {
        method: "POST",
        path: "/v1/submissions",
        body: { url: `s3://acme-private-weights/${ids.run}/priv/`, track: ids.privateTrack },
        expect: [401, 422, 403, 200, 200],
      },
      { method: "GET", path: "/v1/webhook-secrets", expect: [401, 200, 403, 403, 200] },
      { method: "POST", path: "/v1/webhook-secrets", body: {}, expect: [401, 201, 403, 403, 201] },
      { method: "DELETE", path: `/v1/webhook-secrets/${ids.secret}`, expect: [401, 404, 403, 403, 204] },
      { method: "GET", path: "/v1/audit", expect: [401, 200, 403, 403, 200] },
      { method: "GET", path: `/?track=${ids.publicTrack}`, expect: [200, 200, 200, 200, 200] },
      // Operator only: deployment-wide retention, the operator view, pack uploads.
      { method: "POST", path: "/v1/gc", body: {}, expect: [401, 403, 403, 403, 403] },
      { method: "GET", path: "/v1/admin/status", expect: [401, 403, 403, 403, 403] },
      { method: "POST", path: "/v1/admin/replay-dlq", expect: [401, 403, 403, 403, 403] },
      { method: "PUT", path: "/v1/packs/small?version=1", body: {}, expect: [401, 403, 403, 403, 403] },
      // Outbound webhooks: a team's own endpoints (submit); another team's id is unknown.
      { method: "POST", path: "/v1/webhooks", body: {}, expect: [401, 422, 403, 422, 422] },
      { method: "GET", path: "/v1/webhooks", expect: [401, 200, 403, 200, 200] },
      { method: "DELETE", path: "/v1/webhooks/wh_none", expect: [401, 404, 403, 404, 404] },
      { method: "GET", path: "/v1/webhooks/wh_none/deliveries", expect: [401, 404, 403, 404, 404] },
      { method: "POST", path: "/v1/webhooks/wh_none/deliveries/dlv_none/redeliver", expect: [401, 404, 403, 404, 404] },
      // Export and cancel: the team's own work only.
      { method: "GET", path: `/v1/evaluations/${ids.evaluation}/export`, expect: [404, 404, 200, 200, 200] },
      { method: "POST", path: `/v1/evaluations/${ids.cancelEvaluation}/cancel`, expect: [401, 404, 403, [200, 409], [200, 409]] },
      { method: "POST", path: `/v1/merges/${ids.cancelMerge}/cancel`, expect: [401, 404, 403, [200, 409], [200, 409]] },
      { method: "POST", path: `/v1/submissions/${ids.cancelSubmission}/cancel`, expect: [401, 404, 403, [200, 409], [200, 409]] },
      // Pairs: within the team (another team's private track is unknown to it; so is the pair).
      {
        method: "POST",
        path: `/v1/runs/${encodeURIComponent(ids.run)}/pairs`,
        body: { with: `${ids.run}-b`, alphas: [0.5], tracks: [ids.privateTrack] },
        expect: [401, 422, 403, 201, 200],
      },
      { method: "GET", path: `/v1/runs/${encodeURIComponent(ids.run)}/pairs`, expect: [404, 200, 200, 200, 200] },
      { method: "POST", path: `/v1/runs/${encodeURIComponent(ids.run)}/pairs/${encodeURIComponent(`${ids.run}-b`)}/build`, expect: [401, 404, 403, 422, 422] },
    ];

    it("answers each route × caller with the status in the table", async () => {
      const seen: string[] = [];
      for (const row of table()) {
        const got: number[] = [];
        for (const caller of CALLERS) {
          const res = await call(keys[caller], row.method, row.path, row.body);
          got.push(res.status);
          await res.arrayBuffer();
        }
        const matches = got.every((status, i) => (Array.isArray(row.expect[i]) ? (row.expect[i] as number[]).includes(status) : row.expect[i] === status));
        seen.push(`${row.method} ${row.path}: ${matches ? "ok" : `got ${got.join(", ")}, expected ${row.expect.join(", ")}`}`);
      }
      expect(seen.filter((line) => !line.endsWith(": ok"))).toEqual([]);
      expect(seen.length).toBe(table().length);
    }, 300_000);

    it("the table covers every route in the OpenAPI document", async () => {
      const doc = await (await h.fetch("/openapi.json")).json();
      const covered = new Set(table().map((row) => `${row.method} ${templateOf(row.path)}`));
      // Signed by a secret, not a key: covered by the webhook tests below and the backend-events suite.
      const signed = new Set(["POST /v1/hooks/training-runs", "POST /v1/hooks/{team}/training-runs", "POST /v1/backend/events"]);
      const missing: string[] = [];
      for (const [path, operations] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
        for (const method of Object.keys(operations)) {
          const key = `${method.toUpperCase()} ${path}`;
          if (!signed.has(key) && !covered.has(key)) missing.push(key);
        }
      }
      expect(missing).toEqual([]);
    });

    it("another team's reads see no private rows: lists filter, the frontier of a same-named run is the caller's own", async () => {
      const anonymous = await (await call(undefined, "GET", `/v1/checkpoints?run=${encodeURIComponent(ids.run)}`)).json();
      expect(anonymous.data).toEqual([]);
      const other = await (await call(keys.other, "GET", `/v1/checkpoints?run=${encodeURIComponent(ids.run)}`)).json();
      // Team B registered a checkpoint under the same run name in the table: its own, in its own run.
      expect(other.data).toHaveLength(1);
      expect(other.data[0].url).toBe("s3://team-b/x");
      const mine = await (await call(keys.read, "GET", `/v1/checkpoints?run=${encodeURIComponent(ids.run)}`)).json();
      expect(mine.data.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining([ids.checkpoint, ids.checkpoint2]));
      expect(mine.data.map((c: { id: string }) => c.id)).not.toContain(other.data[0].id);
      const tracks = await (await call(undefined, "GET", "/v1/tracks")).json();
      expect(tracks.data.map((t: { id: string }) => t.id)).not.toContain(ids.privateTrack);
      const queue = await (await call(keys.other, "GET", "/v1/submissions?limit=200")).json();
      expect(queue.data.map((s: { id: string }) => s.id)).not.toContain(ids.privateSubmission);
      const keyed = await call(keys.read, "GET", `/v1/checkpoints/${ids.checkpoint}`);
      expect(keyed.headers.get("cache-control")).toBe("private, no-store");
      expect(keyed.headers.get("vary")).toContain("Authorization");
      await keyed.arrayBuffer();
    });

    it("a submission publishes its evaluation; a run policy publishes nothing unless asked", async () => {
      const publications = await (await call(keys.read, "GET", `/v1/evaluations/${ids.publicEvaluation}/publications`)).json();
      expect(publications.data).toEqual([expect.objectContaining({ track: ids.publicTrack, evaluation: ids.publicEvaluation, via: "submission" })]);
      const policy = await (await call(keys.read, "GET", `/v1/runs/${encodeURIComponent(ids.run)}/policy`)).json();
      expect(policy.publish).toBe(false);
      // Team A's own evaluation that follows no track can be published nowhere.
      const refused = await call(keys.submit, "POST", `/v1/evaluations/${ids.evaluation}/publications`, { track: ids.publicTrack });
      expect(refused.status).toBe(422);
      expect(refused.headers.get("content-type")).toContain("application/problem+json");
    });

    it("public rows are redacted to scheme and host until the team publishes the URL", async () => {
      const anonymous = await (await call(undefined, "GET", `/v1/checkpoints/${ids.publicCheckpoint}`)).json();
      expect(anonymous.url).toBe("s3://acme-private-weights/");
      expect(anonymous.metadata).toBeNull();
      const queue = await (await call(undefined, "GET", "/v1/submissions?limit=200")).json();
      const entry = queue.data.find((s: { id: string }) => s.id === ids.publicSubmission);
      expect(entry.url).toBe("s3://acme-private-weights/");
      const listed = await (await call(undefined, "GET", "/v1/checkpoints?limit=200&run=submissions")).json();
      expect(listed.data.find((c: { id: string }) => c.id === ids.publicCheckpoint)?.url).toBe("s3://acme-private-weights/");
      expect(JSON.stringify(listed)).not.toContain("secret-run");
      const owner = await (await call(keys.read, "GET", `/v1/checkpoints/${ids.publicCheckpoint}`)).json();
      expect(owner.url).toBe(ids.publicUrl);

      expect((await call(keys.admin, "PATCH", `/v1/checkpoints/${ids.publicCheckpoint}`, { url_public: true })).status).toBe(200);
      expect((await (await call(undefined, "GET", `/v1/checkpoints/${ids.publicCheckpoint}`)).json()).url).toBe(ids.publicUrl);
    });

    describe("training-run webhooks per team", () => {
      const send = (team: string, secret: string, payload: unknown, id = `msg_${Math.random().toString(36).slice(2)}`) => {
        const body = JSON.stringify(payload);
        const timestamp = Math.floor(h.now().getTime() / 1000);
        const signature = new Webhook(secret).sign(id, new Date(timestamp * 1000), body);
        return h.fetch(`/v1/hooks/${team}/training-runs`, {
          method: "POST",
          body,
          headers: { "content-type": "application/json", "webhook-id": id, "webhook-timestamp": String(timestamp), "webhook-signature": signature },
        });
      };
      const saved = (run: string, step: number) => ({
        type: "checkpoint.saved",
        timestamp: h.now().toISOString(),
        data: { run, step, url: `s3://acme-private-weights/${run}/step-${step}/` },
      });

      it("a webhook signed with team A's secret posted to team B's endpoint is a 401; to A's, it lands in A", async () => {
        const a = await secretOf(keys.admin!);
        expect(a.endpoint).toBe(`/v1/hooks/${teamA}/training-runs`);
        const run = uniqueRun("hooked");
        expect((await send(teamB, a.secret, saved(run, 1))).status).toBe(401);
        expect((await send(slug("no-such-team"), a.secret, saved(run, 1))).status).toBe(401);
        // The deployment's WEBHOOK_SECRET signs for the default team only.
        expect((await send(teamA, h.webhookSecret, saved(run, 1))).status).toBe(401);
        const res = await send(teamA, a.secret, saved(run, 1));
        expect(res.status).toBe(200);
        const receipt = await res.json();
        expect((await call(keys.read, "GET", `/v1/checkpoints/${receipt.checkpoint.id}`)).status).toBe(200);
        expect((await call(keys.other, "GET", `/v1/checkpoints/${receipt.checkpoint.id}`)).status).toBe(404);
      });

      it("rotation overlaps the old and new secret; an overlap of 0 and a revocation stop a secret at once", async () => {
        const first = await secretOf(keys.admin!);
        const second = await secretOf(keys.admin!); // default overlap: the first keeps verifying
        const run = uniqueRun("rotate");
        expect((await send(teamA, first.secret, saved(run, 1))).status).toBe(200);
        expect((await send(teamA, second.secret, saved(run, 2))).status).toBe(200);
        const third = await secretOf(keys.admin!, 0);
        expect((await send(teamA, first.secret, saved(run, 3))).status).toBe(401);
        expect((await send(teamA, second.secret, saved(run, 3))).status).toBe(401);
        expect((await send(teamA, third.secret, saved(run, 3))).status).toBe(200);
        expect((await call(keys.admin, "DELETE", `/v1/webhook-secrets/${third.id}`)).status).toBe(204);
        expect((await send(teamA, third.secret, saved(run, 4))).status).toBe(401);
        const listed = await (await call(keys.admin, "GET", "/v1/webhook-secrets")).json();
        expect(JSON.stringify(listed)).not.toContain(third.secret);
      });
    });

    it("the audit log records each write once (an idempotent replay and a webhook replay add nothing)", async () => {
      const team = slug("audited");
      expect((await call(operatorKey.value, "POST", "/v1/teams", { id: team })).status).toBe(201);
      const admin = await newKey(team, ["admin"]);
      const run = uniqueRun("audit");
      const post = () =>
        h.fetch("/v1/checkpoints", jsonInit("POST", { url: "s3://audit/x", run }, { ...bearer(admin.key), "idempotency-key": `audit-${run}` }));
      const first = await post();
      expect(first.status).toBe(201);
      const checkpoint = await first.json();
      const replay = await post();
      expect(replay.headers.get("idempotent-replayed")).toBe("true");
      await replay.arrayBuffer();
      expect((await call(admin.key, "PATCH", `/v1/checkpoints/${checkpoint.id}`, { url_public: true })).status).toBe(200);
      // A refused write is not a write.
      expect((await call(admin.key, "POST", "/v1/checkpoints", { url: 1 })).status).toBe(422);
      const secret = await secretOf(admin.key);
      const webhookId = `msg_${run}`;
      const event = { type: "checkpoint.saved", timestamp: h.now().toISOString(), data: { run, step: 1, url: "s3://audit/y" } };
      const body = JSON.stringify(event);
      const timestamp = Math.floor(h.now().getTime() / 1000);
      const headers = {
        "content-type": "application/json",
        "webhook-id": webhookId,
        "webhook-timestamp": String(timestamp),
        "webhook-signature": new Webhook(secret.secret).sign(webhookId, new Date(timestamp * 1000), body),
      };
      for (let i = 0; i < 2; i++) expect((await h.fetch(`/v1/hooks/${team}/training-runs`, { method: "POST", body, headers })).status).toBe(200);

      const log = await (await call(admin.key, "GET", "/v1/audit")).json();
      const lines = log.data.map(
        (e: { method: string; path: string; actor: string }) => `${e.method} ${e.path} ${e.actor.startsWith("webhook:") ? "webhook" : e.actor}`,
      );
      expect(lines.sort()).toEqual(
        [
          `POST /v1/checkpoints ${admin.id}`,
          `PATCH /v1/checkpoints/${checkpoint.id} ${admin.id}`,
          `POST /v1/webhook-secrets ${admin.id}`,
          `POST /v1/hooks/${team}/training-runs webhook`,
        ].sort(),
      );
      // Another team's admin reads its own log, never this one.
      const other = await (await call(keys.other, "GET", "/v1/audit?limit=500")).json();
      expect(JSON.stringify(other)).not.toContain(checkpoint.id);
    });

    it("a run name is unique within a team, not across teams", async () => {
      const run = uniqueRun("shared-name");
      const b = await newKey(teamB, ["submit"]);
      const mineA = await created(await call(keys.submit, "POST", "/v1/checkpoints", { url: "s3://team-a/1", run, step: 1 }), "a");
      const mineB = await created(await call(b.key, "POST", "/v1/checkpoints", { url: "s3://team-b/1", run, step: 1 }), "b");
      const listA = await (await call(keys.read, "GET", `/v1/checkpoints?run=${encodeURIComponent(run)}`)).json();
      const listB = await (await call(b.key, "GET", `/v1/checkpoints?run=${encodeURIComponent(run)}`)).json();
      expect(listA.data.map((c: { id: string }) => c.id)).toEqual([mineA.id]);
      expect(listB.data.map((c: { id: string }) => c.id)).toEqual([mineB.id]);
    });
  });
}

/** `/v1/checkpoints/ckpt_x?run=y` → `/v1/checkpoints/{id}`: the OpenAPI template a concrete path matches. */
function templateOf(path: string): string {
  const bare = path.split("?")[0];
  const rules: [RegExp, string][] = [
    [/^\/v1\/checkpoints\/[^/]+$/, "/v1/checkpoints/{id}"],
    [/^\/v1\/merges\/[^/]+$/, "/v1/merges/{id}"],
    [/^\/v1\/evaluations\/[^/]+\/samples$/, "/v1/evaluations/{id}/samples"],
    [/^\/v1\/evaluations\/[^/]+\/metrics$/, "/v1/evaluations/{id}/metrics"],
    [/^\/v1\/evaluations\/[^/]+\/retry-errors$/, "/v1/evaluations/{id}/retry-errors"],
    [/^\/v1\/evaluations\/[^/]+\/export$/, "/v1/evaluations/{id}/export"],
    [/^\/v1\/(evaluations|merges|submissions)\/[^/]+\/cancel$/, "/v1/$1/{id}/cancel"],
    [/^\/v1\/runs\/[^/]+\/pairs$/, "/v1/runs/{run}/pairs"],
    [/^\/v1\/runs\/[^/]+\/pairs\/[^/]+\/build$/, "/v1/runs/{run}/pairs/{with}/build"],
    [/^\/v1\/packs\/[^/]+$/, "/v1/packs/{name}"],
    [/^\/v1\/webhooks\/[^/]+\/deliveries\/[^/]+\/redeliver$/, "/v1/webhooks/{id}/deliveries/{delivery}/redeliver"],
    [/^\/v1\/webhooks\/[^/]+\/deliveries$/, "/v1/webhooks/{id}/deliveries"],
    [/^\/v1\/webhooks\/[^/]+$/, "/v1/webhooks/{id}"],
    [/^\/v1\/evaluations\/[^/]+$/, "/v1/evaluations/{id}"],
    [/^\/v1\/ensembles\/[^/]+$/, "/v1/ensembles/{id}"],
    [/^\/v1\/runs\/[^/]+\/frontier$/, "/v1/runs/{run}/frontier"],
    [/^\/v1\/runs\/[^/]+\/policy$/, "/v1/runs/{run}/policy"],
    [/^\/v1\/tracks\/[^/]+$/, "/v1/tracks/{id}"],
    [/^\/v1\/tracks\/[^/]+\/frontier$/, "/v1/tracks/{id}/frontier"],
    [/^\/v1\/evaluations\/[^/]+\/publications$/, "/v1/evaluations/{id}/publications"],
    [/^\/v1\/evaluations\/[^/]+\/publications\/[^/]+$/, "/v1/evaluations/{id}/publications/{track}"],
    [/^\/v1\/submissions\/[^/]+$/, "/v1/submissions/{id}"],
    [/^\/v1\/keys\/[^/]+$/, "/v1/keys/{id}"],
    [/^\/v1\/webhook-secrets\/[^/]+$/, "/v1/webhook-secrets/{id}"],
    [/^\/v1\/benchmarks\/[^/]+$/, "/v1/benchmarks/{name}"],
  ];
  for (const [pattern, template] of rules) if (pattern.test(bare)) return bare.replace(pattern, template);
  return bare;
}
