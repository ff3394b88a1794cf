// Problem packs for the executor: read from a directory, or fetched once from a URL and checked
// against the manifest's hashes (the queue never carries tests, only pack + problem id).
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { randomBytes } from "node:crypto";
import { PackArchiveSchema, PackManifestSchema, packVersion, sha256Hex, verifyPackArchive, type PackArchive, type PackManifest } from "@frontier/contracts";
import { ProblemSchema, type Problem } from "@frontier/contracts";

export class PackError extends Error {
  constructor(
    readonly status: 404 | 409 | 422 | 502,
    readonly title: string,
    message: string,
  ) {
    super(message);
  }
}

interface LoadedPack {
  manifest: PackManifest;
  /** Reads a problem file's bytes (already verified against the manifest). */
  read(file: string): Promise<string>;
}

export const PACK_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export interface PackStoreOptions {
  dir?: string;
  url?: string;
  /** Where fetched packs are kept (default <dir or tmp>/.fetched). */
  cacheDir?: string;
  fetch?: typeof fetch;
}

export class PackStore {
  private readonly packs = new Map<string, Promise<LoadedPack>>();
  private readonly problems = new Map<string, Promise<Problem>>();

  constructor(private readonly options: PackStoreOptions) {}

  /** Always: besides PACKS_DIR and PACKS_URL, packs can be pushed (`install`, PUT /v1/packs/{name}). */
  get configured(): boolean {
    return true;
  }

  /** Where fetched and pushed packs are kept on disk: <root>/<name>/<version with '-'>/. */
  private cacheRoot(): string {
    return this.options.cacheDir ?? join(this.options.dir ?? join(process.env.TMPDIR ?? "/tmp", "frontier-executor"), ".fetched");
  }

  private installedDir(name: string, version: string): string {
    return join(this.cacheRoot(), name, version.replace(":", "-"));
  }

  /**
   * Installs a pushed pack archive (PackArchiveSchema JSON): verified against its manifest and the
   * expected name and version, written to disk (survives a restart of the process, not of the
   * container), then served for that name. Idempotent for a version already installed.
   */
  async install(name: string, version: string, body: string): Promise<{ version: string; problems: number; installed: boolean }> {
    if (!PACK_NAME.test(name)) throw new PackError(422, "Invalid pack name", `invalid pack name '${name}'`);
    let archive: PackArchive;
    try {
      archive = PackArchiveSchema.parse(JSON.parse(body));
    } catch (error) {
      throw new PackError(422, "Invalid pack archive", `not a frontier-pack-archive/1 document: ${(error as Error).message.slice(0, 300)}`);
    }
    const reason = await verifyPackArchive(archive, { version }); // `name` is this executor's name for it
    if (reason) throw new PackError(422, "Pack hash mismatch", reason);
    const root = this.installedDir(name, version);
    let installed = false;
    if (!existsSync(join(root, "manifest.json"))) {
      const partial = `${root}.${randomBytes(4).toString("hex")}`;
      for (const entry of archive.manifest.problems) {
        const target = safeJoin(partial, entry.file);
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, archive.files[entry.file]);
      }
      writeFileSync(join(partial, "manifest.json"), JSON.stringify(archive.manifest));
      try {
        renameSync(partial, root);
        installed = true;
      } catch {
        rmSync(partial, { recursive: true, force: true }); // installed meanwhile by a concurrent push
      }
    }
    this.packs.set(name, loadFromDir(root));
    return { version, problems: archive.manifest.problems.length, installed };
  }

  /** The problem `problemId` of pack `name`; checks `expectedVersion` when given. */
  async problem(name: string, problemId: string, expectedVersion?: string): Promise<{ problem: Problem; version: string }> {
    if (!PACK_NAME.test(name)) throw new PackError(404, "Unknown pack", `invalid pack name '${name}'`);
    let pack = await this.pack(name);
    if (expectedVersion && pack.manifest.version !== expectedVersion && existsSync(join(this.installedDir(name, expectedVersion), "manifest.json"))) {
      pack = await loadFromDir(this.installedDir(name, expectedVersion));
    } else if (expectedVersion && pack.manifest.version !== expectedVersion && this.options.url) {
      // A newer version may have been published since we fetched it.
      this.packs.delete(name);
      pack = await this.pack(name, true);
    }
    if (expectedVersion && pack.manifest.version !== expectedVersion) {
      throw new PackError(409, "Pack version mismatch", `pack '${name}' is ${pack.manifest.version}, the request asked for ${expectedVersion}`);
    }
    const entry = pack.manifest.problems.find((p) => p.id === problemId);
    if (!entry) throw new PackError(404, "Unknown problem", `pack '${name}' has no problem '${problemId}'`);
    const key = `${name}\0${pack.manifest.version}\0${problemId}`;
    let problem = this.problems.get(key);
    if (!problem) {
      problem = pack.read(entry.file).then((text) => ProblemSchema.parse(JSON.parse(text)));
      this.problems.set(key, problem);
      problem.catch(() => this.problems.delete(key));
    }
    return { problem: await problem, version: pack.manifest.version };
  }

  private pack(name: string, refresh = false): Promise<LoadedPack> {
    let pack = this.packs.get(name);
    if (!pack) {
      pack = this.load(name, refresh);
      this.packs.set(name, pack);
      pack.catch(() => this.packs.delete(name));
    }
    return pack;
  }

  private async load(name: string, refresh: boolean): Promise<LoadedPack> {
    const { dir, url } = this.options;
    if (dir && existsSync(join(dir, name, "manifest.json"))) return loadFromDir(join(dir, name));
    // A pack's folder need not carry its name (packs/bundled holds "frontier-bundled"): look one level down.
    const named = dir ? findPackDir(dir, name) : undefined;
    if (named) return loadFromDir(named);
    if (url) return this.fetchPack(name, url, refresh);
    const pushed = latestInstalled(join(this.cacheRoot(), name));
    if (pushed) return loadFromDir(pushed);
    throw new PackError(404, "Unknown pack", `no pack named '${name}'`);
  }

  private async fetchPack(name: string, baseUrl: string, refresh: boolean): Promise<LoadedPack> {
    const get = this.options.fetch ?? fetch;
    const base = `${baseUrl.replace(/\/+$/, "")}/${encodeURIComponent(name)}/`;
    const fetchText = async (path: string): Promise<string> => {
      let response: Response;
      try {
        response = await get(new URL(path, base));
      } catch (error) {
        throw new PackError(502, "Pack fetch failed", `${new URL(path, base)}: ${(error as Error).message}`);
      }
      if (response.status === 404 && path === "manifest.json") throw new PackError(404, "Unknown pack", `no pack named '${name}' at ${base}`);
      if (!response.ok) throw new PackError(502, "Pack fetch failed", `${new URL(path, base)}: HTTP ${response.status}`);
      return response.text();
    };
    const manifest = await verifiedManifest(await fetchText("manifest.json"), base);
    if (manifest.name !== name) throw new PackError(502, "Invalid pack manifest", `${base}manifest.json names the pack '${manifest.name}', not '${name}'`);
    const root = this.installedDir(name, manifest.version);
    // Fetch every file once, verify, then keep it on disk: later requests never touch the network.
    for (const entry of manifest.problems) {
      const target = safeJoin(root, entry.file);
      if (!refresh && existsSync(target) && (await sha256Hex(readFileSync(target))) === entry.sha256) continue;
      const text = await fetchText(entry.file);
      const actual = await sha256Hex(text);
      if (actual !== entry.sha256) {
        throw new PackError(502, "Pack hash mismatch", `${entry.file} of pack '${name}' has sha256 ${actual}, the manifest says ${entry.sha256}`);
      }
      mkdirSync(dirname(target), { recursive: true });
      const partial = `${target}.${randomBytes(4).toString("hex")}`;
      writeFileSync(partial, text);
      renameSync(partial, target);
    }
    return { manifest, read: async (file) => readFileSync(safeJoin(root, file), "utf8") };
  }
}

