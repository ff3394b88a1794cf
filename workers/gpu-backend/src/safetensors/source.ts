// Random-access byte sources: local files (positional reads) and HTTP(S) objects (Range requests).
// hf:// and s3:// locations become HTTPS through resolvers configured from the environment.
import { open, stat, readdir, readFile, type FileHandle } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import path from "node:path";
import { SafetensorsError } from "./errors.ts";
import { guardedFetch, netPolicyFromEnv, type GuardedResponse, type NetPolicy } from "../net/guarded-fetch.ts";
import { parseS3Url, s3ConfigFromEnv, s3ObjectUrl, signS3, type S3Config } from "../checkpoints/s3.ts";

export interface ByteSource {
  readonly location: string;
  size(): Promise<number>;
  /** Reads exactly `length` bytes at `offset` into `into` (or a fresh, 8-byte-aligned buffer). */
  read(offset: number, length: number, into?: Uint8Array): Promise<Uint8Array>;
  close(): Promise<void>;
}

export interface ResolverConfig {
  /** Base of the Hugging Face hub (HF_ENDPOINT), default https://huggingface.co. */
  hfEndpoint: string;
  /** Bearer token for the hub (HF_TOKEN), sent only to hfEndpoint. */
  hfToken?: string;
  /** s3://bucket/key: SigV4 credentials, region, S3_ENDPOINT, path style. */
  s3: S3Config;
  /** Which hosts fetches may reach (FETCH_ALLOW_HOSTS) and how names resolve. */
  net: NetPolicy;
  /** Attempts per HTTP request on network errors and 5xx answers. */
  httpAttempts: number;
}

export function resolverConfigFromEnv(env: Record<string, string | undefined> = process.env): ResolverConfig {
  return {
    hfEndpoint: (env.HF_ENDPOINT ?? "https://huggingface.co").replace(/\/+$/, ""),
    hfToken: env.HF_TOKEN || undefined,
    s3: s3ConfigFromEnv(env),
    net: netPolicyFromEnv(env),
    httpAttempts: 3,
  };
}

/** A location after resolution: a local path, or an HTTP URL with the headers it needs. */
export type ResolvedLocation = { kind: "file"; path: string } | { kind: "http"; url: string; headers: Record<string, string>; s3?: S3Config };

/**
 * Resolves file://, plain paths, https://, hf://owner/repo[@revision][/path] and s3://bucket/key.
 * hf:// maps to `${hfEndpoint}/owner/repo/resolve/revision/path` (revision default "main").
 */
export function resolveLocation(location: string, config: ResolverConfig): ResolvedLocation {
  if (location.startsWith("file://")) return { kind: "file", path: fileURLToPath(location) };
  if (location.startsWith("https://") || location.startsWith("http://")) return { kind: "http", url: location, headers: {} };
  if (location.startsWith("hf://")) {
    const rest = location.slice("hf://".length).replace(/^\/+/, "");
    const [owner, repoAndRevision, ...filePath] = rest.split("/");
    if (!owner || !repoAndRevision) {
      throw new SafetensorsError("not_found", "hf:// locations need an owner and a repository: hf://owner/repo[@revision][/path]", location);
    }
    const [repo, revision = "main"] = repoAndRevision.split("@");
    const url = `${config.hfEndpoint}/${owner}/${repo}/resolve/${encodeURIComponent(revision)}${filePath.length ? `/${filePath.join("/")}` : ""}`;
    return { kind: "http", url, headers: config.hfToken ? { authorization: `Bearer ${config.hfToken}` } : {} };
  }
  if (location.startsWith("s3://")) {
    let parsed: { bucket: string; key: string };
    try {
      parsed = parseS3Url(location);
    } catch {
      throw new SafetensorsError("not_found", "s3:// locations need a bucket: s3://bucket/key", location);
    }
    return { kind: "http", url: s3ObjectUrl(config.s3, parsed.bucket, parsed.key.replace(/\/+$/, "")), headers: {}, s3: config.s3 };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) {
    throw new SafetensorsError("unsupported", "unsupported scheme (use file://, https://, hf:// or s3://)", location);
  }
  return { kind: "file", path: path.resolve(location) };
}

/** Joins a file name onto a location, keeping its scheme (hf://a/b + x → hf://a/b/x). */
export function joinLocation(base: string, name: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(base)) return `${base.replace(/\/+$/, "")}/${name}`;
  return path.join(base, name);
}

/** The folder of a file location, keeping its scheme. */
export function parentLocation(location: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) return location.replace(/\/+[^/]*$/, "");
  return path.dirname(location);
}

export function toFileUrl(localPath: string): string {
  return pathToFileURL(path.resolve(localPath)).href;
}

export function openSource(location: string, config: ResolverConfig): ByteSource {
  const resolved = resolveLocation(location, config);
  return resolved.kind === "file" ? new FileSource(location, resolved.path) : new HttpSource(location, resolved, config);
}

class FileSource implements ByteSource {
  private handle?: Promise<FileHandle>;
  private cachedSize?: number;
  constructor(
    readonly location: string,
    private readonly filePath: string,
  ) {}

  private file(): Promise<FileHandle> {
    this.handle ??= open(this.filePath, "r").catch((error: NodeJS.ErrnoException) => {
      throw new SafetensorsError(error.code === "ENOENT" ? "not_found" : "source_error", `cannot open (${error.code ?? error.message})`, this.location);
    });
    return this.handle;
  }

  async size(): Promise<number> {
    this.cachedSize ??= (await (await this.file()).stat()).size;
    return this.cachedSize;
  }

