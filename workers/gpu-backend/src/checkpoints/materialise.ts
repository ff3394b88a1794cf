// The one way the samplers and the merge engine get a local folder for a checkpoint URL.
//   materialiseCheckpoint(url) → { dir, revision, sha256 }
// file:// (or a plain path) is read in place (revision null); hf://, https://, s3:// go through the
// checkpoint cache (CHECKPOINT_CACHE_DIR, default <BACKEND_STATE_DIR>/checkpoints;
// CHECKPOINT_CACHE_BYTES, default 100 GiB). A folder handed out by materialiseCheckpoint is leased
// (never evicted) until releaseCheckpoint(dir) — a sampler calls it when it unloads the weights.
import { stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { netPolicyFromEnv } from "../net/guarded-fetch.ts";
import { assertPinned, CheckpointCache, localFolderDigest, type Lease, type Materialised } from "./cache.ts";
import { s3ConfigFromEnv } from "./s3.ts";
import { assertSupportedScheme, schemeOf, SourceError, type SourceConfig } from "./sources.ts";

export function sourceConfigFromEnv(env: Record<string, string | undefined> = process.env): SourceConfig {
  return {
    net: netPolicyFromEnv(env),
    hfEndpoint: (env.HF_ENDPOINT || "https://huggingface.co").replace(/\/+$/, ""),
    hfToken: env.HF_TOKEN || undefined,
    s3: s3ConfigFromEnv(env),
  };
}

export function cacheFromEnv(env: Record<string, string | undefined> = process.env): CheckpointCache {
  const stateDir = env.BACKEND_STATE_DIR || "./.frontier-backend";
  const budget = env.CHECKPOINT_CACHE_BYTES ? Number(env.CHECKPOINT_CACHE_BYTES) : 100 * 2 ** 30;
  if (!Number.isFinite(budget) || budget <= 0) throw new Error("CHECKPOINT_CACHE_BYTES must be a positive number of bytes");
  return new CheckpointCache(
    {
      dir: path.resolve(env.CHECKPOINT_CACHE_DIR || path.join(stateDir, "checkpoints")),
      budgetBytes: budget,
      attempts: 5,
      retryBaseMs: 250,
      // CHECKPOINT_CACHE_WRITER=inline writes and hashes on the receiving thread (one-core hosts).
      writer: env.CHECKPOINT_CACHE_WRITER === "inline" ? "inline" : "worker",
    },
    sourceConfigFromEnv(env),
  );
}

let shared: CheckpointCache | undefined;

/** The process's cache (built from the environment on first use; tests and the app may set it). */
export function checkpointCache(): CheckpointCache {
  shared ??= cacheFromEnv();
  return shared;
}

export function setCheckpointCache(cache: CheckpointCache | undefined): void {
  shared = cache;
}

function isLocal(url: string): boolean {
  const scheme = schemeOf(url);
  return scheme === undefined || scheme === "file" || /^[A-Za-z]:[\\/]/.test(url);
}

async function localFolder(url: string): Promise<string> {
  const file = url.startsWith("file://") ? fileURLToPath(url) : path.resolve(url);
  const info = await stat(file).catch(() => undefined);
  if (!info) throw new SourceError("does not exist", url, "not_found");
  // Normalised (no trailing slash): the folder is what a sample records as the weights it came from.
  return info.isDirectory() ? path.resolve(file) : path.dirname(file);
}

/**
 * Leases a local folder for `url` (the merge engine releases it when the merge ends); with `pinned`,
 * refuses a remote source that changed since (local folders carry no revision: never pinned).
 */
export async function acquireCheckpoint(url: string, cache: CheckpointCache = checkpointCache(), pinned?: string): Promise<Lease> {
  if (isLocal(url)) {
    const dir = await localFolder(url);
    return { dir, revision: null, sha256: await localFolderDigest(dir), release: () => {} };
  }
  assertSupportedScheme(url);
  return cache.acquire(url, pinned);
}

const held = new Map<string, Lease[]>();

export async function materialiseCheckpoint(url: string): Promise<Materialised> {
  const lease = await acquireCheckpoint(url);
  held.set(lease.dir, [...(held.get(lease.dir) ?? []), lease]);
  return { dir: lease.dir, revision: lease.revision, sha256: lease.sha256 };
}

/** Ends one materialiseCheckpoint lease on `dir`: the cache may evict it again. */
export function releaseCheckpoint(dir: string): void {
  const leases = held.get(dir);
  leases?.pop()?.release();
  if (leases && leases.length === 0) held.delete(dir);
}

/**
 * Checks, before any work, that a checkpoint still is at the revision it was pinned to (a HEAD or a
 * Hub API call; nothing downloaded). An hf:// URL that names the pinned commit is immutable: no call.
 * Throws SourceError revision_changed otherwise.
 */
export async function checkPinned(url: string, pinned: string | undefined, cache: CheckpointCache = checkpointCache()): Promise<void> {
  if (pinned === undefined || isLocal(url)) return;
  if (/^hf:\/\/[^/@]+\/[^/@]+@([^/]+)/.exec(url)?.[1] === pinned && /^[0-9a-f]{40}$/.test(pinned)) return;
  assertSupportedScheme(url);
  assertPinned(url, pinned, (await cache.resolve(url)).revision);
}

/** The immutable revision of a checkpoint URL (nothing downloaded): the Hub commit, the object's version id or ETag. */
export async function resolveRevision(url: string, cache: CheckpointCache = checkpointCache()): Promise<{ source: string; revision: string | null }> {
  if (isLocal(url)) return { source: url, revision: null };
  assertSupportedScheme(url);
  return cache.resolve(url);
}
