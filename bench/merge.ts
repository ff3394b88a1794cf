// Bench for the merge engine (issue 4): two synthetic ~1 GiB BF16 checkpoints with Llama-like tensor
// shapes, merged with coefficients (-0.5, 1.5), beside (a) the same arithmetic with numpy memmaps and
// (b) the copy bound (read both parents, write one, plain file I/O). Each contender runs in its own
// child process so its peak RSS is its own. Data lives under /tmp and is deleted at the end.
//   npx tsx bench/merge.ts            (about 1 minute; needs ~5 GiB free in /tmp and python3-numpy)
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { closeSync, openSync, readSync, writeSync, readdirSync, statSync } from "node:fs";
import { mkdir, rm, open, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { mergeCheckpoints } from "../workers/gpu-backend/src/merge/engine.ts";
import { SafetensorsWriter, writeIndex, SafetensorsFile, type TensorLayout } from "../workers/gpu-backend/src/safetensors/index.ts";

const COEFFICIENTS = [-0.5, 1.5] as const;
const CHUNK = 8 << 20;
const here = path.dirname(fileURLToPath(import.meta.url));

/** A small Llama-like model: vocab 32000, hidden 2048, GQA k/v 256, MLP 5632, 9 layers ≈ 0.98 GiB in BF16. */
function layout(): { shards: TensorLayout[][]; largest: number } {
  const [vocab, hidden, kv, mlp, layers] = [32000, 2048, 256, 5632, 9];
  const tensors: TensorLayout[] = [{ name: "model.embed_tokens.weight", dtype: "BF16", shape: [vocab, hidden] }];
  for (let l = 0; l < layers; l++) {
    const p = `model.layers.${l}`;
    tensors.push(
      { name: `${p}.input_layernorm.weight`, dtype: "BF16", shape: [hidden] },
      { name: `${p}.self_attn.q_proj.weight`, dtype: "BF16", shape: [hidden, hidden] },
      { name: `${p}.self_attn.k_proj.weight`, dtype: "BF16", shape: [kv, hidden] },
      { name: `${p}.self_attn.v_proj.weight`, dtype: "BF16", shape: [kv, hidden] },
      { name: `${p}.self_attn.o_proj.weight`, dtype: "BF16", shape: [hidden, hidden] },
      { name: `${p}.post_attention_layernorm.weight`, dtype: "BF16", shape: [hidden] },
      { name: `${p}.mlp.gate_proj.weight`, dtype: "BF16", shape: [mlp, hidden] },
      { name: `${p}.mlp.up_proj.weight`, dtype: "BF16", shape: [mlp, hidden] },
      { name: `${p}.mlp.down_proj.weight`, dtype: "BF16", shape: [hidden, mlp] },
    );
  }
  tensors.push({ name: "model.norm.weight", dtype: "BF16", shape: [hidden] }, { name: "lm_head.weight", dtype: "BF16", shape: [vocab, hidden] });
  const half = tensors.findIndex((t) => t.name === "model.layers.4.input_layernorm.weight");
  return { shards: [tensors.slice(0, half), tensors.slice(half)], largest: vocab * hidden * 2 };
}

const shardName = (i: number, n: number) => `model-${String(i + 1).padStart(5, "0")}-of-${String(n).padStart(5, "0")}.safetensors`;

/** Random weights around 0.01–0.5 in magnitude (bf16 exponents 118–125, random sign and mantissa). */
async function generate(dir: string, seed: number): Promise<number> {
  await mkdir(dir, { recursive: true });
  const { shards } = layout();
  let state = seed >>> 0;
  const words = new Uint32Array(CHUNK / 4);
  const weightMap: Record<string, string> = {};
  let total = 0;
  for (const [i, tensors] of shards.entries()) {
    const file = shardName(i, shards.length);
    const writer = await SafetensorsWriter.create(path.join(dir, file), tensors, { format: "pt" });
    for (const tensor of tensors) {
      weightMap[tensor.name] = file;
      let remaining = tensor.shape.reduce((a, b) => a * b, 1) * 2;
      total += remaining;
      while (remaining > 0) {
        const bytes = Math.min(CHUNK, remaining);
        for (let w = 0; w < bytes / 4; w++) {
          state ^= state << 13;
          state ^= state >>> 17;
          state ^= state << 5;
          const r = state >>> 0;
          const lo = (r & 0x807f) | ((118 + ((r >>> 7) & 7)) << 7);
          const hi = ((r >>> 16) & 0x807f) | ((118 + ((r >>> 23) & 7)) << 7);
          words[w] = lo | (hi << 16);
        }
        await writer.write(new Uint8Array(words.buffer, 0, bytes));
        remaining -= bytes;
      }
    }
    await writer.finish();
  }
  await writeIndex(dir, weightMap, total);
  return total;
}

function copyBound(out: string, a: string, b: string): void {
  const bufferA = new Uint8Array(CHUNK);
  const bufferB = new Uint8Array(CHUNK);
  for (const file of readdirSync(a)
    .filter((f) => f.endsWith(".safetensors"))
    .sort()) {
    const [fa, fb, fo] = [openSync(path.join(a, file), "r"), openSync(path.join(b, file), "r"), openSync(path.join(out, file), "w")];
    for (;;) {
      const n = readSync(fa, bufferA, 0, CHUNK, null);
      readSync(fb, bufferB, 0, CHUNK, null);
      if (n === 0) break;
      writeSync(fo, bufferA, 0, n);
    }
    for (const fd of [fa, fb, fo]) closeSync(fd);
  }
}

async function child(mode: string, out: string, a: string, b: string): Promise<void> {
  const start = performance.now();
  if (mode === "frontier") {
    await mergeCheckpoints({
      parents: [
        { url: a, coefficient: COEFFICIENTS[0] },
        { url: b, coefficient: COEFFICIENTS[1] },
      ],
      outDir: out,
    });
  } else if (mode === "copy") {
    await mkdir(out, { recursive: true });
    copyBound(out, a, b);
  } else if (mode !== "idle") throw new Error(`unknown mode ${mode}`);
  const seconds = (performance.now() - start) / 1000;
  const usage = process.resourceUsage();
  console.log(JSON.stringify({ seconds, cpu_seconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6, peak_rss_bytes: usage.maxRSS * 1024 }));
}

interface Run {
  seconds: number;
  /** User + system CPU of the whole child process (start-up included), less sensitive to the load than wall time. */
  cpu_seconds: number;
  peak_rss_bytes: number;
}

function spawnJson(command: string, args: string[]): Run {
  const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 1 << 20 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split("\n").at(-1)!);
}

