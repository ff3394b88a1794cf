// The API commands against the real local stack (wrangler dev with local D1 + Queues, the
// executor, the GPU backend with its demo sampler), started once for this file the way `npm start`
// starts it. Small on purpose: two problems, two samples each, two merge-grid points.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiEnsembleCommand } from "../../src/cli/api/ensemble.ts";
import { compareCommand } from "../../src/cli/compare.ts";
import { apiMergeCommand } from "../../src/cli/api/merge.ts";
import { ApiClient } from "../../src/cli/api/client.ts";
import { runCommand, type CommandSpec } from "../../src/cli/api/command.ts";
import { checkpointsCommand } from "../../src/cli/checkpoints.ts";
import { evaluateCommand } from "../../src/cli/evaluate.ts";
import { frontierCommand } from "../../src/cli/frontier.ts";
import { leaderboardCommand } from "../../src/cli/leaderboard.ts";
import { bundledRegistration, sendTrainingEvent } from "../../scripts/demo-experiment.ts";
import { startLocalStack, type LocalStack } from "../../scripts/start.ts";
import { freePort } from "../../scripts/stack.ts";

const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const CHECKPOINTS = join(ROOT, "packs", "demo-policy", "checkpoints");
const PROBLEMS = ["fib-mod", "range-sum"];
const RUN = "cli-test";
const GRID_RUN = "cli-test-grid";

let stack: LocalStack;
let stateDir: string;
let benchmark: string;
const ids: Record<string, string> = {};
const ensembles: string[] = [];

async function cli(spec: CommandSpec, argv: string[], key: string | null = stack.key) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCommand(spec, [...argv, "--api", stack.url], {
    env: key ? { FRONTIER_API_KEY: key } : {},
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
  });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

async function cliJson(spec: CommandSpec, argv: string[]) {
  const result = await cli(spec, [...argv, "--json"]);
  expect(result.stderr.split("\n").filter((l) => l.startsWith("frontier "))).toEqual([]);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout);
}

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), "frontier-cli-"));
  const [port, executorPort, backendPort] = [await freePort(), await freePort(), await freePort()];
  stack = await startLocalStack({ port, executorPort, backendPort, stateDir, log: () => {} });
  const registered = await new ApiClient(stack.url, stack.key).post<{ id: string }>("/v1/benchmarks", bundledRegistration(ROOT));
  benchmark = registered.id;
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

