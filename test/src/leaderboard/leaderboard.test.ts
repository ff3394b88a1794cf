// The public leaderboard API and page inside workerd, on D1 seeded with a merge grid, ties and an
// ensemble (fixture.ts): order and pagination across ties, ETag/304, CORS, unknown ids.
import { env, SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { apiKey } from "../pipeline/doubles.ts";
import { buildSeed, expectedOrder, type Seed } from "./fixture.ts";

const DB = (env as unknown as { DB: D1Database }).DB;
const pageData = (page: string) => JSON.parse(page.match(/<script type="application\/json" id="page-data">([\s\S]*?)<\/script>/)![1]!);
const get = (path: string, headers: Record<string, string> = {}) => SELF.fetch(new URL(path, "https://frontier.test").href, { headers });

async function seed(prefix: string): Promise<Seed> {
  const built = buildSeed({ prefix });
  await DB.batch(built.statements.map((statement) => DB.prepare(statement)));
  return built;
}

async function walk(path: string, limit: number): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res = await get(`${path}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    expect(res.status).toBe(200);
    const body: any = await res.json();
    expect(body.data.length).toBeLessThanOrEqual(limit);
    ids.push(...body.data.map((row: { id: string }) => row.id));
    cursor = body.next_cursor;
    pages++;
  } while (cursor && pages < 100);
  return { ids, pages };
}

let data: Seed;
beforeAll(async () => {
  data = await seed("lb");
});

describe("GET /v1/leaderboard", () => {
  it("ranks checkpoints by pass@k with SE, failure rates, samples per problem and lineage", async () => {
    const res = await get(`/v1/leaderboard?benchmark=${encodeURIComponent(data.benchmark.id)}&k=1&limit=100`);
    expect(res.status).toBe(200);
    const body: any = await res.json();
    expect(body.benchmark).toEqual(data.benchmark);
    expect(body.data.map((r: any) => r.id)).toEqual(expectedOrder(data, 1));
    expect(body.next_cursor).toBeNull();

    const merged = body.data.find((r: any) => r.lineage.alpha === 1.5);
    const seeded = data.checkpoints.find((c) => c.alpha === 1.5)!;
    expect(merged).toMatchObject({
      kind: "checkpoint",
      run: data.mergeRun,
      evaluation: seeded.evaluation,
      pass_at_k: seeded.passAt["pass@1"],
      samples_per_problem: 20,
      correctness_failure_rate: seeded.correctness,
      efficiency_failure_rate: seeded.efficiency,
      lineage: {
        source: "merge",
        alpha: 1.5,
        parents: [
          { checkpoint: "ckpt_lb_low", coefficient: -0.5 },
          { checkpoint: "ckpt_lb_high", coefficient: 1.5 },
        ],
      },
      ensemble: null,
    });
    expect(merged.se).toBeGreaterThan(0);
    // Every judged sample is a pass or one of the three failure kinds: the rates sum to one.
    expect(merged.other_failure_rate).toBe(0);
    expect(merged.pass_rate + merged.correctness_failure_rate + merged.efficiency_failure_rate + merged.other_failure_rate).toBeCloseTo(1, 12);
    expect(body.data.find((r: any) => r.id === "ckpt_lb_low").lineage).toMatchObject({ source: "api", step: 400, alpha: null, parents: null });
  });

  it("pages with opaque cursors in a stable order across ties, whatever the page size", async () => {
    const path = `/v1/leaderboard?benchmark=${encodeURIComponent(data.benchmark.id)}&k=1&kind=checkpoint`;
    const expected = expectedOrder(data, 1);
    // The tied block is contiguous and ordered by id.
    const tiedPositions = data.tieIds.map((id) => expected.indexOf(id)).sort((a, b) => a - b);
    expect(tiedPositions.at(-1)! - tiedPositions[0]!).toBe(data.tieIds.length - 1);
    expect(expected.filter((id) => data.tieIds.includes(id))).toEqual([...data.tieIds].sort());
    for (const limit of [1, 2, 3, 7]) {
      const { ids, pages } = await walk(path, limit);
      expect(ids).toEqual(expected);
      expect(pages).toBe(Math.ceil(expected.length / limit));
    }
  });

  it("lists ensembles at k = their budget, with the best single member and the gain", async () => {
    const path = `/v1/leaderboard?benchmark=${encodeURIComponent(data.benchmark.id)}&k=20`;
    const ensembles: any = await (await get(`${path}&kind=ensemble`)).json();
    expect(ensembles.data).toHaveLength(1);
    const row = ensembles.data[0];
    expect(row).toMatchObject({
      kind: "ensemble",
      id: data.ensembleId,
      run: data.mergeRun,
      samples_per_problem: 20,
      ensemble: { budget: 20, allocation: "equal" },
    });
    expect(row.lineage.members.map((m: any) => m.checkpoint)).toEqual(["ckpt_lb_a0", "ckpt_lb_a8"]);
    expect(row.ensemble.gain).toBeCloseTo(row.pass_at_k - row.ensemble.best_single.value, 12);

    const both: any = await (await get(`${path}&limit=100`)).json();
    const scores = both.data.map((r: any) => r.pass_at_k ?? -1);
    expect(both.data.map((r: any) => r.id)).toContain(data.ensembleId);
    expect(scores).toEqual([...scores].sort((a: number, b: number) => b - a));
    const checkpointsOnly: any = await (await get(`${path}&kind=checkpoint&limit=100`)).json();
    expect(checkpointsOnly.data.map((r: any) => r.kind)).not.toContain("ensemble");
    // k = 1 is not the ensemble's budget: it is not ranked there.
    const atOne: any = await (await get(`/v1/leaderboard?benchmark=${encodeURIComponent(data.benchmark.id)}&k=1&kind=ensemble`)).json();
    expect(atOne.data).toEqual([]);
  });

  it("a bare benchmark name means its version with results; unknown benchmarks are 404 problem+json", async () => {
    const byName: any = await (await get(`/v1/leaderboard?benchmark=${data.benchmark.name}&limit=1`)).json();
    expect(byName.benchmark.id).toBe(data.benchmark.id);
    for (const path of [
      `/v1/leaderboard?benchmark=no-such-bench`,
      `/v1/leaderboard?benchmark=${data.benchmark.name}@sha256:${"0".repeat(64)}`,
      "/v1/benchmarks/no-such-bench",
    ]) {
      const res = await get(path);
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect((await res.json<any>()).type).toBe("urn:frontier:problem:not-found");
      expect(res.headers.get("cache-control")).toBeNull();
    }
    const found = await get(`/v1/benchmarks/${encodeURIComponent(data.benchmark.id)}`);
    expect(found.status).toBe(200);
    expect((await found.json<any>()).problems).toBe(4);
  });

  it("answers bad parameters and foreign cursors with 400 problem+json", async () => {
    const forged = btoa(JSON.stringify({ v: 1, a: "not-json" })).replace(/=+$/, "");
    for (const query of ["k=0", "k=abc", "limit=0", "limit=101", "kind=merge", "cursor=%%%", `cursor=${forged}`]) {
      const res = await get(`/v1/leaderboard?benchmark=${encodeURIComponent(data.benchmark.id)}&${query}`);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
  });
});

describe("caching and CORS on public reads", () => {
  const paths = () => [
    `/v1/leaderboard?benchmark=${encodeURIComponent(data.benchmark.id)}`,
    "/v1/benchmarks",
    `/v1/benchmarks/${encodeURIComponent(data.benchmark.name)}`,
    `/?benchmark=${encodeURIComponent(data.benchmark.id)}`,
  ];

  it("every public read has an ETag and public Cache-Control; a matching If-None-Match is a bodiless 304", async () => {
    for (const path of paths()) {
      const first = await get(path);
      expect({ path, status: first.status }).toEqual({ path, status: 200 });
      const tag = first.headers.get("etag");
      expect(tag).toMatch(/^"[^"]+"$/);
      expect(first.headers.get("cache-control")).toMatch(/^public, max-age=\d+, stale-while-revalidate=\d+$/);
      await first.arrayBuffer();

      const again = await get(path, { "if-none-match": `W/"other", ${tag}` });
      expect(again.status).toBe(304);
      expect(again.headers.get("etag")).toBe(tag);
      expect(again.headers.get("cache-control")).toBe(first.headers.get("cache-control"));
      expect(await again.text()).toBe("");

      const stale = await get(path, { "if-none-match": '"stale"' });
      expect(stale.status).toBe(200);
      await stale.arrayBuffer();
    }
  });

  it("the ETag changes when the data does", async () => {
    const own = await seed("lbetag");
    const path = `/v1/leaderboard?benchmark=${encodeURIComponent(own.benchmark.id)}`;
    const before = await get(path);
    const tag = before.headers.get("etag")!;
    await before.arrayBuffer();
    await DB.prepare("UPDATE evaluation_metrics SET pass_at_k = json_set(pass_at_k, '$.\"pass@1\"', 0.999) WHERE evaluation_id = ?")
      .bind(own.checkpoints[0]!.evaluation)
      .run();
    const after = await get(path, { "if-none-match": tag });
    expect(after.status).toBe(200);
    expect(after.headers.get("etag")).not.toBe(tag);
    expect((await after.json<any>()).data[0].id).toBe(own.checkpoints[0]!.id);
  });

  it("CORS is open for GET, including preflight; writes are not opened", async () => {
    for (const path of paths()) {
      const res = await get(path, { origin: "https://example.org" });
      expect(res.headers.get("access-control-allow-origin")).toBe("*");
      await res.arrayBuffer();
    }
    const preflight = await SELF.fetch("https://frontier.test/v1/leaderboard", {
      method: "OPTIONS",
      headers: { origin: "https://example.org", "access-control-request-method": "GET" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-methods")).toContain("GET");
    expect(preflight.headers.get("access-control-allow-methods")).not.toContain("POST");
  });
});

describe("GET / (the page)", () => {
  it("server-renders the table in leaderboard order, the frontier data and the bundled assets only", async () => {
    const res = await get(`/?benchmark=${encodeURIComponent(data.benchmark.id)}&k=1&run=${encodeURIComponent(data.mergeRun)}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    const page = await res.text();
    const rowIds = [...page.matchAll(/<tr data-id="([^"]+)"/g)].map((m) => m[1]);
    const expected = expectedOrder(data, 1);
    expect(rowIds.filter((id) => expected.includes(id!))).toEqual(expected);
    expect(page).toContain('aria-sort="ascending"');
    const embedded = pageData(page);
    // Anonymous: runs are private (?run= is ignored, no run picker); the frontier is the track's, over every published checkpoint.
    expect(page).not.toContain('<select name="run">');
    expect(embedded.frontier).toMatchObject({ run: null, track: data.track });
    expect(embedded.frontier.points.map((p: any) => p.checkpoint).sort()).toEqual(data.checkpoints.map((c) => c.id).sort());
    expect(embedded.frontier.pareto.length).toBeGreaterThan(0);
    expect(page).toContain(`Track <strong>${data.track}</strong>`);
    // The team's read key (the page's own fetch): its run picker and the chosen run's frontier in α order.
    const keyedPage = await (
      await get(`/?benchmark=${encodeURIComponent(data.benchmark.id)}&k=1&run=${encodeURIComponent(data.mergeRun)}`, {
        authorization: `Bearer ${await apiKey(["read"])}`,
      })
    ).text();
    expect(keyedPage).toContain(`<option value="${data.mergeRun}" selected="">`);
    const keyed = pageData(keyedPage);
    expect(keyed.frontier.run).toBe(data.mergeRun);
    expect(keyed.frontier.points.map((p: any) => p.checkpoint)).toEqual(data.frontierIds);
    expect(keyed.frontier.points.map((p: any) => p.alpha)).toEqual([-0.5, -0.25, 0, 0.25, 0.5, 0.75, 1, 1.25, 1.5]);
    expect(Object.keys(embedded.details)).toEqual(expect.arrayContaining(expected));
    const detail = embedded.details.ckpt_lb_a0;
    expect(detail.curve.map((p: any) => p.k)).toEqual([1, 2, 5, 10, 20]);
    expect(detail.tiers.map((t: any) => t.name)).toEqual(["small", "medium", "large"]);
    expect(detail.ensembles).toHaveLength(1);
    // Scripts and styles come from this origin only.
    expect(page).not.toMatch(/<(script|link)[^>]+(src|href)="https?:/i);
    expect(page).toContain('src="/assets/leaderboard.js"');
  });

  it("an unknown benchmark is a 404 page that still lists the known ones", async () => {
    const res = await get("/?benchmark=no-such-bench");
    expect(res.status).toBe(404);
    const page = await res.text();
    expect(page).toContain("No benchmark named");
    expect(page).toContain(data.benchmark.id);
  });
});
