// The API commands without a running API: option parsing, --help everywhere, and the documented
// exit codes for bad usage (2) and an API that cannot be reached (3).
import { spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { apiMergeCommand } from "../../src/cli/api/merge.ts";
import { apiEnsembleCommand } from "../../src/cli/api/ensemble.ts";
import { parseOptions, runCommand, UsageError, type CommandSpec } from "../../src/cli/api/command.ts";
import { renderTable } from "../../src/cli/api/table.ts";
import { checkpointsCommand } from "../../src/cli/checkpoints.ts";
import { evaluateCommand } from "../../src/cli/evaluate.ts";
import { frontierCommand } from "../../src/cli/frontier.ts";
import { leaderboardCommand } from "../../src/cli/leaderboard.ts";

const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

async function invoke(spec: CommandSpec, argv: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCommand(spec, argv, { env, stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

const COMMANDS = [checkpointsCommand, evaluateCommand, frontierCommand, leaderboardCommand, apiMergeCommand, apiEnsembleCommand];

describe("option parsing", () => {
  it("takes negative numbers as option values and a bare --api as the default URL", () => {
    const { values, positionals } = parseOptions(["--alphas", "-0.5,1.5", "--api", "--json", "eval_1"], {
      alphas: { type: "string" },
      api: { type: "string" },
      json: { type: "boolean" },
    });
    expect(values).toMatchObject({ alphas: "-0.5,1.5", api: "", json: true });
    expect(positionals).toEqual(["eval_1"]);
  });

  it("reads a URL after --api, and leaves a non-URL there as a positional", () => {
    const options = { api: { type: "string" as const } };
    expect(parseOptions(["--api", "http://h:1", "x"], options)).toEqual({ values: { api: "http://h:1" }, positionals: ["x"] });
    expect(parseOptions(["--api", "eval_1"], options)).toEqual({ values: { api: "" }, positionals: ["eval_1"] });
  });

  it("turns an unknown option into a UsageError", () => {
    expect(() => parseOptions(["--nope"], {})).toThrow(UsageError);
  });
});

describe("every API command", () => {
  it.each(COMMANDS.map((c) => [c.name, c] as const))("%s --help prints its usage and the exit codes, exit 0", async (_, spec) => {
    const result = await invoke(spec, ["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Usage/);
    expect(result.stdout).toContain("3 the API is not reachable");
  });

  it.each(COMMANDS.map((c) => [c.name, c] as const))("%s with an unknown option exits 2 without calling the API", async (_, spec) => {
    const result = await invoke(spec, ["--no-such-option", "--api", "http://127.0.0.1:1"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`frontier ${spec.name}:`);
    expect(result.stderr).toContain("--no-such-option");
  });
});

describe("usage mistakes exit 2 with the reason", () => {
  const cases: [CommandSpec, string[], RegExp][] = [
    [checkpointsCommand, [], /give an action/],
    [checkpointsCommand, ["add", "--run", "r"], /--url is required/],
    [checkpointsCommand, ["add", "--url", "hf://a/b", "--run", "r", "--metadata", "[1]"], /--metadata must be a JSON object/],
    [evaluateCommand, ["ckpt_1", "--benchmark", "b"], /--n is required/],
    [evaluateCommand, ["ckpt_1", "--benchmark", "b", "--n", "0"], /--n must be a whole number/],
    [frontierCommand, [], /exactly one run/],
    [leaderboardCommand, ["--kind", "model"], /--kind must be checkpoint or ensemble/],
    [apiMergeCommand, ["--a", "x", "--b", "y"], /needs --a, --b and --alphas/],
    [apiMergeCommand, ["--a", "x", "--b", "y", "--alphas", "0,one"], /--alphas must be a comma-separated list/],
    [apiMergeCommand, ["--parent", "x=0.5", "--a", "y", "--b", "z", "--alphas", "0"], /not both/],
    [apiMergeCommand, ["--a", "x", "--b", "y", "--alphas", "0", "--n", "4"], /--benchmark and --n go together/],
    [apiEnsembleCommand, ["eval_1"], /--budget is required/],
    [apiEnsembleCommand, ["--budget", "4", "--pareto", "eval_1"], /--pareto applies to --run/],
  ];
  it.each(cases.map(([spec, argv, message]) => [`${spec.name} ${argv.join(" ")}`, spec, argv, message] as const))("%s", async (_, spec, argv, message) => {
    const result = await invoke(spec, [...argv, "--api", "http://127.0.0.1:1"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});

describe("an API that cannot be reached", () => {
  it("exits 3 and says where it looked", async () => {
    const port = await closedPort();
    const result = await invoke(checkpointsCommand, ["list", "--api", `http://127.0.0.1:${port}`]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`cannot reach the API at http://127.0.0.1:${port}`);
  });

  it("uses FRONTIER_API_URL when --api is not given", async () => {
    const port = await closedPort();
    const result = await invoke(frontierCommand, ["some-run"], { FRONTIER_API_URL: `http://127.0.0.1:${port}` });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`127.0.0.1:${port}`);
  });

  it("exits 3 through the `frontier` binary, where merge --api and ensemble --api leave the offline commands", async () => {
    const port = await closedPort();
    const bin = join(ROOT, "bin", "frontier.mjs");
    const merge = spawnSync(process.execPath, [bin, "merge", "--api", `http://127.0.0.1:${port}`, "--a", "x", "--b", "y", "--alphas", "-0.5,1.5"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(merge.stderr).toContain("cannot reach the API");
    expect(merge.status).toBe(3);
    const offline = spawnSync(process.execPath, [bin, "ensemble", "--budget", "2"], { cwd: ROOT, encoding: "utf8" });
    expect(offline.status).toBe(2);
    expect(offline.stderr).toContain("MEMBERS.jsonl");
  }, 60_000);
});

describe("tables", () => {
  it("aligns columns, numbers to the right", () => {
    const text = renderTable(
      [{ header: "name" }, { header: "pass@1", align: "right" }],
      [
        ["α=-0.5", "1.0%"],
        ["α=1", "42.5%"],
      ],
    );
    expect(text.split("\n")).toEqual(["name    pass@1", "------  ------", "α=-0.5    1.0%", "α=1      42.5%"]);
  });
});
