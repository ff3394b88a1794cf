import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { mergeCheckpoints, MergeError, type MergeErrorCode } from "../../../workers/gpu-backend/src/merge/engine.ts";
import { Checkpoint, SafetensorsError, resolverConfigFromEnv, writeSafetensors, type DType } from "../../../workers/gpu-backend/src/safetensors/index.ts";
import { CONFIG_JSON, TOKENIZER_JSON, fixtureTensors, shardedCheckpoint, singleFileCheckpoint, tempDir, removeTempDirs } from "./fixtures.ts";

const resolver = resolverConfigFromEnv({});
const FLOATS = ["BF16", "F16", "F32"];

async function tensorsOf(location: string): Promise<Map<string, { dtype: DType; shape: number[]; bytes: Buffer; floats?: Float32Array }>> {
  const checkpoint = await Checkpoint.open(location, resolver);
  const out = new Map();
  for (const [name, info] of checkpoint.tensors) {
    const bytes = Buffer.from(await checkpoint.readTensor(name));
    out.set(name, { dtype: info.dtype, shape: info.shape, bytes, floats: FLOATS.includes(info.dtype) ? await checkpoint.readFloat32(name) : undefined });
  }
  await checkpoint.close();
  return out;
}

/** The spacing of representable values of `dtype` around |x|. */
function ulp(x: number, dtype: DType): number {
  const [mantissaBits, minExponent] = dtype === "BF16" ? [7, -126] : dtype === "F16" ? [10, -14] : [23, -126];
  const exponent = Math.max(Math.floor(Math.log2(Math.abs(x) || 2 ** minExponent)), minExponent);
  return 2 ** (exponent - mantissaBits);
}

async function expectMergeError(promise: Promise<unknown>, code: MergeErrorCode, message: RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MergeError);
  expect((error as MergeError).code).toBe(code);
  expect((error as Error).message).toMatch(message);
}

