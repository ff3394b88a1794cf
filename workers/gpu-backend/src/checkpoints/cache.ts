// The checkpoint cache: every remote checkpoint materialised once per (source, immutable revision)
// as a local folder under CHECKPOINT_CACHE_DIR, within CHECKPOINT_CACHE_BYTES.
//  - atomic: files download into staging/<key>/ as `<name>.partial`, renamed when complete and
//    verified; the folder moves to entries/<key>/ (one rename) after its manifest is written, so
//    entries/ only ever holds complete checkpoints;
//  - resumed: a `.partial` left by an interruption (a dropped connection, a killed process) is
//    continued with a Range request when the server offers ranges, restarted when it does not;
//  - verified: every file's sha256 is computed while it streams and checked against the source's
//    (the Hub's LFS sha256) and its size; the entry's sha256 digests its manifest;
//  - bounded: least-recently-used entries are evicted when the total passes the budget, never one
//    that is leased (in use by a merge or a sampler).
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, stat, truncate, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { type DownloadSink, openSink, type SinkMode } from "./file-sink.ts";
import { planSource, SourceError, type RemoteFile, type SourceConfig, type SourcePlan } from "./sources.ts";

const MANIFEST = ".frontier-checkpoint.json";

export interface CacheConfig {
  dir: string;
  budgetBytes: number;
  /** Attempts per file (each continues where the last stopped). */
  attempts: number;
  retryBaseMs: number;
  /** Who writes and hashes downloads (file-sink.ts): a worker thread (default) or the receiving thread. */
  writer?: SinkMode;
}

export interface Manifest {
  source: string;
  revision: string | null;
  sha256: string;
  bytes: number;
  files: { name: string; bytes: number; sha256: string }[];
  created_at: string;
}

export interface Materialised {
  dir: string;
  revision: string | null;
  sha256: string;
}

export interface Lease extends Materialised {
  release(): void;
}

interface Entry {
  key: string;
  bytes: number;
  lastUsed: number;
}

export class CheckpointCache {
  private readonly inflight = new Map<string, Promise<Manifest>>();
  private readonly leases = new Map<string, number>();
  private entries?: Promise<Map<string, Entry>>;
  /** Counters for tests and /v1/health: downloads started, bytes fetched, entries evicted. */
  readonly stats = { materialised: 0, hits: 0, bytesFetched: 0, evicted: 0 };

  constructor(
    readonly config: CacheConfig,
    private readonly sources: SourceConfig,
  ) {}

  /** Resolves a URL to its immutable revision without downloading anything. */
  async resolve(url: string): Promise<{ source: string; revision: string | null }> {
    const plan = await planSource(url, this.sources);
    return { source: plan.source, revision: plan.revision };
  }

  /**
   * Materialises `url` and holds a lease on it until `release()`: it is never evicted meanwhile.
   * With `pinned` (the revision recorded at registration), a source that now resolves to another
   * revision is refused (SourceError revision_changed) instead of fetched.
   */
  async acquire(url: string, pinned?: string): Promise<Lease> {
    const plan = await planSource(url, this.sources);
    assertPinned(url, pinned, plan.revision);
    const key = cacheKey(plan);
    this.leases.set(key, (this.leases.get(key) ?? 0) + 1);
    try {
      const manifest = await this.materialise(key, plan);
      let released = false;
      return {
        dir: this.entryDir(key),
        revision: manifest.revision,
        sha256: manifest.sha256,
        release: () => {
          if (released) return;
          released = true;
          this.unlease(key);
        },
      };
    } catch (error) {
      this.unlease(key);
      throw error;
    }
  }

  isLeased(dir: string): boolean {
    return (this.leases.get(path.basename(dir)) ?? 0) > 0;
  }

  private unlease(key: string): void {
    const count = (this.leases.get(key) ?? 1) - 1;
    if (count <= 0) this.leases.delete(key);
    else this.leases.set(key, count);
  }

  private entryDir(key: string): string {
    return path.join(this.config.dir, "entries", key);
  }

  private async index(): Promise<Map<string, Entry>> {
    this.entries ??= (async () => {
      const map = new Map<string, Entry>();
      const root = path.join(this.config.dir, "entries");
      await mkdir(root, { recursive: true });
      for (const key of await readdir(root)) {
        try {
          const file = path.join(root, key, MANIFEST);
          const manifest = JSON.parse(await readFile(file, "utf8")) as Manifest;
          map.set(key, { key, bytes: manifest.bytes, lastUsed: (await stat(file)).mtimeMs });
        } catch {
          await rm(path.join(root, key), { recursive: true, force: true });
        }
      }
      return map;
    })();
    return this.entries;
  }

  private materialise(key: string, plan: SourcePlan): Promise<Manifest> {
    let running = this.inflight.get(key);
    if (!running) {
      running = this.load(key, plan).finally(() => this.inflight.delete(key));
      this.inflight.set(key, running);
    }
    return running;
  }