const runNode = (mode: string, out: string, a: string, b: string) =>
  spawnJson(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "--child", mode, out, a, b]);
const runNumpy = (out: string, a: string, b: string, fp32: boolean) =>
  spawnJson("python3", [path.join(here, "merge_numpy.py"), out, String(COEFFICIENTS[0]), a, String(COEFFICIENTS[1]), b, ...(fp32 ? ["--fp32"] : [])]);

/** sha256 over every shard's tensor data (the headers differ: the engine records its parents). */
async function dataDigest(dir: string): Promise<string> {
  const hash = createHash("sha256");
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith(".safetensors"))
    .sort()) {
    const reader = await SafetensorsFile.open(path.join(dir, file));
    const start = reader.header.dataStart;
    await reader.close();
    const handle = await open(path.join(dir, file), "r");
    const buffer = new Uint8Array(CHUNK);
    for (let offset = start; ; offset += CHUNK) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK, offset);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
    }
    await handle.close();
  }
  return hash.digest("hex");
}

const folderBytes = (dir: string) => readdirSync(dir).reduce((total, f) => total + statSync(path.join(dir, f)).size, 0);

async function main(): Promise<void> {
  // --keep DIR: reuse (or create) the parents in DIR and leave them there, for repeated runs.
  const keep = process.argv.indexOf("--keep") >= 0 ? process.argv[process.argv.indexOf("--keep") + 1] : undefined;
  const root = keep ?? path.join(tmpdir(), `frontier-merge-bench-${process.pid}`);
  const [a, b] = [path.join(root, "a"), path.join(root, "b")];
  try {
    const t0 = performance.now();
    const reuse =
      keep !== undefined &&
      (await stat(path.join(b, "model.safetensors.index.json")).then(
        () => true,
        () => false,
      ));
    const bytes = reuse
      ? layout()
          .shards.flat()
          .reduce((t, x) => t + x.shape.reduce((p, d) => p * d, 1) * 2, 0)
      : await generate(a, 1);
    if (!reuse) await generate(b, 2);
    const { largest } = layout();
    console.error(`generated 2 × ${(bytes / 2 ** 30).toFixed(3)} GiB in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const idleNode = runNode("idle", path.join(root, "idle"), a, b);
    const idlePython = spawnJson("python3", [
      "-c",
      "import json, resource, numpy; print(json.dumps({'seconds': 0, 'cpu_seconds': 0, 'peak_rss_bytes': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))",
    ]);

    const results: Record<string, Run & { out: string }> = {};
    const only = process.argv.includes("--only-frontier");
    const contenders: [string, (out: string) => Run][] = [
      ["copy bound (node, read 2 GiB + write 1 GiB)", (out) => runNode("copy", out, a, b)],
      ["numpy memmap, same arithmetic (fp64 sum)", (out) => runNumpy(out, a, b, false)],
      ["numpy memmap, fp32 sum", (out) => runNumpy(out, a, b, true)],
      ["frontier merge engine", (out) => runNode("frontier", out, a, b)],
    ];
    for (const [i, [name, go]] of contenders.entries()) {
      if (only && !name.startsWith("frontier")) continue;
      const out = path.join(root, `out-${i}`);
      console.error(`running: ${name}`);
      results[name] = { ...go(out), out };
    }
    const frontier = results["frontier merge engine"];
    if (only) return void console.log(JSON.stringify(frontier));
    const numpy = results["numpy memmap, same arithmetic (fp64 sum)"];
    const identical = (await dataDigest(frontier.out)) === (await dataDigest(numpy.out));
    const moved = bytes * 3;
    const mib = (n: number) => `${(n / 2 ** 20).toFixed(0)} MiB`;
    const bound = 2 * largest + 64 * 2 ** 20;
    const lines = [
      `Parents: 2 × ${bytes} bytes BF16 (${(bytes / 2 ** 30).toFixed(3)} GiB), ${layout().shards.flat().length} tensors in 2 shards, largest tensor ${mib(largest)}; output ${folderBytes(frontier.out)} bytes.`,
      "",
      "| contender | wall s | GB/s (read+write bytes, wall) | CPU s (user+sys) | peak RSS |",
      "|---|---|---|---|---|",
      ...Object.entries(results).map(
        ([name, r]) =>
          `| ${name} | ${r.seconds.toFixed(2)} | ${(moved / r.seconds / 1e9).toFixed(2)} | ${r.cpu_seconds.toFixed(2)} | ${mib(r.peak_rss_bytes)} |`,
      ),
      "",
      `- frontier vs numpy (same arithmetic): ${(numpy.seconds / frontier.seconds).toFixed(2)}× wall, ${(numpy.cpu_seconds / frontier.cpu_seconds).toFixed(2)}× CPU (target ≥ 1.0×); vs numpy fp32 sum: ${(results["numpy memmap, fp32 sum"].seconds / frontier.seconds).toFixed(2)}× wall, ${(results["numpy memmap, fp32 sum"].cpu_seconds / frontier.cpu_seconds).toFixed(2)}× CPU`,
      `- frontier vs copy bound: ${((100 * results["copy bound (node, read 2 GiB + write 1 GiB)"].seconds) / frontier.seconds).toFixed(0)}% of copy-bound throughput (target ≥ 50%)`,
      `- frontier peak RSS ${mib(frontier.peak_rss_bytes)} vs bound 2 × largest tensor + 64 MiB = ${mib(bound)}: ${frontier.peak_rss_bytes <= bound ? "within" : "OVER"}; an idle child with the same tsx loader peaks at ${mib(idleNode.peak_rss_bytes)}, python with numpy imported at ${mib(idlePython.peak_rss_bytes)}`,
      `- frontier and numpy (same arithmetic) tensor data byte-identical: ${identical ? "yes" : "NO"}`,
    ];
    console.log(lines.join("\n"));
  } finally {
    if (keep) for (let i = 0; i < 4; i++) await rm(path.join(root, `out-${i}`), { recursive: true, force: true });
    else await rm(root, { recursive: true, force: true });
  }
}

if (process.argv[2] === "--child") await child(process.argv[3], process.argv[4], process.argv[5], process.argv[6]);
else await main();
