// `frontier merge` run as the real command (bin/frontier.mjs) in a child process.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Checkpoint, resolverConfigFromEnv } from "../../workers/gpu-backend/src/safetensors/index.ts";
import { run as runInProcess } from "../../src/cli/merge.ts";
import { singleFileCheckpoint, shardedCheckpoint, tempDir, removeTempDirs } from "../workers/gpu-backend/fixtures.ts";

const bin = fileURLToPath(new URL("../../bin/frontier.mjs", import.meta.url));
const run = async (...args: string[]) => {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, "merge", ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

/** The same command in this process (no tsx start-up): exit code and what it printed. */
const runHere = async (...args: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, "log").mockImplementation((...m) => void out.push(m.join(" ")));
  const error = vi.spyOn(console, "error").mockImplementation((...m) => void err.push(m.join(" ")));
  try {
    const code = await runInProcess(args);
    return { code, stdout: out.join("\n"), stderr: err.join("\n") };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
};

async function tensorBytes(location: string): Promise<Map<string, Buffer>> {
  const checkpoint = await Checkpoint.open(location, resolverConfigFromEnv({}));
  const out = new Map<string, Buffer>();
  for (const name of checkpoint.tensors.keys()) out.set(name, Buffer.from(await checkpoint.readTensor(name)));
  await checkpoint.close();
  return out;
}

describe("frontier merge", () => {
  afterAll(removeTempDirs);
  let root: string;
  let from: string;
  let to: string;
  beforeAll(async () => {
    root = await tempDir("cli-merge-");
    from = await singleFileCheckpoint(path.join(root, "from"), 10);
    to = await singleFileCheckpoint(path.join(root, "to"), 20, { specials: false });
  });

  it("prints its usage with --help", async () => {
    const result = await run("--help");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/frontier merge --out DIR --model PATH --weight W/);
    expect(result.stdout).toMatch(/--alpha A FROM TO/);
  });

  it("--alpha A FROM TO equals the explicit --model/--weight pairs (1−A, A), negative weights included", async () => {
    const alpha = await run("--out", path.join(root, "alpha"), "--alpha", "1.5", from, to);
    expect(alpha.stderr).toBe("");
    expect(alpha.code).toBe(0);
    expect(alpha.stdout).toMatch(/merged 8 tensors from 2 parents \(-0.5, 1.5\)/);
    expect(alpha.stdout).toMatch(/[0-9a-f]{64} +\d+ +model.safetensors/);
    const pairs = await run("--out", path.join(root, "pairs"), "--model", from, "--weight", "-0.5", "--model", to, "--weight=1.5");
    expect(pairs.code).toBe(0);
    const [x, y] = await Promise.all([tensorBytes(path.join(root, "alpha")), tensorBytes(path.join(root, "pairs"))]);
    for (const [name, bytes] of x) expect(y.get(name)!.equals(bytes), name).toBe(true);
    // Metadata records the same parents, so the files are byte-identical too.
    const [fa, fb] = await Promise.all([readFile(path.join(root, "alpha", "model.safetensors")), readFile(path.join(root, "pairs", "model.safetensors"))]);
    expect(fa.equals(fb)).toBe(true);
  });

  it("--alpha 0 reproduces FROM bit for bit, and --dtype / --shard-size shape the output", async () => {
    expect((await runHere("--out", path.join(root, "zero"), "--alpha", "0", from, to)).code).toBe(0);
    const [merged, parent] = await Promise.all([tensorBytes(path.join(root, "zero")), tensorBytes(from)]);
    for (const [name, bytes] of parent) expect(merged.get(name)!.equals(bytes), name).toBe(true);

    const sharded = await shardedCheckpoint(path.join(root, "sharded"), 30);
    const result = await runHere("--out", path.join(root, "f32"), "--dtype", "f32", "--shard-size", "8192", "--alpha", "0.5", sharded, sharded);
    expect(result.code).toBe(0);
    const checkpoint = await Checkpoint.open(path.join(root, "f32"), resolverConfigFromEnv({}));
    expect(checkpoint.indexed).toBe(true);
    expect(checkpoint.tensor("model.embed_tokens.weight").dtype).toBe("F32");
    expect(checkpoint.tensor("model.position_ids").dtype).toBe("I64");
    await checkpoint.close();
  });

  it.each([
    [["--alpha", "0.5", "a", "b"], /--out DIR is required/],
    [["--out", "x", "--model", "a", "--weight", "1", "--model", "b"], /every --model needs a --weight \(got 2 models, 1 weights\)/],
    [["--out", "x", "--alpha", "half", "a", "b"], /--alpha must be a number, got 'half'/],
    [["--out", "x", "--alpha", "0.5", "a"], /--alpha needs exactly two checkpoints/],
    [["--out", "x", "--dtype", "F8", "--alpha", "0.5", "a", "b"], /--dtype must be one of BF16, F16, F32/],
    [["--out", "x", "--frobnicate"], /unknown option --frobnicate/],
  ])("exits 2 with a clear message on bad usage: %j", async (args, message) => {
    const result = await runHere(...(args as string[]));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it("exits 1 with the engine's message on bad input", async () => {
    const notAffine = await run("--out", path.join(root, "bad1"), "--model", from, "--weight", "0.5", "--model", to, "--weight", "0.6");
    expect(notAffine.code).toBe(1);
    expect(notAffine.stderr).toMatch(/coefficients sum to 1.1, not 1/);
    const missing = await runHere("--out", path.join(root, "bad2"), "--alpha", "0.5", from, path.join(root, "nowhere"));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nowhere/);
  });
});