  private async load(key: string, plan: SourcePlan): Promise<Manifest> {
    const index = await this.index();
    const dir = this.entryDir(key);
    const existing = index.get(key);
    if (existing) {
      const manifest = JSON.parse(await readFile(path.join(dir, MANIFEST), "utf8")) as Manifest;
      const now = Date.now();
      existing.lastUsed = now;
      await utimes(path.join(dir, MANIFEST), now / 1000, now / 1000).catch(() => {});
      this.stats.hits++;
      return manifest;
    }
    const staging = path.join(this.config.dir, "staging", key);
    await mkdir(staging, { recursive: true });
    const files: Manifest["files"] = [];
    for (const file of plan.files) {
      const done = await this.fetchFile(file, staging, plan.source);
      if (done) files.push(done);
    }
    files.sort((a, b) => (a.name < b.name ? -1 : 1));
    const manifest: Manifest = {
      source: plan.source,
      revision: plan.revision,
      sha256: digest(files),
      bytes: files.reduce((sum, f) => sum + f.bytes, 0),
      files,
      created_at: new Date().toISOString(),
    };
    await writeFile(path.join(staging, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    await mkdir(path.dirname(dir), { recursive: true });
    await rm(dir, { recursive: true, force: true });
    await rename(staging, dir);
    index.set(key, { key, bytes: manifest.bytes, lastUsed: Date.now() });
    this.stats.materialised++;
    await this.evict(key);
    return manifest;
  }

  /** Evicts least-recently-used entries until the cache fits its budget; leased ones stay. */
  async evict(keep?: string): Promise<void> {
    const index = await this.index();
    let total = [...index.values()].reduce((sum, e) => sum + e.bytes, 0);
    for (const entry of [...index.values()].sort((a, b) => a.lastUsed - b.lastUsed)) {
      if (total <= this.config.budgetBytes) break;
      if (entry.key === keep || this.leases.has(entry.key) || this.inflight.has(entry.key)) continue;
      await rm(this.entryDir(entry.key), { recursive: true, force: true });
      index.delete(entry.key);
      total -= entry.bytes;
      this.stats.evicted++;
    }
  }

  private async fetchFile(file: RemoteFile & { optional?: boolean }, staging: string, source: string) {
    if (!/^[A-Za-z0-9._-][A-Za-z0-9._ -]*$/.test(file.name) || file.name.startsWith("..")) {
      throw new SourceError(`refusing file name ${JSON.stringify(file.name)}`, source);
    }
    const target = path.join(staging, file.name);
    const partial = `${target}.partial`;
    const doneFile = await stat(target).catch(() => undefined);
    if (doneFile) return { name: file.name, bytes: doneFile.size, sha256: await hashFile(target) };
    let lastError: unknown;
    for (let attempt = 0; attempt < this.config.attempts; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, this.config.retryBaseMs * 2 ** (attempt - 1)));
      let have = (await stat(partial).catch(() => undefined))?.size ?? 0;
      if (file.size !== undefined && have > file.size) {
        await truncate(partial, 0);
        have = 0;
      }
      let response: Awaited<ReturnType<RemoteFile["get"]>>;
      try {
        response = await file.get(have > 0 ? have : undefined);
      } catch (error) {
        if ((error as Error).name === "FetchRefused") throw error;
        lastError = error;
        continue;
      }
      if (response.status === 404 && file.optional) {
        response.cancel();
        return undefined;
      }
      if (response.status === 416 && file.size !== undefined && have === file.size) {
        response.cancel();
      } else if (response.status === 206 || response.status === 200) {
        const start = response.status === 206 ? Number(/bytes (\d+)-/.exec(response.headers.get("content-range") ?? "")?.[1] ?? -1) : 0;
        if (start !== 0 && start !== have) {
          response.cancel();
          lastError = new Error(`server answered from byte ${start}, asked for ${have}`);
          continue;
        }
        // Receiving stays on this thread; writing and hashing go to the sink (file-sink.ts: a worker
        // thread by default). Whatever arrived before an interruption is written before the sink
        // closes, so the retry continues from exactly there.
        const sink = openSink(this.config.writer ?? "worker", partial, start);
        let sha256: string;
        try {
          try {
            await drain(response.body, sink, this.stats);
          } finally {
            sha256 = (await sink.close()).sha256;
          }
          if (!response.complete()) throw new Error(`connection lost after ${(await stat(partial)).size} bytes`);
        } catch (error) {
          response.cancel();
          lastError = error;
          continue;
        }
        const bytes = (await stat(partial)).size;
        const expectedSize = file.size ?? (response.status === 200 ? numberOr(response.headers.get("content-length")) : undefined);
        if (expectedSize !== undefined && bytes < expectedSize) {
          lastError = new Error(`got ${bytes} of ${expectedSize} bytes`);
          continue;
        }
        if ((expectedSize !== undefined && bytes !== expectedSize) || (file.sha256 && file.sha256 !== sha256)) {
          await rm(partial, { force: true });
          throw new SourceError(
            `${file.name}: downloaded ${bytes} bytes with sha256 ${sha256}, expected ${expectedSize ?? "?"} bytes, sha256 ${file.sha256 ?? "?"}`,
            source,
          );
        }
        await rename(partial, target);
        return { name: file.name, bytes, sha256 };
      } else {
        response.cancel();
        if (response.status === 404 || response.status === 403 || response.status === 401) {
          throw new SourceError(`${file.name}: HTTP ${response.status}`, source, "not_found");
        }
        lastError = new Error(`HTTP ${response.status}`);
        if (response.status < 500 && response.status !== 429) break;
        continue;
      }
      const bytes = (await stat(partial)).size;
      const sha256 = await hashFile(partial);
      if (file.sha256 && file.sha256 !== sha256) throw new SourceError(`${file.name}: sha256 mismatch`, source);
      await rename(partial, target);
      return { name: file.name, bytes, sha256 };
    }
    throw new SourceError(`${file.name}: download failed after ${this.config.attempts} attempts: ${(lastError as Error)?.message ?? lastError}`, source);
  }
}

