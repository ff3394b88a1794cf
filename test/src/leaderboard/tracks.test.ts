// Tracks inside workerd on D1: creating one (admin only, immutable), listing them (public), and the
// leaderboard and frontier ranking only complete evaluations that follow the track's protocol and
// cover its problem set — the subset/temperature attack of issue 19 never changes a ranked row.
import { env, SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { apiKey } from "../pipeline/doubles.ts";
import { buildSeed, type Seed } from "./fixture.ts";

const DB = (env as unknown as { DB: D1Database }).DB;
const url = (path: string) => new URL(path, "https://frontier.test").href;
const get = (path: string) => SELF.fetch(url(path));
const post = (path: string, body: unknown, key?: string) =>
  SELF.fetch(url(path), {
    method: "POST",
    body: JSON.stringify(body),
    headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
  });

let data: Seed;
let admin: string;
// The seed evaluates every checkpoint on all four problems at n = 20, temperature 1, top_p 1, 1024 tokens, seed 0.
const protocol = { n: 20, temperature: 1, top_p: 1, max_tokens: 1024, seed: 0 };

/** A complete evaluation of a checkpoint with stored metrics, newer than every seeded one. */
async function addEvaluation(id: string, checkpoint: string, run: string, params: typeof protocol, problems: string[], passAt1: number, minute: number) {
  const at = new Date(Date.UTC(2025, 6, 2, 12, minute)).toISOString();
  await DB.batch([
    DB.prepare(
      `INSERT INTO evaluations (id, checkpoint_id, benchmark, benchmark_version, language, params, problems, requested, status, sample_cursor, errors, created_at, updated_at, completed_at)
       VALUES (?, ?, ?, ?, 'python', ?, ?, ?, 'complete', 0, '[]', ?, ?, ?)`,
    ).bind(
      id,
      checkpoint,
      data.benchmark.name,
      data.benchmark.version,
      JSON.stringify(params),
      JSON.stringify(problems),
      problems.length * params.n,
      at,
      at,
      at,
    ),
    DB.prepare(
      `INSERT INTO evaluation_metrics (evaluation_id, checkpoint_id, run, benchmark, benchmark_version, pass_at_1, pass_at_k, se, breakdown, per_problem, samples, computed_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).bind(
      id,
      checkpoint,
      run,
      data.benchmark.name,
      data.benchmark.version,
      passAt1,
      JSON.stringify({ "pass@1": passAt1 }),
      JSON.stringify({ "pass@1": 0 }),
      JSON.stringify({ pass_rate: passAt1, correctness_failure_rate: 1 - passAt1, efficiency_failure_rate: 0 }),
      JSON.stringify(problems.map((problem) => ({ problem, n: params.n, c: Math.round(passAt1 * params.n), verdicts: {} }))),
      problems.length * params.n,
      at,
    ),
  ]);
}

/** The leaderboard as anyone sees it, or with a key as its team does (its own unpublished rows too). */
async function board(query: string, key?: string) {
  const res = await SELF.fetch(url(`/v1/leaderboard?${query}&kind=checkpoint&limit=100`), key ? { headers: { authorization: `Bearer ${key}` } } : {});
  expect(res.status).toBe(200);
  return res.json<any>();
}

beforeAll(async () => {
  data = buildSeed({ prefix: "tr", track: false });
  await DB.batch(data.statements.map((statement) => DB.prepare(statement)));
  admin = await apiKey(["operator"]);
});

describe("tracks", () => {
  it("are created by an operator only, never change, and are listed publicly", async () => {
    const definition = { id: "tr-reasoning", benchmark: data.benchmark.id, ...protocol, description: "the seeded protocol" };
    expect((await post("/v1/tracks", definition)).status).toBe(401);
    const forbidden = await post("/v1/tracks", definition, await apiKey(["submit"]));
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get("content-type")).toContain("application/problem+json");

    const created = await post("/v1/tracks", definition, admin);
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toBe("/v1/tracks/tr-reasoning");
    const track = await created.json<any>();
    expect(track).toMatchObject({
      id: "tr-reasoning",
      benchmark: data.benchmark,
      protocol: { setting: "reasoning", language: "python", n: 20, temperature: 1, top_p: 1, max_tokens: 1024, seeding: { rule: "fixed", seed: 0 } },
      split: null,
      problems: ["two-sum", "interval-merge", "shortest-path", "knapsack"],
    });
    // The same definition again: the track as it is. Another definition under the id: 409, problem+json.
    expect((await post("/v1/tracks", definition, admin)).status).toBe(200);
    const changed = await post("/v1/tracks", { ...definition, temperature: 0.1 }, admin);
    expect(changed.status).toBe(409);
    expect(changed.headers.get("content-type")).toContain("application/problem+json");

    const unknown = await post("/v1/tracks", { ...definition, id: "tr-bad", split: "x", problems: ["nope"] }, admin);
    expect(unknown.status).toBe(422);
    expect((await unknown.json<any>()).errors[0].path).toBe("problems");
    expect((await post("/v1/tracks", { ...definition, id: "tr-bad", setting: "sideways" }, admin)).status).toBe(422);
    expect((await post("/v1/tracks", { ...definition, id: "tr-bad", benchmark: "no-such-bench" }, admin)).status).toBe(422);

    const split = await post("/v1/tracks", { ...definition, id: "tr-held-out", split: "held-out", problems: ["knapsack", "two-sum"] }, admin);
    expect(split.status).toBe(201);
    // Stored in benchmark order, whatever order the operator gave.
    expect(await split.json<any>()).toMatchObject({ split: "held-out", problems: ["two-sum", "knapsack"] });

    const list = await get("/v1/tracks");
    expect(list.status).toBe(200);
    expect((await list.json<any>()).data.map((t: any) => t.id)).toEqual(["tr-reasoning", "tr-held-out"]);
    expect((await get("/v1/tracks/tr-held-out")).status).toBe(200);
    const missing = await get("/v1/tracks/none");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toContain("application/problem+json");
  });

  it("the subset/temperature attack never changes a ranked row; a conforming evaluation does", async () => {
    const benchmark = encodeURIComponent(data.benchmark.id);
    // Nothing is published yet: the public board is empty, the team's own key sees its conforming rows, unpublished.
    expect((await board(`track=tr-reasoning`)).data).toEqual([]);
    const reader = await apiKey(["read"]);
    const own = await board(`track=tr-reasoning`, reader);
    expect(own.data.length).toBe(data.checkpoints.length);
    expect(own.data.every((r: any) => r.published === false)).toBe(true);
    const submitter = await apiKey(["submit"]);
    for (const c of data.checkpoints) {
      expect((await post(`/v1/evaluations/${c.evaluation}/publications`, { track: "tr-reasoning" }, submitter)).status).toBe(201);
    }
    const before = await board(`track=tr-reasoning`);
    expect(before.track).toBe("tr-reasoning");
    expect(before.data.length).toBe(data.checkpoints.length);
    expect(before.data.every((r: any) => r.published === true)).toBe(true);
    // Without ?track= the benchmark's first track ranks: the same rows.
    expect((await board(`benchmark=${benchmark}`)).data).toEqual(before.data);
    const low = data.checkpoints.find((c) => c.id === "ckpt_tr_low")!;

    // The attack: the same checkpoint, later, on one problem at temperature 0.1 — pass@1 100%.
    await addEvaluation("eval_tr_attack_subset", low.id, low.run, { ...protocol, temperature: 0.1 }, ["two-sum"], 1, 0);
    // Every other single deviation from the protocol, each with a perfect score.
    await addEvaluation("eval_tr_attack_n", low.id, low.run, { ...protocol, n: 4 }, ["two-sum", "interval-merge", "shortest-path", "knapsack"], 1, 1);
    await addEvaluation("eval_tr_attack_seed", low.id, low.run, { ...protocol, seed: 7 }, ["two-sum", "interval-merge", "shortest-path", "knapsack"], 1, 2);
    await addEvaluation(
      "eval_tr_attack_tokens",
      low.id,
      low.run,
      { ...protocol, max_tokens: 4096 },
      ["two-sum", "interval-merge", "shortest-path", "knapsack"],
      1,
      3,
    );
    await addEvaluation("eval_tr_attack_subset2", low.id, low.run, protocol, ["two-sum", "interval-merge", "shortest-path"], 1, 4);

    // None of them can be published on the track either.
    for (const attack of ["eval_tr_attack_subset", "eval_tr_attack_n", "eval_tr_attack_seed", "eval_tr_attack_tokens", "eval_tr_attack_subset2"]) {
      const refused = await post(`/v1/evaluations/${attack}/publications`, { track: "tr-reasoning" }, submitter);
      expect(refused.status).toBe(422);
      expect(refused.headers.get("content-type")).toContain("application/problem+json");
    }
    const after = await board(`track=tr-reasoning`);
    expect(after.data).toEqual(before.data);
    expect(after.data.find((r: any) => r.id === low.id)).toMatchObject({ evaluation: low.evaluation, pass_at_k: low.passAt["pass@1"] });
    expect((await board(`benchmark=${benchmark}`)).data).toEqual(before.data);
    expect((await board("")).data).toEqual(before.data);

    // The frontier on the track keeps the conforming evaluation too.
    const frontier = await (
      await SELF.fetch(url(`/v1/runs/${encodeURIComponent(low.run)}/frontier?track=tr-reasoning`), { headers: { authorization: `Bearer ${reader}` } })
    ).json<any>();
    expect(frontier.track).toBe("tr-reasoning");
    expect(frontier.points.map((p: any) => p.evaluation)).toEqual([low.evaluation]);

    // A later evaluation that follows the protocol exactly replaces the checkpoint's row: for its
    // team at once, publicly once published.
    await addEvaluation("eval_tr_conforming", low.id, low.run, protocol, ["two-sum", "interval-merge", "shortest-path", "knapsack"], 0.99, 5);
    expect((await board(`track=tr-reasoning`)).data).toEqual(before.data);
    expect((await board(`track=tr-reasoning`, reader)).data.find((r: any) => r.id === low.id)).toMatchObject({
      evaluation: "eval_tr_conforming",
      published: false,
    });
    expect((await post(`/v1/evaluations/eval_tr_conforming/publications`, { track: "tr-reasoning" }, submitter)).status).toBe(201);
    const conforming = await board(`track=tr-reasoning`);
    expect(conforming.data.find((r: any) => r.id === low.id)).toMatchObject({ evaluation: "eval_tr_conforming", pass_at_k: 0.99 });
    expect(conforming.data[0].id).toBe(low.id);
  });

  it("ranks a split track only on evaluations of exactly its problems; unknown tracks are 404 problems", async () => {
    const held = await board(`track=tr-held-out`);
    expect(held.track).toBe("tr-held-out");
    expect(held.data).toEqual([]);
    const res = await get(`/v1/leaderboard?track=none`);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const mismatch = await get(`/v1/leaderboard?track=tr-reasoning&benchmark=other@sha256:${"0".repeat(64)}`);
    expect(mismatch.status).toBe(400);
    // The page ranks per track and says which.
    const page = await get(`/?track=tr-held-out`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("track tr-held-out");
  });
});
