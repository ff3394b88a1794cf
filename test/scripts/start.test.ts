// `npm start` / `npm run demo` without starting the stack: options from flags and environment,
// the preflight messages (busy port, missing tool) and which ensembles the summary compares.
// The full run is CI's smoke step (`npm run demo -- --n 2` in .ci/run); here one small run checks the
// default track: created through the API, and the demo's evaluations rank on it.
import { spawnSync } from "node:child_process";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { mkdtempSync, rmSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { ApiClient } from "../../src/cli/api/client.ts";
import type { Frontier, FrontierPoint } from "../../src/cli/api/resources.ts";
import {
  bundledDefaultProblems,
  DEFAULT_ALPHAS,
  DEFAULT_N,
  defaultTrackBody,
  defaultTrackId,
  ensembleGroups,
  runExperiment,
} from "../../scripts/demo-experiment.ts";
import { checkPortFree, parseStartArgs, StartError, startLocalStack, summaryText } from "../../scripts/start.ts";
import { freePort } from "../../scripts/stack.ts";

const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const servers: Server[] = [];

async function occupiedPort(): Promise<number> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return (server.address() as { port: number }).port;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((done) => s.close(() => done()))));
});

function startScript(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "scripts", "start.ts"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
}

describe("options", () => {
  it("defaults to the paper's α grid, n=64 with a budget of 16, and the usual ports", () => {
    const options = parseStartArgs([], {});
    expect(options).toMatchObject({
      n: 64,
      budget: 16,
      alphas: DEFAULT_ALPHAS,
      port: 8787,
      executorPort: 8788,
      backendPort: 8789,
      exit: false,
      temperature: 1,
      seed: 0,
    });
    expect(DEFAULT_ALPHAS).toEqual([-0.5, -0.25, 0, 0.25, 0.5, 0.75, 1, 1.25, 1.5]);
    expect(options !== "help" && options.stateDir).toBe(join(ROOT, ".frontier"));
  });

  it("runs the grid in the settings asked for (default reasoning)", () => {
    expect(parseStartArgs([], {})).toMatchObject({ settings: ["reasoning"] });
    expect(parseStartArgs(["--settings", "reasoning,tool,agentic"], {})).toMatchObject({ settings: ["reasoning", "tool", "agentic"] });
    expect(parseStartArgs([], { FRONTIER_SETTINGS: "agentic" })).toMatchObject({ settings: ["agentic"] });
    expect(() => parseStartArgs(["--settings", "tool,chat"], {})).toThrow("--settings must be");
    expect(() => parseStartArgs(["--settings", "tool,tool"], {})).toThrow("distinct");
  });

  it("reads the environment, and flags win over it", () => {
    const env = { FRONTIER_N: "4", FRONTIER_ALPHAS: "0,1", FRONTIER_PORT: "9000", FRONTIER_PROBLEMS: "fib-mod, range-sum" };
    expect(parseStartArgs([], env)).toMatchObject({ n: 4, alphas: [0, 1], port: 9000, problems: ["fib-mod", "range-sum"] });
    expect(parseStartArgs(["--n", "2", "--alphas", "-1,-0.5,2", "--port", "9100", "--exit"], env)).toMatchObject({
      n: 2,
      alphas: [-1, -0.5, 2],
      port: 9100,
      exit: true,
    });
  });

  it("caps the budget at n (--budget, FRONTIER_BUDGET)", () => {
    expect(parseStartArgs(["--budget", "8"], {})).toMatchObject({ n: 64, budget: 8 });
    expect(parseStartArgs([], { FRONTIER_BUDGET: "4", FRONTIER_N: "32" })).toMatchObject({ n: 32, budget: 4 });
    expect(parseStartArgs(["--n", "2"], {})).toMatchObject({ n: 2, budget: 2 });
    expect(() => parseStartArgs(["--budget", "0"], {})).toThrow(/--budget must be a whole number/);
  });

  it.each([
    [["--n", "0"], /--n must be a whole number/],
    [["--alphas", "0,,1"], /--alphas must be comma-separated numbers/],
    [["--alphas", "0,0"], /distinct/],
    [["--port", "8788"], /must differ/],
    [["--temperature", "3"], /--temperature/],
    [["--frobnicate"], /Unknown option/],
  ])("refuses %j", (argv, message) => {
    expect(() => parseStartArgs(argv as string[], {})).toThrow(message);
  });
});

