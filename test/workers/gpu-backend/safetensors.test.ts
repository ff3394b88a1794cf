import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import {
  Checkpoint,
  SafetensorsFile,
  SafetensorsError,
  resolverConfigFromEnv,
  writeSafetensors,
  type SafetensorsErrorCode,
} from "../../../workers/gpu-backend/src/safetensors/index.ts";
import { fixtureTensors, shardedCheckpoint, singleFileCheckpoint, staticServer, tempDir, removeTempDirs, type StaticServer } from "./fixtures.ts";

// The doubles listen on loopback, which the SSRF guard refuses unless FETCH_ALLOW_HOSTS opens it.
const LOOPBACK = { FETCH_ALLOW_HOSTS: "127.0.0.0/8" };
const resolver = resolverConfigFromEnv(LOOPBACK);

/** Writes a raw file: the 8-byte length, the header JSON as given, then `data` bytes. */
async function rawFile(dir: string, name: string, header: unknown, data: number, lengthOverride?: bigint): Promise<string> {
  const json = Buffer.from(typeof header === "string" ? header : JSON.stringify(header));
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(lengthOverride ?? BigInt(json.byteLength));
  const file = path.join(dir, name);
  await writeFile(file, Buffer.concat([prefix, json, Buffer.alloc(data)]));
  return file;
}

async function expectCode(promise: Promise<unknown>, code: SafetensorsErrorCode, message?: RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SafetensorsError);
  expect((error as SafetensorsError).code).toBe(code);
  if (message) expect((error as Error).message).toMatch(message);
}

