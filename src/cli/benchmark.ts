// `frontier benchmark register PACK_DIR --api URL --key KEY [--pack NAME]`: registers a problem
// pack's benchmark with a Frontier API (POST /v1/benchmarks, operator key). Only prompts travel; the
// tests stay in the pack, which the executor reads by the pack's folder name.
// `frontier benchmark upload PACK_DIR …` (operator key): puts the whole pack, tests included,
// into the deployment's PACKS bucket (PUT /v1/packs/{name}?version=), from which executor
// Containers without internet are given it.
import { readFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { PackManifestSchema, verifyPackArchive, type PackArchive, type PackManifest } from "@frontier/contracts";
import { registrationFromPack } from "../services/benchmarks.ts";

const USAGE = `Usage: frontier benchmark register PACK_DIR --api URL --key OPERATOR_KEY [--pack NAME]
       frontier benchmark upload PACK_DIR --api URL --key OPERATOR_KEY [--pack NAME]

  register    the benchmark's prompts (no tests) into the API's database
  upload      the pack archive (tests included) into the PACKS bucket, for executor Containers

  PACK_DIR    a pack folder (manifest.json + problems/)
  --api       the Frontier API base URL (default env FRONTIER_API or http://127.0.0.1:8787)
  --key       an API key with the operator scope (default env FRONTIER_ADMIN_KEY)
  --pack      the executor's name for the pack (default: the folder name)`;

export async function run(argv: string[]): Promise<number> {
  const parse = () =>
    parseArgs({
      args: argv,
      allowPositionals: true,
      options: { api: { type: "string" }, key: { type: "string" }, pack: { type: "string" }, help: { type: "boolean", short: "h" } },
    });
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse();
  } catch (error) {
    console.error(`frontier benchmark: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const [action, dir] = parsed.positionals;
  if (parsed.values.help) {
    console.log(USAGE);
    return 0;
  }
  if ((action !== "register" && action !== "upload") || !dir) {
    console.error(USAGE);
    return 2;
  }
  const api = parsed.values.api ?? process.env.FRONTIER_API ?? "http://127.0.0.1:8787";
  const key = parsed.values.key ?? process.env.FRONTIER_ADMIN_KEY;
  if (!key) {
    console.error("frontier benchmark: --key (or FRONTIER_ADMIN_KEY) is required");
    return 2;
  }
  const packDir = resolve(dir);
  const name = parsed.values.pack ?? basename(packDir);
  let pack: { manifest: PackManifest; files: Record<string, string> };
  try {
    pack = await readPack(packDir);
  } catch (error) {
    console.error(`frontier benchmark: cannot read the pack in ${packDir}: ${(error as Error).message}`);
    return 1;
  }
  if (action === "register") {
    let registration: ReturnType<typeof registrationFromPack>;
    try {
      const problems = new Map(pack.manifest.problems.map((entry) => [entry.id, JSON.parse(pack.files[entry.file]) as unknown]));
      registration = registrationFromPack(pack.manifest, problems, name);
    } catch (error) {
      console.error(`frontier benchmark: cannot read the pack in ${packDir}: ${(error as Error).message}`);
      return 1;
    }
    return send(api, key, "POST", new URL("/v1/benchmarks", api), registration);
  }
  // upload: PUT /v1/packs/{name}?version= with the pack as one archive, verified here first.
  const archive: PackArchive = { format: "frontier-pack-archive/1", ...pack };
  const reason = await verifyPackArchive(archive);
  if (reason) {
    console.error(`frontier benchmark: the pack in ${packDir} does not verify: ${reason}`);
    return 1;
  }
  const url = new URL(`/v1/packs/${encodeURIComponent(name)}`, api);
  url.searchParams.set("version", archive.manifest.version);
  return send(api, key, "PUT", url, archive);
}

/** The pack's manifest and the text of every problem file it lists. */
async function readPack(packDir: string): Promise<{ manifest: PackManifest; files: Record<string, string> }> {
  const manifest = PackManifestSchema.parse(JSON.parse(await readFile(join(packDir, "manifest.json"), "utf8")));
  const files: Record<string, string> = {};
  for (const entry of manifest.problems) files[entry.file] = await readFile(join(packDir, entry.file), "utf8");
  return { manifest, files };
}

/** One JSON request with the key; prints the answer, exit 1 when unreachable or refused. */
async function send(api: string, key: string, method: string, url: URL, body: unknown): Promise<number> {
  const response = await fetch(url, {
    method,
    body: JSON.stringify(body),
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
  }).catch((error: Error) => error);
  if (response instanceof Error) {
    console.error(`frontier benchmark: ${api} unreachable: ${response.message}`);
    return 1;
  }
  const text = await response.text();
  if (!response.ok) {
    console.error(`frontier benchmark: ${response.status} ${text}`);
    return 1;
  }
  console.log(text);
  return 0;
}