async function verifiedManifest(text: string, where: string): Promise<PackManifest> {
  let manifest: PackManifest;
  try {
    manifest = PackManifestSchema.parse(JSON.parse(text));
  } catch (error) {
    throw new PackError(502, "Invalid pack manifest", `${where}manifest.json: ${(error as Error).message}`);
  }
  const version = await packVersion(manifest.problems);
  if (version !== manifest.version) {
    throw new PackError(502, "Pack hash mismatch", `${where}manifest.json says ${manifest.version} but its entries hash to ${version}`);
  }
  return manifest;
}

/** The most recently installed version of a pushed pack (its directory), if any. */
function latestInstalled(dir: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  const versions = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^sha256-[0-9a-f]{64}$/.test(entry.name) && existsSync(join(dir, entry.name, "manifest.json")))
    .map((entry) => ({ path: join(dir, entry.name), at: statSync(join(dir, entry.name, "manifest.json")).mtimeMs }))
    .sort((a, b) => b.at - a.at);
  return versions[0]?.path;
}

function findPackDir(dir: string, name: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const manifestPath = join(dir, entry.name, "manifest.json");
    if (!existsSync(manifestPath)) continue;
    try {
      if (JSON.parse(readFileSync(manifestPath, "utf8")).name === name) return join(dir, entry.name);
    } catch {
      // An unreadable manifest belongs to some other pack; verifiedManifest reports it when that pack is asked for.
    }
  }
  return undefined;
}

async function loadFromDir(root: string): Promise<LoadedPack> {
  const manifest = await verifiedManifest(readFileSync(join(root, "manifest.json"), "utf8"), `${root}/`);
  return {
    manifest,
    read: async (file) => {
      const entry = manifest.problems.find((p) => p.file === file)!;
      const bytes = readFileSync(safeJoin(root, file));
      const actual = await sha256Hex(bytes);
      if (actual !== entry.sha256) throw new PackError(502, "Pack hash mismatch", `${root}/${file} has sha256 ${actual}, the manifest says ${entry.sha256}`);
      return bytes.toString("utf8");
    },
  };
}

function safeJoin(root: string, file: string): string {
  if (file.split("/").some((part) => part === ".." || part === "") || file.startsWith("/")) {
    throw new PackError(502, "Invalid pack manifest", `unsafe file path '${file}'`);
  }
  return join(root, file);
}