describe("safetensors format", () => {
  afterAll(removeTempDirs);
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir();
  });

  it("writes the format exactly: u64 LE length, space-padded JSON header, tensors back to back in name order", async () => {
    const file = path.join(dir, "layout.safetensors");
    const written = await writeSafetensors(
      file,
      { b: { dtype: "F32", shape: [2], data: [1.5, -2] }, a: { dtype: "U8", shape: [3], data: new Uint8Array([7, 8, 9]) } },
      { format: "pt" },
    );
    const bytes = await readFile(file);
    expect(written.bytes).toBe(bytes.byteLength);
    const n = Number(bytes.readBigUInt64LE(0));
    expect(n % 8).toBe(0);
    const header = JSON.parse(bytes.subarray(8, 8 + n).toString("utf8"));
    expect(header).toEqual({
      __metadata__: { format: "pt" },
      a: { dtype: "U8", shape: [3], data_offsets: [0, 3] },
      b: { dtype: "F32", shape: [2], data_offsets: [3, 11] },
    });
    expect([...bytes.subarray(8 + n, 8 + n + 3)]).toEqual([7, 8, 9]);
    expect(bytes.readFloatLE(8 + n + 3)).toBe(1.5);
    expect(bytes.readFloatLE(8 + n + 7)).toBe(-2);
  });

  it("round-trips every fixture dtype, NaN and ±Inf included, and decodes floats", async () => {
    const file = path.join(dir, "roundtrip.safetensors");
    const tensors = fixtureTensors(7);
    await writeSafetensors(file, tensors, { note: "x" });
    const reader = await SafetensorsFile.open(file, resolver);
    expect(reader.metadata).toEqual({ note: "x" });
    expect(reader.tensors.map((t) => t.name)).toEqual(Object.keys(tensors).sort());
    const ids = new BigInt64Array((await reader.readTensor("model.position_ids")).buffer);
    expect([...ids]).toEqual([0n, 1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, -9n]);
    const q = await reader.readFloat32("model.layers.0.self_attn.q_proj.weight");
    const expected = Float32Array.from(tensors["model.layers.0.self_attn.q_proj.weight"].data as number[]);
    expect(Object.is(q[3], -0)).toBe(true);
    expect([...q]).toEqual([...expected]);
    const emb = await reader.readFloat32("model.embed_tokens.weight");
    expect(Number.isNaN(emb[0])).toBe(true);
    expect([emb[1], emb[2]]).toEqual([Infinity, -Infinity]);
    const norm = await reader.readFloat32("model.layers.0.input_layernorm.weight");
    const source = tensors["model.layers.0.input_layernorm.weight"].data as number[];
    for (let i = 4; i < norm.length; i++) expect(Math.abs(norm[i] - source[i])).toBeLessThanOrEqual(Math.abs(source[i]) * 2 ** -11 + 2 ** -25);
    expect((await reader.readTensor("model.empty")).byteLength).toBe(0);
    const range = await reader.readTensorRange("model.position_ids", 8, 16);
    expect([...new BigInt64Array(range.buffer, range.byteOffset, 2)]).toEqual([1n, 2n]);
    await reader.close();
  });

  it("refuses a file shorter than the length prefix", async () => {
    const file = path.join(dir, "tiny.safetensors");
    await writeFile(file, Buffer.from([1, 2, 3]));
    await expectCode(SafetensorsFile.open(file, resolver), "truncated", /shorter than the 8-byte/);
  });

  it("refuses a header longer than the file", async () => {
    const file = await rawFile(dir, "short-header.safetensors", "{}", 0, 4096n);
    await expectCode(SafetensorsFile.open(file, resolver), "truncated", /header claims 4096 bytes/);
  });

  it("refuses truncated tensor data", async () => {
    const good = path.join(dir, "good.safetensors");
    await writeSafetensors(good, fixtureTensors(1));
    const bytes = await readFile(good);
    const cut = path.join(dir, "cut.safetensors");
    await writeFile(cut, bytes.subarray(0, bytes.byteLength - 5));
    await expectCode(SafetensorsFile.open(cut, resolver), "truncated", /tensors need \d+ data bytes but the file holds/);
  });

  it("refuses headers over 100 MB", async () => {
    const file = await rawFile(dir, "huge.safetensors", "{}", 0, 100_000_001n);
    await expectCode(SafetensorsFile.open(file, resolver), "header_too_large", /100000000/);
  });

  it("refuses overlapping offsets", async () => {
    const file = await rawFile(
      dir,
      "overlap.safetensors",
      { a: { dtype: "F32", shape: [2], data_offsets: [0, 8] }, b: { dtype: "F32", shape: [2], data_offsets: [4, 12] } },
      12,
    );
    await expectCode(SafetensorsFile.open(file, resolver), "offset_overlap", /'b'.*overlaps 'a'/);
  });

  it("refuses holes between tensors and trailing bytes", async () => {
    const gap = await rawFile(
      dir,
      "gap.safetensors",
      { a: { dtype: "F32", shape: [1], data_offsets: [0, 4] }, b: { dtype: "F32", shape: [1], data_offsets: [8, 12] } },
      12,
    );
    await expectCode(SafetensorsFile.open(gap, resolver), "offset_hole", /\[4, 8\) before tensor 'b'/);
    const tail = await rawFile(dir, "tail.safetensors", { a: { dtype: "F32", shape: [1], data_offsets: [0, 4] } }, 10);
    await expectCode(SafetensorsFile.open(tail, resolver), "offset_hole", /at the end/);
  });

  it("refuses unknown dtypes", async () => {
    const file = await rawFile(dir, "dtype.safetensors", { a: { dtype: "F7", shape: [1], data_offsets: [0, 1] } }, 1);
    await expectCode(SafetensorsFile.open(file, resolver), "unknown_dtype", /'a' has unknown dtype 'F7'/);
  });

  it("refuses a shape that does not match the byte length", async () => {
    const file = await rawFile(dir, "shape.safetensors", { a: { dtype: "BF16", shape: [3, 2], data_offsets: [0, 10] } }, 10);
    await expectCode(SafetensorsFile.open(file, resolver), "shape_mismatch", /BF16\[3, 2\] needs 12 bytes but data_offsets span 10/);
  });

  it("refuses headers that are not JSON objects or have malformed entries", async () => {
    await expectCode(SafetensorsFile.open(await rawFile(dir, "json.safetensors", "{nope", 0), resolver), "invalid_header", /not valid JSON/);
    await expectCode(SafetensorsFile.open(await rawFile(dir, "array.safetensors", "[]", 0), resolver), "invalid_header", /not a JSON object/);
    await expectCode(
      SafetensorsFile.open(await rawFile(dir, "meta.safetensors", { __metadata__: { step: 3 } }, 0), resolver),
      "invalid_header",
      /__metadata__.step must be a string/,
    );
    await expectCode(
      SafetensorsFile.open(await rawFile(dir, "offsets.safetensors", { a: { dtype: "U8", shape: [1], data_offsets: [1] } }, 1), resolver),
      "invalid_header",
      /data_offsets must be/,
    );
  });

  it("opens sharded checkpoints through their index and checks the index against the shards", async () => {
    const folder = await shardedCheckpoint(path.join(dir, "sharded"), 3);
    const checkpoint = await Checkpoint.open(folder, resolver);
    expect(checkpoint.indexed).toBe(true);
    expect(checkpoint.files).toEqual(["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"]);
    expect(checkpoint.tensors.size).toBe(Object.keys(fixtureTensors(3)).length);
    expect(checkpoint.tensor("model.position_ids").file).toBe("model-00002-of-00002.safetensors");
    await checkpoint.close();

    const index = JSON.parse(await readFile(path.join(folder, "model.safetensors.index.json"), "utf8"));
    index.weight_map["model.ghost"] = "model-00001-of-00002.safetensors";
    await writeFile(path.join(folder, "model.safetensors.index.json"), JSON.stringify(index));
    await expectCode(Checkpoint.open(folder, resolver), "invalid_index", /'model.ghost'.*no such tensor/);

    delete index.weight_map["model.ghost"];
    index.weight_map["model.mask"] = "../elsewhere.safetensors";
    await writeFile(path.join(folder, "model.safetensors.index.json"), JSON.stringify(index));
    await expectCode(Checkpoint.open(folder, resolver), "invalid_index", /beside the index/);
  });

  it("says what is missing when a folder has no checkpoint", async () => {
    await expectCode(Checkpoint.open(await tempDir(), resolver), "not_found", /no model.safetensors.index.json or model.safetensors/);
  });
});

