// A small problem pack built in the test with buildManifest (the same code `packs:build` uses),
// turned into the POST /v1/benchmarks body and registered through the API with an admin key.
import { buildManifest } from "@frontier/contracts";
import type { ProblemInput } from "@frontier/contracts";
import { ProblemSchema } from "@frontier/contracts";
import { registrationFromPack } from "../../src/services/benchmarks.ts";
import { bearer, jsonInit, uniqueRun, type ContractHarness } from "./harness.ts";

export const PACK_PROBLEMS: ProblemInput[] = [
  {
    id: "add-two",
    title: "Add two numbers",
    statement: "Read a and b from stdin; print a + b.",
    kind: "stdin",
    limits: { time_ms: 1000, memory_mb: 256 },
    tiers: [
      { name: "small", tests: [{ input: "1 2\n", output: "3\n" }] },
      { name: "large", tests: [{ input: "1000000000 1000000000\n", output: "2000000000\n" }] },
    ],
  },
  {
    id: "reverse",
    title: "Reverse a list",
    statement: "Return the list reversed.",
    kind: "functional",
    function: { name: "reverse" },
    starter_code: "def reverse(xs):\n    pass\n",
    limits: { time_ms: 2000, memory_mb: 128 },
    tiers: [{ name: "small", tests: [{ input: "[1, 2, 3]", output: "[3, 2, 1]" }] }],
  },
];

/** The registration body for a fresh pack (unique name unless given) and its manifest. */
export async function smallPack(name = uniqueRun("contract-pack")) {
  const problems = PACK_PROBLEMS.map((problem) => ProblemSchema.parse(problem));
  const { manifest, files } = await buildManifest(name, problems, { description: "two problems for the contract suite" });
  const byId = new Map(manifest.problems.map((entry) => [entry.id, JSON.parse(files.get(entry.file)!)]));
  return { manifest, registration: registrationFromPack(manifest, byId) };
}

/** Registers a fresh small pack with an admin key; returns the created benchmark's JSON. */
export async function registerSmallPack(h: ContractHarness, name?: string) {
  const admin = await h.createApiKey(["operator"]);
  const { registration } = await smallPack(name);
  const res = await h.fetch("/v1/benchmarks", jsonInit("POST", registration, bearer(admin)));
  if (res.status !== 201) throw new Error(`registering a pack answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as { name: string; version: string; id: string; problems: number; tiers: string[] };
}

/** A ready checkpoint created through the API with a submit key. */
export async function createCheckpoint(h: ContractHarness, key: string, run = uniqueRun("contract-run"), step = 0) {
  const res = await h.fetch("/v1/checkpoints", jsonInit("POST", { url: `s3://contract/${run}/${step}.safetensors`, run, step }, bearer(key)));
  if (res.status !== 201) throw new Error(`creating a checkpoint answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as { id: string; run: string; status: string };
}