/** Refuses a checkpoint whose source resolves to another revision than the one it was pinned to. */
export function assertPinned(url: string, pinned: string | undefined, current: string | null): void {
  if (pinned === undefined || pinned === current) return;
  throw new SourceError(
    `the checkpoint changed since it was registered: pinned to ${pinned}, the source is now at ${current ?? "no revision"} (register it again to use the new contents)`,
    url,
    "revision_changed",
  );
}

export function cacheKey(plan: { source: string; revision: string | null }): string {
  return createHash("sha256")
    .update(`${plan.source}\n${plan.revision ?? "unversioned"}`)
    .digest("hex")
    .slice(0, 32);
}

function digest(files: Manifest["files"]): string {
  const hash = createHash("sha256");
  for (const file of files) hash.update(`${file.name}\t${file.bytes}\t${file.sha256}\n`);
  return hash.digest("hex");
}

function hashSink(hash: ReturnType<typeof createHash>) {
  return async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) hash.update(chunk);
  };
}

async function hashFile(file: string): Promise<string> {
  const hash = createHash("sha256");
  await pipeline(createReadStream(file), hashSink(hash));
  return hash.digest("hex");
}

/**
 * Feeds a body into the sink with 'data' events (a 16 KiB TLS record each): an async iterator costs
 * a promise per chunk, which on a 1 GiB download is a measurable share of the receiving thread.
 */
function drain(body: AsyncIterable<Uint8Array>, sink: DownloadSink, stats: { bytesFetched: number }): Promise<void> {
  const stream = body as unknown as Readable;
  return new Promise<void>((resolve, reject) => {
    const fail = (error: unknown) => {
      stream.off("data", onData);
      stream.pause();
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      stats.bytesFetched += chunk.byteLength;
      let wait: Promise<void> | undefined;
      try {
        wait = sink.write(chunk);
      } catch (error) {
        return fail(error);
      }
      if (wait) {
        stream.pause();
        wait.then(() => stream.resume(), fail);
      }
    };
    stream.on("data", onData);
    stream.once("end", resolve);
    stream.once("error", fail);
    stream.once("close", resolve);
  });
}

function numberOr(text: string | null): number | undefined {
  return text === null ? undefined : Number(text);
}

/** The digest of a local folder's checkpoint files (file:// sources are read in place), memoised by size and mtime. */
const localDigests = new Map<string, { stamp: string; sha256: string }>();
export async function localFolderDigest(dir: string): Promise<string> {
  const names = (await readdir(dir)).filter((n) => n.endsWith(".safetensors") || n.endsWith(".json") || n === "tokenizer.model").sort();
  const files: Manifest["files"] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    const info = await stat(file);
    if (!info.isFile()) continue;
    const stamp = `${info.size}:${info.mtimeMs}`;
    const known = localDigests.get(file);
    const sha256 = known?.stamp === stamp ? known.sha256 : await hashFile(file);
    localDigests.set(file, { stamp, sha256 });
    files.push({ name, bytes: info.size, sha256 });
  }
  // What a sample records (issue 14): the index's sha256 when sharded, else the one weights file's;
  // a folder with several unindexed weight files falls back to the digest of them all.
  const index = files.find((f) => f.name === "model.safetensors.index.json");
  const weights = files.filter((f) => f.name.endsWith(".safetensors"));
  return index?.sha256 ?? (weights.length === 1 ? weights[0].sha256 : digest(files));
}