describe("remote sources", () => {
  let root: string;
  let server: StaticServer;
  beforeAll(async () => {
    root = await tempDir();
    await singleFileCheckpoint(path.join(root, "org", "single", "resolve", "main"), 11);
    await shardedCheckpoint(path.join(root, "bucket", "runs", "b"), 12);
    server = await staticServer(root);
  });
  afterAll(async () => {
    await server.close();
    await removeTempDirs();
  });

  it("reads https:// files with range requests, fetching only the header and the tensor asked for", async () => {
    const url = `${server.url}/org/single/resolve/main/model.safetensors`;
    server.requests.length = 0;
    const remote = await SafetensorsFile.open(url, resolver);
    const local = await SafetensorsFile.open(path.join(root, "org/single/resolve/main/model.safetensors"), resolver);
    expect(remote.header).toEqual(local.header);
    expect(Buffer.from(await remote.readTensor("model.layers.0.mlp.up_proj.weight"))).toEqual(
      Buffer.from(await local.readTensor("model.layers.0.mlp.up_proj.weight")),
    );
    expect(server.requests.every((r) => r.range?.startsWith("bytes="))).toBe(true);
    const info = local.tensor("model.layers.0.mlp.up_proj.weight");
    const last = server.requests.at(-1)!;
    expect(last.range).toBe(`bytes=${local.header.dataStart + info.begin}-${local.header.dataStart + info.end - 1}`);
    await Promise.all([remote.close(), local.close()]);
  });

  it("resolves hf://owner/repo through HF_ENDPOINT with the HF_TOKEN bearer", async () => {
    const config = resolverConfigFromEnv({ ...LOOPBACK, HF_ENDPOINT: server.url, HF_TOKEN: "hf_secret" });
    server.requests.length = 0;
    const checkpoint = await Checkpoint.open("hf://org/single", config);
    expect(checkpoint.tensors.size).toBe(8);
    expect(server.requests.some((r) => r.path === "/org/single/resolve/main/model.safetensors")).toBe(true);
    expect(server.requests.every((r) => r.authorization === "Bearer hf_secret")).toBe(true);
    await checkpoint.close();
  });

  it("resolves s3://bucket/key through S3_ENDPOINT with path-style addressing, sharded index included", async () => {
    const config = resolverConfigFromEnv({ ...LOOPBACK, S3_ENDPOINT: server.url, S3_FORCE_PATH_STYLE: "1" });
    const checkpoint = await Checkpoint.open("s3://bucket/runs/b", config);
    expect(checkpoint.indexed).toBe(true);
    expect(checkpoint.files.length).toBe(2);
    const local = await Checkpoint.open(path.join(root, "bucket/runs/b"), resolver);
    expect(Buffer.from(await checkpoint.readTensor("model.position_ids"))).toEqual(Buffer.from(await local.readTensor("model.position_ids")));
    await Promise.all([checkpoint.close(), local.close()]);
  });

  it("reads from servers that ignore Range (streaming past the offset), and refuses missing objects", async () => {
    const plain = await staticServer(root, { ignoreRange: true });
    try {
      const remote = await SafetensorsFile.open(`${plain.url}/org/single/resolve/main/model.safetensors`, resolver);
      const local = await SafetensorsFile.open(path.join(root, "org/single/resolve/main/model.safetensors"), resolver);
      expect(Buffer.from(await remote.readTensor("model.layers.0.mlp.up_proj.weight"))).toEqual(
        Buffer.from(await local.readTensor("model.layers.0.mlp.up_proj.weight")),
      );
      await Promise.all([remote.close(), local.close()]);
    } finally {
      await plain.close();
    }
    await expectCode(SafetensorsFile.open(`${server.url}/nope.safetensors`, resolver), "not_found", /HTTP 404/);
  });
});