describe("merge engine", () => {
  afterAll(removeTempDirs);
  let root: string;
  let a: string;
  let b: string;
  let aSharded: string;
  let bSharded: string;
  beforeAll(async () => {
    root = await tempDir("merge-");
    a = await singleFileCheckpoint(path.join(root, "a"), 100);
    b = await singleFileCheckpoint(path.join(root, "b"), 200, { specials: false });
    aSharded = await shardedCheckpoint(path.join(root, "a-sharded"), 100);
    bSharded = await shardedCheckpoint(path.join(root, "b-sharded"), 200, { specials: false });
  });

  it.each([
    [0, "a"],
    [1, "b"],
  ])("alpha = %s reproduces parent %s bit for bit, NaN and Inf included", async (alpha, which) => {
    const out = path.join(root, `alpha-${alpha}`);
    await mergeCheckpoints({
      parents: [
        { url: a, coefficient: 1 - alpha },
        { url: b, coefficient: alpha },
      ],
      outDir: out,
      resolver,
    });
    const merged = await tensorsOf(out);
    const parent = await tensorsOf(which === "a" ? a : b);
    expect([...merged.keys()].sort()).toEqual([...parent.keys()].sort());
    for (const [name, tensor] of parent) expect(merged.get(name)!.bytes.equals(tensor.bytes), name).toBe(true);
  });

  it("extrapolates (-0.5, 1.5) within one ulp of an fp64 reference in each output dtype", async () => {
    const out = path.join(root, "extrapolate");
    const result = await mergeCheckpoints({
      parents: [
        { url: a, coefficient: -0.5 },
        { url: b, coefficient: 1.5 },
      ],
      outDir: out,
      resolver,
    });
    expect(result.tensors).toBe(8);
    const [merged, left, right] = await Promise.all([tensorsOf(out), tensorsOf(a), tensorsOf(b)]);
    let checked = 0;
    for (const [name, tensor] of merged) {
      expect(tensor.dtype).toBe(left.get(name)!.dtype);
      if (!tensor.floats) continue;
      const x = left.get(name)!.floats!;
      const y = right.get(name)!.floats!;
      for (let i = 0; i < tensor.floats.length; i++) {
        const reference = -0.5 * x[i] + 1.5 * y[i];
        const got = tensor.floats[i];
        if (Number.isNaN(reference)) expect(Number.isNaN(got), `${name}[${i}]`).toBe(true);
        else if (!Number.isFinite(reference)) expect(got, `${name}[${i}]`).toBe(reference);
        else expect(Math.abs(got - reference), `${name}[${i}] = ${got}, reference ${reference}`).toBeLessThanOrEqual(ulp(reference, tensor.dtype));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(2000);
    // The integer and bool tensors are copied.
    expect(merged.get("model.position_ids")!.bytes.equals(left.get("model.position_ids")!.bytes)).toBe(true);
    expect(merged.get("model.mask")!.bytes.equals(left.get("model.mask")!.bytes)).toBe(true);
  });

  it("rounds bf16 to nearest even, with ties going to the even mantissa", async () => {
    // 1 + 2^-8 lies exactly between bf16 neighbours 1 and 1 + 2^-7: the tie goes to 1 (even).
    // 1 + 3·2^-8 lies exactly between 1 + 2^-7 (odd) and 1 + 2^-6: the tie goes to 1 + 2^-6.
    const dir = path.join(root, "ties");
    const write = (name: string, values: number[]) =>
      writeSafetensors(path.join(dir, name, "model.safetensors"), { w: { dtype: "F32", shape: [values.length], data: values } });
    await import("node:fs/promises").then((fs) =>
      Promise.all([fs.mkdir(path.join(dir, "x"), { recursive: true }), fs.mkdir(path.join(dir, "y"), { recursive: true })]),
    );
    await write("x", [1, 1 + 2 ** -7, -1]);
    await write("y", [1 + 2 ** -7, 1 + 2 ** -6, -1 - 2 ** -7]);
    const out = path.join(dir, "out");
    await mergeCheckpoints({
      parents: [
        { url: path.join(dir, "x"), coefficient: 0.5 },
        { url: path.join(dir, "y"), coefficient: 0.5 },
      ],
      outDir: out,
      outDtype: "BF16",
      resolver,
    });
    const merged = await tensorsOf(out);
    expect(merged.get("w")!.dtype).toBe("BF16");
    expect([...merged.get("w")!.floats!]).toEqual([1, 1 + 2 ** -6, -1]);
  });

  it("is deterministic: the same inputs give byte-identical files, whatever the chunk size", async () => {
    const parents = [
      { url: a, coefficient: -0.5 },
      { url: b, coefficient: 1.5 },
    ];
    const first = await mergeCheckpoints({ parents, outDir: path.join(root, "det-1"), resolver });
    const second = await mergeCheckpoints({ parents, outDir: path.join(root, "det-2"), resolver, chunkBytes: 64 });
    expect(second.files).toEqual(first.files);
    for (const file of first.files) {
      const [x, y] = await Promise.all([readFile(path.join(root, "det-1", file.name)), readFile(path.join(root, "det-2", file.name))]);
      expect(x.equals(y), file.name).toBe(true);
    }
  });

  it("records parents and coefficients in __metadata__ and copies config and tokenizer", async () => {
    const out = path.join(root, "metadata");
    const result = await mergeCheckpoints({
      parents: [
        { url: a, coefficient: 0.25 },
        { url: b, coefficient: 0.75 },
      ],
      outDir: out,
      resolver,
    });
    expect(result.files.map((f) => f.name)).toEqual(["config.json", "model.safetensors", "tokenizer.json"]);
    expect(await readFile(path.join(out, "config.json"), "utf8")).toBe(CONFIG_JSON);
    expect(await readFile(path.join(out, "tokenizer.json"), "utf8")).toBe(TOKENIZER_JSON);
    const checkpoint = await Checkpoint.open(out, resolver);
    expect(checkpoint.metadata?.format).toBe("pt");
    expect(JSON.parse(checkpoint.metadata!["frontier.merge"])).toEqual({
      parents: [
        { url: a, coefficient: 0.25 },
        { url: b, coefficient: 0.75 },
      ],
      accumulate: "F64",
    });
    await checkpoint.close();
    const sha = (await import("node:crypto"))
      .createHash("sha256")
      .update(await readFile(path.join(out, "model.safetensors")))
      .digest("hex");
    expect(result.files.find((f) => f.name === "model.safetensors")!.sha256).toBe(sha);
  });

  it("shards the output like sharded parents, with an index", async () => {
    const out = path.join(root, "sharded-out");
    const result = await mergeCheckpoints({
      parents: [
        { url: aSharded, coefficient: -0.5 },
        { url: bSharded, coefficient: 1.5 },
      ],
      outDir: out,
      resolver,
    });
    expect(result.files.map((f) => f.name)).toEqual([
      "config.json",
      "generation_config.json",
      "model-00001-of-00002.safetensors",
      "model-00002-of-00002.safetensors",
      "model.safetensors.index.json",
    ]);
    const parentIndex = JSON.parse(await readFile(path.join(aSharded, "model.safetensors.index.json"), "utf8"));
    const index = JSON.parse(await readFile(path.join(out, "model.safetensors.index.json"), "utf8"));
    expect(index.weight_map).toEqual(parentIndex.weight_map);
    // Sharded and single-file parents with the same tensors merge to the same values.
    const single = await tensorsOf(path.join(root, "extrapolate"));
    const sharded = await tensorsOf(out);
    for (const [name, tensor] of single) expect(sharded.get(name)!.bytes.equals(tensor.bytes), name).toBe(true);
  });

  it("re-shards by shard_size and converts to out_dtype", async () => {
    const out = path.join(root, "reshard");
    const result = await mergeCheckpoints({
      parents: [
        { url: a, coefficient: 0.5 },
        { url: b, coefficient: 0.5 },
      ],
      outDir: out,
      outDtype: "F32",
      shardSize: 4096,
      resolver,
    });
    const shards = result.files.filter((f) => f.name.endsWith(".safetensors"));
    expect(shards.length).toBeGreaterThan(1);
    expect(shards[0].name).toBe(`model-00001-of-${String(shards.length).padStart(5, "0")}.safetensors`);
    const merged = await tensorsOf(out);
    const [x, y] = await Promise.all([tensorsOf(a), tensorsOf(b)]);
    for (const [name, tensor] of merged) {
      if (!x.get(name)!.floats) {
        expect(tensor.dtype).toBe(x.get(name)!.dtype);
        continue;
      }
      expect(tensor.dtype).toBe("F32");
      const expected = x.get(name)!.floats!.map((v, i) => Math.fround(0.5 * v + 0.5 * y.get(name)!.floats![i]));
      expect(tensor.bytes.equals(Buffer.from(expected.buffer)), name).toBe(true);
    }
  });

  it("reports the first mismatched tensors by name", async () => {
    const dir = path.join(root, "mismatch");
    const tensors = fixtureTensors(300);
    const renamed = { ...tensors, "model.extra": tensors["model.mask"] };
    delete (renamed as Record<string, unknown>)["model.layers.0.mlp.up_proj.weight"];
    await import("node:fs/promises").then((fs) => fs.mkdir(path.join(dir, "names"), { recursive: true }));
    await writeSafetensors(path.join(dir, "names", "model.safetensors"), renamed);
    await expectMergeError(
      mergeCheckpoints({
        parents: [
          { url: a, coefficient: 0.5 },
          { url: path.join(dir, "names"), coefficient: 0.5 },
        ],
        outDir: path.join(dir, "o1"),
        resolver,
      }),
      "incompatible_parents",
      /lacks 1 tensor\(s\): 'model.layers.0.mlp.up_proj.weight'.*extra tensor\(s\): 'model.extra'/,
    );

    const reshaped = { ...tensors, "model.layers.0.input_layernorm.weight": { dtype: "F32" as const, shape: [24], data: new Float32Array(24) } };
    await writeSafetensors(path.join(dir, "shape.safetensors"), reshaped);
    await expectMergeError(
      mergeCheckpoints({
        parents: [
          { url: a, coefficient: 0.5 },
          { url: path.join(dir, "shape.safetensors"), coefficient: 0.5 },
        ],
        outDir: path.join(dir, "o2"),
        resolver,
      }),
      "incompatible_parents",
      /'model.layers.0.input_layernorm.weight' is F32\[24\] vs F16\[24\]/,
    );
  });

  it("refuses integer tensors that differ between parents", async () => {
    const dir = path.join(root, "ints");
    const tensors = { ...fixtureTensors(100), "model.position_ids": { dtype: "I64" as const, shape: [2, 5], data: new BigInt64Array(10) } };
    await writeSafetensors(path.join(`${dir}.safetensors`), tensors);
    await expectMergeError(
      mergeCheckpoints({
        parents: [
          { url: a, coefficient: 0.5 },
          { url: `${dir}.safetensors`, coefficient: 0.5 },
        ],
        outDir: path.join(root, "ints-out"),
        resolver,
      }),
      "non_float_mismatch",
      /I64 tensor 'model.position_ids' differs between parent 0 and parent 1/,
    );
    expect(await readdir(path.join(root, "ints-out"))).toEqual([]);
  });

  it("requires an affine combination unless told otherwise", async () => {
    await expectMergeError(
      mergeCheckpoints({
        parents: [
          { url: a, coefficient: 0.5 },
          { url: b, coefficient: 0.6 },
        ],
        outDir: path.join(root, "affine"),
        resolver,
      }),
      "invalid_request",
      /sum to 1.1/,
    );
    const result = await mergeCheckpoints({
      parents: [
        { url: a, coefficient: 0.5 },
        { url: b, coefficient: 0.6 },
      ],
      outDir: path.join(root, "non-affine"),
      allowNonAffine: true,
      resolver,
    });
    expect(result.tensors).toBe(8);
    await expectMergeError(
      mergeCheckpoints({ parents: [{ url: a, coefficient: NaN }], outDir: path.join(root, "nan"), resolver }),
      "invalid_request",
      /not a finite number/,
    );
  });

  it("refuses a non-empty output folder and passes corrupt parents' errors through", async () => {
    await writeFile(path.join(root, "a", "junk.txt"), "x");
    await expectMergeError(
      mergeCheckpoints({ parents: [{ url: b, coefficient: 1 }], outDir: path.join(root, "a"), resolver }),
      "output_not_empty",
      /not empty/,
    );
    const corrupt = path.join(root, "corrupt.safetensors");
    const bytes = await readFile(path.join(b, "model.safetensors"));
    await writeFile(corrupt, bytes.subarray(0, bytes.byteLength - 1));
    const error = await mergeCheckpoints({
      parents: [
        { url: b, coefficient: 0.5 },
        { url: corrupt, coefficient: 0.5 },
      ],
      outDir: path.join(root, "corrupt-out"),
      resolver,
    }).catch((e) => e);
    expect(error).toBeInstanceOf(SafetensorsError);
    expect(error.code).toBe("truncated");
  });
});
