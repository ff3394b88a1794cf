// The leaderboard, run frontier and page over a ranked board on Deno's SQLite: the same seed rows as
// the workerd tests (test/src/leaderboard/fixture.ts) written into the server's database file, so
// the one-query ranking (UNION ALL of checkpoints and ensembles, json_extract/json_each over stored
// metrics) is checked on SQLite as it is on D1. Completed evaluations cannot be made through the
// API without a backend and an executor, hence the seed.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiResponse } from "../contract/harness.ts";
import { buildSeed, expectedOrder, type Seed } from "../src/leaderboard/fixture.ts";
import { keyMaker, runDeno, startDenoServer, type DenoServer } from "./deno-process.ts";

const folder = mkdtempSync(join(tmpdir(), "frontier-deno-leaderboard-"));
const databasePath = join(folder, "frontier.sqlite");
let server: DenoServer | undefined;
let data: Seed;
let readKey = "";
const get = async (path: string): Promise<ApiResponse> => {
  // A read key of the default team (the seed's team): run frontiers are private to their team.
  const res = await fetch(new URL(path, server!.url), { headers: { authorization: `Bearer ${readKey}` } });
  expect(res.status, path).toBe(200);
  return res as ApiResponse;
};

/** Runs the seed's statements in one transaction, with foreign keys on, while the server runs (WAL). */
async function seedDatabase(statements: string[]): Promise<void> {
  const file = join(folder, "seed.json");
  writeFileSync(file, JSON.stringify(statements));
  const script = `import { DatabaseSync } from "node:sqlite";
const db = new DatabaseSync(${JSON.stringify(databasePath)});
db.exec("PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; BEGIN");
for (const statement of JSON.parse(Deno.readTextFileSync(${JSON.stringify(file)}))) db.exec(statement);
db.exec("COMMIT");`;
  const result = await runDeno(["eval", script], {});
  if (result.code !== 0) throw new Error(`seeding failed:\n${result.stderr}`);
}

beforeAll(async () => {
  server = await startDenoServer({ databasePath });
  data = buildSeed({ prefix: "dn" });
  await seedDatabase(data.statements);
  readKey = await keyMaker(databasePath)(["read"]);
});

afterAll(async () => {
  await server?.stop();
  rmSync(folder, { recursive: true, force: true });
});

describe("a ranked leaderboard on Deno's SQLite", () => {
  const board = (query: string) => `/v1/leaderboard?benchmark=${encodeURIComponent(data.benchmark.id)}&${query}`;

  it("ranks checkpoints by pass@k with their figures and lineage, as on D1", async () => {
    const body = await (await get(board("k=1&limit=100"))).json();
    expect(body.benchmark).toEqual(data.benchmark);
    expect(body.data.map((row: { id: string }) => row.id)).toEqual(expectedOrder(data, 1));
    const seeded = data.checkpoints.find((c) => c.alpha === 1.5)!;
    expect(body.data.find((row: { id: string }) => row.id === seeded.id)).toMatchObject({
      kind: "checkpoint",
      run: data.mergeRun,
      evaluation: seeded.evaluation,
      pass_at_k: seeded.passAt["pass@1"],
      correctness_failure_rate: seeded.correctness,
      efficiency_failure_rate: seeded.efficiency,
      lineage: {
        source: "merge",
        alpha: 1.5,
        parents: [
          { checkpoint: "ckpt_dn_low", coefficient: -0.5 },
          { checkpoint: "ckpt_dn_high", coefficient: 1.5 },
        ],
      },
    });
    // A bare name means the version with results.
    expect((await (await get(`/v1/leaderboard?benchmark=${data.benchmark.name}&limit=1`)).json()).benchmark).toEqual(data.benchmark);
  });

  it("pages across ties with cursors in the same order", async () => {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: { id: string }[]; next_cursor: string | null } = await (
        await get(board(`k=1&kind=checkpoint&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`))
      ).json();
      ids.push(...page.data.map((row) => row.id));
      cursor = page.next_cursor;
    } while (cursor && ids.length < 1000);
    expect(ids).toEqual(expectedOrder(data, 1));
  });

  it("ranks the ensemble at k = its budget with its run from its members' checkpoints (json_each)", async () => {
    const body = await (await get(board("k=20&kind=ensemble"))).json();
    expect(body.data).toHaveLength(1);
    const row = body.data[0];
    expect(row).toMatchObject({
      kind: "ensemble",
      id: data.ensembleId,
      run: data.mergeRun,
      samples_per_problem: 20,
      ensemble: { budget: 20, allocation: "equal" },
    });
    expect(row.lineage.members.map((m: { checkpoint: string }) => m.checkpoint)).toEqual(["ckpt_dn_a0", "ckpt_dn_a8"]);
    expect(row.ensemble.gain).toBeCloseTo(row.pass_at_k - row.ensemble.best_single.value, 12);
    const both = await (await get(board("k=20&limit=100"))).json();
    const scores = both.data.map((r: { pass_at_k: number | null }) => r.pass_at_k ?? -1);
    expect(scores).toEqual([...scores].sort((a: number, b: number) => b - a));
    expect(both.data.map((r: { id: string }) => r.id)).toContain(data.ensembleId);
  });

  it("the run's frontier and the page draw the merge grid in α order", async () => {
    const frontier = await (
      await get(`/v1/runs/${encodeURIComponent(data.mergeRun)}/frontier?benchmark=${encodeURIComponent(data.benchmark.id)}&k=1,10`)
    ).json();
    expect(frontier.points.map((p: { checkpoint: string }) => p.checkpoint)).toEqual(data.frontierIds);
    expect(frontier.pareto.length).toBeGreaterThan(0);
    const page = await (await get(`/?benchmark=${encodeURIComponent(data.benchmark.id)}&k=1`)).text();
    const expected = expectedOrder(data, 1);
    expect([...page.matchAll(/<tr data-id="([^"]+)"/g)].map((m) => m[1]).filter((id) => expected.includes(id!))).toEqual(expected);
  });
});