describe("frontier checkpoints", () => {
  it("adds the two endpoints, lists and shows them", async () => {
    for (const name of ["low-coverage", "high-coverage"]) {
      const created = await cliJson(checkpointsCommand, [
        "add",
        "--url",
        `file://${join(CHECKPOINTS, name)}/`,
        "--run",
        RUN,
        "--step",
        "40",
        "--label",
        name,
        "--metadata",
        '{"demo":true}',
      ]);
      expect(created).toMatchObject({ run: RUN, step: 40, label: name, status: "ready", source: "api", metadata: { demo: true } });
      ids[name] = created.id;
    }
    const listed = await cliJson(checkpointsCommand, ["list", "--run", RUN]);
    expect(listed.map((c: { id: string }) => c.id)).toEqual([ids["low-coverage"], ids["high-coverage"]]);

    const table = await cli(checkpointsCommand, ["list", "--run", RUN]);
    expect(table.code).toBe(0);
    expect(table.stdout.split("\n")[0]).toMatch(/^id\s+run\s+step\s+label\s+status\s+source\s+url$/);
    expect(table.stdout).toContain(ids["high-coverage"]);

    const shown = await cli(checkpointsCommand, ["show", ids["low-coverage"]]);
    expect(shown.stdout).toContain(`run    ${RUN}  step 40`);
  });

  it("lists a checkpoint a training run reported through a signed webhook", async () => {
    const receipt = await sendTrainingEvent(new ApiClient(stack.url), stack.webhookSecret, "checkpoint.saved", {
      run: "cli-test-hooks",
      step: 7,
      url: `${pathToFileURL(join(CHECKPOINTS, "base")).href}/`,
    });
    expect(receipt.duplicate).toBe(false);
    const listed = await cliJson(checkpointsCommand, ["list", "--run", "cli-test-hooks"]);
    expect(listed).toEqual([expect.objectContaining({ id: receipt.checkpoint!.id, source: "webhook", step: 7 })]);
  });

  it("exits 1 with the API's reasons: no key, a refused URL, an unknown id", async () => {
    const noKey = await cli(checkpointsCommand, ["add", "--url", "hf://a/b", "--run", RUN], null);
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toContain("401 API key required");
    expect(noKey.stderr).toContain("set FRONTIER_API_KEY");

    const badUrl = await cli(checkpointsCommand, ["add", "--url", "ftp://example.com/x", "--run", RUN]);
    expect(badUrl.code).toBe(1);
    expect(badUrl.stderr).toMatch(/422 .*\n\s+url: checkpoint URL/);

    const missing = await cli(evaluateCommand, ["status", "eval_nope"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("404");
  });
});

describe("merge, evaluate, frontier and ensemble through the API", () => {
  let merge: { id: string; status: string; checkpoints: { alpha: number; id: string; evaluation: string; status: string }[] };

  it("merge --api --watch builds the grid and starts an evaluation of each output", async () => {
    merge = await cliJson(apiMergeCommand, [
      "--a",
      ids["low-coverage"],
      "--b",
      ids["high-coverage"],
      "--alphas",
      "-0.5,1.5",
      "--run",
      GRID_RUN,
      "--benchmark",
      benchmark,
      "--n",
      "2",
      "--problems",
      PROBLEMS.join(","),
      "--seed",
      "3",
      "--watch",
    ]);
    expect(merge.status).toBe("ready");
    expect(merge.checkpoints.map((c) => [c.alpha, c.status])).toEqual([
      [-0.5, "ready"],
      [1.5, "ready"],
    ]);
    const lineage = await cliJson(checkpointsCommand, ["show", merge.checkpoints[0].id]);
    expect(lineage.parents).toEqual([
      { checkpoint: ids["low-coverage"], coefficient: 1.5 },
      { checkpoint: ids["high-coverage"], coefficient: -0.5 },
    ]);
  }, 180_000);

  it("evaluate status --watch follows both evaluations to complete, every sample accounted for", async () => {
    let evaluations = merge.checkpoints.map((c) => c.evaluation);
    for (let i = 0; evaluations.some((e) => !e) && i < 40; i++) {
      await new Promise((r) => setTimeout(r, 500));
      evaluations = (await cliJson(apiMergeCommand, ["status", merge.id])).checkpoints.map((c: { evaluation: string }) => c.evaluation);
    }
    const watched = await cliJson(evaluateCommand, ["status", ...evaluations, "--watch", "--interval", "0.5"]);
    expect(watched).toHaveLength(2);
    for (const { evaluation, metrics } of watched) {
      expect(evaluation.status).toBe("complete");
      expect(evaluation.progress.requested).toBe(PROBLEMS.length * 2);
      expect(Object.values(evaluation.progress.verdicts as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(PROBLEMS.length * 2);
      expect(Object.keys(metrics.pass_at_k).sort()).toEqual(["pass@1", "pass@2"]);
      const solved = metrics.per_problem.reduce((a: number, p: { c: number }) => a + p.c, 0);
      expect(metrics.pass_at_k["pass@1"]).toBeCloseTo(solved / (PROBLEMS.length * 2), 10);
    }
  }, 240_000);

  it("evaluate CHECKPOINT --watch prints the metrics table when it completes", async () => {
    const result = await cli(evaluateCommand, [
      ids["high-coverage"],
      "--benchmark",
      benchmark,
      "--n",
      "1",
      "--problems",
      "fib-mod",
      "--watch",
      "--interval",
      "0.5",
    ]);
    expect(result.code).toBe(0);
    const [header, , row] = result.stdout.split("\n");
    expect(header).toMatch(/^evaluation\s+checkpoint\s+status\s+pass@1\s+correctness fail\s+efficiency fail$/);
    expect(row).toContain(ids["high-coverage"]);
    expect(row).toContain("complete");
  }, 180_000);

  it("frontier RUN shows one row per α, ordered, with the Pareto set marked", async () => {
    const frontier = await cliJson(frontierCommand, [GRID_RUN, "--k", "1,2"]);
    expect(frontier.points.map((p: { alpha: number }) => p.alpha)).toEqual([-0.5, 1.5]);
    expect(frontier.pareto.length).toBeGreaterThan(0);
    const table = await cli(frontierCommand, [GRID_RUN, "--k", "1,2"]);
    const lines = table.stdout.split("\n");
    expect(lines[0]).toMatch(/^\s*α\s+checkpoint\s+pass@1\s+pass@2\s+correctness fail\s+efficiency fail\s+other fail\s+pareto$/);
    expect(lines[2]).toMatch(/^-0\.5\s/);
    expect(lines[3]).toMatch(/^ 1\.5\s/);
    expect(lines.filter((l) => l.trimEnd().endsWith("*"))).toHaveLength(frontier.pareto.length);
    // --setting: the grid was evaluated in the reasoning setting only
    expect((await cliJson(frontierCommand, [GRID_RUN, "--setting", "reasoning"])).points).toHaveLength(2);
    expect((await cliJson(frontierCommand, [GRID_RUN, "--setting", "agentic"])).points).toHaveLength(0);
    const refused = await cli(frontierCommand, [GRID_RUN, "--setting", "chat"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("--setting must be one of reasoning, tool, agentic");
  }, 60_000);

  it("ensemble --api --run splits the budget and matches the per-problem counts", async () => {
    const frontier = await cliJson(frontierCommand, [GRID_RUN]);
    const ensemble = await cliJson(apiEnsembleCommand, ["--budget", "2", "--run", GRID_RUN]);
    ensembles.push(ensemble.id);
    expect(ensemble.members).toEqual(frontier.points.map((p: { evaluation: string }) => p.evaluation));
    expect(ensemble.result.allocation).toEqual(Object.fromEntries(ensemble.members.map((m: string) => [m, 1])));
    // With one sample from each member, a problem fails only if both draws fail.
    type Counts = { problem: string; n: number; c: number }[];
    const perProblem: Counts[] = await Promise.all(
      ensemble.members.map(
        async (id: string) => (await new ApiClient(stack.url, stack.key).get<{ per_problem: Counts }>(`/v1/evaluations/${id}/metrics`)).per_problem,
      ),
    );
    const expected = PROBLEMS.map((problem) => {
      const fail = perProblem.reduce((product, rows) => {
        const row = rows.find((x) => x.problem === problem)!;
        return product * (1 - row.c / row.n);
      }, 1);
      return 1 - fail;
    });
    expect(ensemble.result.ensemble).toBeCloseTo(expected.reduce((a, b) => a + b, 0) / PROBLEMS.length, 10);

    const table = await cli(apiEnsembleCommand, ["--budget", "2", "--run", GRID_RUN, "--pareto"]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/ensemble of \d+ \(equal split\)/);
    expect(table.stdout).toMatch(/α=(-0\.5|1\.5)×/);
  }, 60_000);

  it("compare A B prints the paired difference in pass@k with its interval", async () => {
    const frontier = await cliJson(frontierCommand, [GRID_RUN, "--k", "1,2"]);
    const [a, b] = frontier.points.map((p: { evaluation: string }) => p.evaluation);
    const comparison = await cliJson(compareCommand, [a, b, "--k", "1,2", "--seed", "4"]);
    expect(comparison.differences.map((d: { k: number }) => d.k)).toEqual([1, 2]);
    expect(comparison.differences[0].a).toBeCloseTo(frontier.points[0].pass_at_k["pass@1"], 12);
    expect(comparison.differences[0].b).toBeCloseTo(frontier.points[1].pass_at_k["pass@1"], 12);
    expect(comparison.differences[0].ci).toHaveLength(2);
    const table = await cli(compareCommand, [a, b, "--k", "1"]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/pass@1 .*\[.*\]/);
    expect(table.stdout).toMatch(/2 problems of .*paired bootstrap, 1000 resamples, seed 0/);
  }, 60_000);

  it("leaderboard ranks the grid points and the ensemble by pass@k", async () => {
    const board = await cliJson(leaderboardCommand, ["--benchmark", benchmark, "--k", "2"]);
    expect(board.k).toBe(2);
    const ranked = board.data.map((r: { id: string }) => r.id);
    for (const id of [...merge.checkpoints.map((c) => c.id), ...ensembles]) expect(ranked).toContain(id);
    const values = board.data.map((r: { pass_at_k: number | null }) => r.pass_at_k).filter((v: number | null) => v !== null);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    const grid = board.data.find((r: { id: string }) => r.id === merge.checkpoints[0].id);
    expect(grid).toMatchObject({ kind: "checkpoint", run: GRID_RUN, samples_per_problem: 2, lineage: { alpha: -0.5 } });

    const onlyEnsembles = await cliJson(leaderboardCommand, ["--benchmark", benchmark, "--k", "2", "--kind", "ensemble"]);
    expect(onlyEnsembles.data.map((r: { kind: string }) => r.kind)).toEqual(onlyEnsembles.data.map(() => "ensemble"));
    expect(onlyEnsembles.data.map((r: { id: string }) => r.id)).toContain(ensembles[0]);

    const table = await cli(leaderboardCommand, ["--benchmark", benchmark, "--k", "2", "--limit", "3"]);
    expect(table.code).toBe(0);
    const lines = table.stdout.split("\n");
    expect(lines[0]).toContain("ranked by pass@2");
    expect(lines[1]).toMatch(/^#\s+kind\s+id\s+run \/ label\s+α\s+pass@2\s+± se/);
    expect(lines).toHaveLength(3 + 3); // title, header, rule, three rows
  }, 60_000);

  it("works from the `frontier` binary with the key from the environment", () => {
    const result = spawnSync(process.execPath, [join(ROOT, "bin", "frontier.mjs"), "frontier", GRID_RUN, "--api", stack.url], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, FRONTIER_API_KEY: stack.key },
      timeout: 60_000,
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(merge.checkpoints[0].id);
  }, 60_000);
});