  async read(offset: number, length: number, into?: Uint8Array): Promise<Uint8Array> {
    const target = into ? into.subarray(0, length) : new Uint8Array(length);
    const handle = await this.file();
    let done = 0;
    while (done < length) {
      const { bytesRead } = await handle.read(target, done, length - done, offset + done);
      if (bytesRead === 0) {
        throw new SafetensorsError("truncated", `file ends at ${offset + done}, expected ${length - done} more bytes`, this.location);
      }
      done += bytesRead;
    }
    return target;
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    if (handle) await (await handle.catch(() => undefined))?.close();
  }
}

/** One GET through the SSRF guard, signed for S3 when the location is s3://. */
async function httpGet(
  resolved: Extract<ResolvedLocation, { kind: "http" }>,
  config: ResolverConfig,
  extra: Record<string, string> = {},
): Promise<GuardedResponse> {
  const headers = resolved.s3 ? await signS3(resolved.s3, resolved.url, "GET", { ...resolved.headers, ...extra }) : { ...resolved.headers, ...extra };
  return guardedFetch(resolved.url, { headers }, config.net);
}

class HttpSource implements ByteSource {
  private cachedSize?: number;
  private readonly attempts: number;
  constructor(
    readonly location: string,
    private readonly resolved: Extract<ResolvedLocation, { kind: "http" }>,
    private readonly config: ResolverConfig,
  ) {
    this.attempts = config.httpAttempts;
  }

  async size(): Promise<number> {
    if (this.cachedSize === undefined) await this.read(0, 1);
    return this.cachedSize!;
  }

  async read(offset: number, length: number, into?: Uint8Array): Promise<Uint8Array> {
    const target = into ? into.subarray(0, length) : new Uint8Array(length);
    if (length === 0) return target;
    const response = await this.fetchRange(offset, offset + length - 1);
    const total = /\/(\d+)\s*$/.exec(response.headers.get("content-range") ?? "")?.[1];
    if (total !== undefined) this.cachedSize = Number(total);
    // A server without range support answers 200 with the whole object: skip to the offset.
    let skip = response.status === 200 ? offset : 0;
    if (response.status === 200 && response.headers.get("content-length")) this.cachedSize = Number(response.headers.get("content-length"));
    let done = 0;
    for await (const raw of response.body) {
      let chunk = raw;
      if (skip > 0) {
        const drop = Math.min(skip, chunk.byteLength);
        skip -= drop;
        chunk = chunk.subarray(drop);
      }
      const take = Math.min(chunk.byteLength, length - done);
      target.set(chunk.subarray(0, take), done);
      done += take;
      if (done === length) {
        response.cancel();
        break;
      }
    }
    if (done < length) {
      throw new SafetensorsError("truncated", `object ends at ${offset + done}, expected ${length - done} more bytes`, this.location);
    }
    return target;
  }

  private async fetchRange(first: number, last: number): Promise<GuardedResponse> {
    let lastError: unknown;
    for (let attempt = 0; attempt < this.attempts; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
      let response: GuardedResponse;
      try {
        response = await httpGet(this.resolved, this.config, { range: `bytes=${first}-${last}` });
      } catch (error) {
        if ((error as Error).name === "FetchRefused") throw new SafetensorsError("source_error", (error as Error).message, this.location);
        lastError = error;
        continue;
      }
      if (response.status === 206 || response.status === 200) return response;
      response.cancel();
      if (response.status === 416) {
        throw new SafetensorsError("truncated", `range ${first}-${last} is past the end of the object`, this.location);
      }
      if (response.status === 404 || response.status === 403 || response.status === 401) {
        throw new SafetensorsError("not_found", `HTTP ${response.status}`, this.location);
      }
      lastError = new Error(`HTTP ${response.status}`);
      if (response.status < 500) break;
    }
    throw new SafetensorsError("source_error", `range request failed: ${(lastError as Error)?.message ?? lastError}`, this.location);
  }

  async close(): Promise<void> {}
}

/** Fetches a whole small file (config.json, tokenizer…), or undefined when it does not exist. */
export async function fetchOptional(location: string, config: ResolverConfig): Promise<Uint8Array | undefined> {
  const resolved = resolveLocation(location, config);
  if (resolved.kind === "file") {
    try {
      return new Uint8Array(await readFile(resolved.path));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw new SafetensorsError("source_error", `cannot read (${(error as NodeJS.ErrnoException).code})`, location);
    }
  }
  let lastError: unknown;
  for (let attempt = 0; attempt < config.httpAttempts; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
    try {
      const response = await httpGet(resolved, config);
      if (response.status === 404) {
        response.cancel();
        return undefined;
      }
      if (response.status >= 200 && response.status < 300) return await response.bytes();
      response.cancel();
      lastError = new Error(`HTTP ${response.status}`);
      if (response.status < 500) break;
    } catch (error) {
      if ((error as Error).name === "FetchRefused") throw new SafetensorsError("source_error", (error as Error).message, location);
      lastError = error;
    }
  }
  throw new SafetensorsError("source_error", `fetch failed: ${(lastError as Error)?.message ?? lastError}`, location);
}

/** Whether a local location is a directory (remote locations are never listed). */
export async function isLocalDirectory(location: string, config: ResolverConfig): Promise<boolean> {
  const resolved = resolveLocation(location, config);
  if (resolved.kind !== "file") return false;
  try {
    return (await stat(resolved.path)).isDirectory();
  } catch {
    return false;
  }
}

export async function listLocalDirectory(location: string, config: ResolverConfig): Promise<string[]> {
  const resolved = resolveLocation(location, config);
  return resolved.kind === "file" ? (await readdir(resolved.path)).sort() : [];
}