describe("preflight", () => {
  it("names a busy port and the flag that moves it", async () => {
    const port = await occupiedPort();
    const error = await checkPortFree(port, "the API", "--port").catch((e) => e);
    expect(error).toBeInstanceOf(StartError);
    expect(error.message).toBe(`port ${port} (the API) is already in use — is another \`npm start\` running? Stop it, or choose another port with --port.`);
  });

  it("exits 1 with that message and no stack trace when the API port is taken", async () => {
    const port = await occupiedPort();
    const result = startScript([
      "--exit",
      "--port",
      String(port),
      "--executor-port",
      String(port + 1),
      "--backend-port",
      String(port + 2),
      "--state",
      join(tmpdir(), "frontier-start-busy"),
    ]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`port ${port} (the API) is already in use`);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  }, 60_000);

  it("exits 1 naming a missing system tool", () => {
    const result = startScript(["--exit"], { EXECUTOR_PYTHON: "/nonexistent/python3" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("missing system tools");
    expect(result.stderr).toContain("python3 (runs the Python programs under test");
    expect(result.stderr).not.toMatch(/^\s+at /m);
  }, 60_000);

  it("exits 2 on bad usage and 0 on --help", () => {
    const bad = startScript(["--n", "many"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("--n must be a whole number");
    const help = startScript(["--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("npm run demo");
  }, 60_000);
});

describe("the ensembles in the summary", () => {
  const point = (alpha: number, pareto: boolean): FrontierPoint => ({
    checkpoint: `ckpt_${alpha}`,
    evaluation: `eval_${alpha}`,
    label: `α=${alpha}`,
    alpha,
    correctness_failure_rate: 0,
    efficiency_failure_rate: 0,
    pass_at_k: {},
    judged: 1,
    problems: 1,
    pareto,
  });
  const frontier = (points: FrontierPoint[]): Frontier => ({
    run: "r",
    benchmark: "b",
    points,
    pareto: points.filter((p) => p.pareto).map((p) => p.checkpoint),
    complementarity: null,
  });

  it("compares the whole grid, the Pareto set and the two endpoints when the budget covers them", () => {
    const f = frontier([point(-0.5, true), point(0, false), point(0.5, true), point(1, false), point(1.5, false)]);
    expect(ensembleGroups(f, 16)).toEqual([
      { label: "all 5 grid points", members: ["eval_-0.5", "eval_0", "eval_0.5", "eval_1", "eval_1.5"] },
      { label: "the Pareto set", members: ["eval_-0.5", "eval_0.5"] },
      { label: "the two endpoints (α=0, α=1)", members: ["eval_0", "eval_1"] },
    ]);
  });

  it("leaves out groups the budget cannot give a sample each, single members and repeats", () => {
    const f = frontier([point(0, true), point(0.5, false), point(1, true)]);
    expect(ensembleGroups(f, 2)).toEqual([{ label: "the Pareto set", members: ["eval_0", "eval_1"] }]);
    expect(ensembleGroups(f, 1)).toEqual([]);
  });
});

describe("default tracks", () => {
  it("names the demo's default protocol <pack>-reasoning, and any other protocol or problem set by itself", () => {
    expect(defaultTrackId("bundled", { n: DEFAULT_N, temperature: 1, seed: 0 })).toBe("bundled-reasoning");
    expect(defaultTrackId("bundled", { setting: "agentic", n: DEFAULT_N, temperature: 1, seed: 0 })).toBe("bundled-agentic");
    expect(defaultTrackId("bundled", { n: 2, temperature: 1, seed: 0 })).toBe("bundled-reasoning-n2-t1-s0");
    // the bundled pack's default problem set is its held-out split (the policy never trained on it)
    const heldOut = bundledDefaultProblems();
    expect(heldOut).toMatchObject({ split: "held-out" });
    expect(heldOut.problems.length).toBe(30);
    expect(defaultTrackId("bundled", { n: DEFAULT_N, temperature: 1, seed: 0, ...heldOut })).toBe("bundled-reasoning");
    expect(defaultTrackBody("bundled", "b@1", { n: DEFAULT_N, temperature: 1, seed: 0, ...heldOut })).toMatchObject({
      split: "held-out",
      problems: heldOut.problems,
    });
    const a = defaultTrackId("bundled", { n: 2, temperature: 1, seed: 0, problems: ["fib-mod", "range-sum"] });
    expect(a).toMatch(/^bundled-reasoning-n2-t1-s0-p2-[0-9a-f]{8}$/);
    expect(defaultTrackId("bundled", { n: 2, temperature: 1, seed: 0, problems: ["range-sum", "fib-mod"] })).toBe(a);
    expect(defaultTrackBody("bundled", "b@1", { n: 2, temperature: 1, seed: 0, problems: ["fib-mod"] })).toMatchObject({
      setting: "reasoning",
      n: 2,
      temperature: 1,
      top_p: 0.95,
      max_tokens: 2048,
      seed: 0,
      problems: ["fib-mod"],
    });
  });

  it("the demo creates its track through the API, and its evaluations rank on it", async () => {
    const stateDir = mkdtempSync(join(tmpdir(), "frontier-start-track-"));
    const [port, executorPort, backendPort] = [await freePort(), await freePort(), await freePort()];
    const stack = await startLocalStack({ port, executorPort, backendPort, stateDir, log: () => {} });
    try {
      const client = new ApiClient(stack.url, stack.key);
      const summary = await runExperiment({
        root: ROOT,
        client,
        webhookSecret: stack.webhookSecret,
        n: 2,
        alphas: [0, 1],
        seed: 0,
        temperature: 1,
        problems: ["fib-mod", "range-sum"],
        tag: "track-test",
        log: () => {},
      });
      expect(summary.track).toBe(defaultTrackId("bundled", { n: 2, temperature: 1, seed: 0, problems: ["fib-mod", "range-sum"] }));
      const tracks = await client.get<{ data: { id: string; protocol: { n: number; top_p: number } }[] }>("/v1/tracks");
      const track = tracks.data.find((t) => t.id === summary.track);
      expect(track?.protocol).toMatchObject({ n: 2, top_p: 0.95 });
      const board = await client.get<{ data: { kind: string; evaluation: string | null }[] }>("/v1/leaderboard", { track: summary.track, k: "1" });
      const ranked = board.data.filter((r) => r.kind === "checkpoint").map((r) => r.evaluation);
      expect(ranked.sort()).toEqual(summary.evaluations.map((e) => e.evaluation).sort());
      expect(summaryText(summary, stack.url)).toContain(`/?track=${summary.track}`);
    } finally {
      await stack.stop();
      rmSync(stateDir, { recursive: true, force: true });
    }
  }, 400_000);
});
