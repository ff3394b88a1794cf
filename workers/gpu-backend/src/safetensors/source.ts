// Random-access byte sources: local files (positional reads) and HTTP(S) objects (Range requests).
// hf:// and s3:// locations become HTTPS through resolvers configured from the environment.
import { open, stat, readdir, readFile, type FileHandle } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import path from "node:path";
import { SafetensorsError } from "./errors.ts";

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
  /** URL template for s3://bucket/key (S3_ENDPOINT_TEMPLATE), with {bucket} and {key} placeholders. */
  s3Template: string;
  /** Extra headers for S3 requests (S3_AUTHORIZATION as an Authorization header), e.g. for a signing proxy. */
  s3Authorization?: string;
  /** Attempts per HTTP request on network errors and 5xx answers. */
  httpAttempts: number;
}

export function resolverConfigFromEnv(env: Record<string, string | undefined> = process.env): ResolverConfig {
  return {
    hfEndpoint: (env.HF_ENDPOINT ?? "https://huggingface.co").replace(/\/+$/, ""),
    hfToken: env.HF_TOKEN || undefined,
    s3Template: env.S3_ENDPOINT_TEMPLATE ?? "https://{bucket}.s3.amazonaws.com/{key}",
    s3Authorization: env.S3_AUTHORIZATION || undefined,
    httpAttempts: 3,
  };
}

/** A location after resolution: a local path, or an HTTP URL with the headers it needs. */
export type ResolvedLocation = { kind: "file"; path: string } | { kind: "http"; url: string; headers: Record<string, string> };

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
    const rest = location.slice("s3://".length);
    const slash = rest.indexOf("/");
    const bucket = slash < 0 ? rest : rest.slice(0, slash);
    const key = slash < 0 ? "" : rest.slice(slash + 1);
    if (!bucket) throw new SafetensorsError("not_found", "s3:// locations need a bucket: s3://bucket/key", location);
    const url = config.s3Template.replaceAll("{bucket}", bucket).replaceAll("{key}", key).replace(/\/+$/, "");
    return { kind: "http", url, headers: config.s3Authorization ? { authorization: config.s3Authorization } : {} };
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
  return resolved.kind === "file" ? new FileSource(location, resolved.path) : new HttpSource(location, resolved.url, resolved.headers, config.httpAttempts);
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

class HttpSource implements ByteSource {
  private cachedSize?: number;
  constructor(
    readonly location: string,
    private readonly url: string,
    private readonly headers: Record<string, string>,
    private readonly attempts: number,
  ) {}

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
    if (!response.body) throw new SafetensorsError("source_error", "empty response body", this.location);
    let done = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      if (done + chunk.byteLength > length) throw new SafetensorsError("source_error", "server sent more bytes than the range asked for", this.location);
      target.set(chunk, done);
      done += chunk.byteLength;
    }
    if (done < length) {
      throw new SafetensorsError("truncated", `object ends at ${offset + done}, expected ${length - done} more bytes`, this.location);
    }
    return target;
  }

  private async fetchRange(first: number, last: number): Promise<Response> {
    let lastError: unknown;
    for (let attempt = 0; attempt < this.attempts; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
      let response: Response;
      try {
        response = await fetch(this.url, { headers: { ...this.headers, range: `bytes=${first}-${last}` }, redirect: "follow" });
      } catch (error) {
        lastError = error;
        continue;
      }
      if (response.status === 206) return response;
      await response.body?.cancel();
      if (response.status === 416) {
        throw new SafetensorsError("truncated", `range ${first}-${last} is past the end of the object`, this.location);
      }
      if (response.status === 404 || response.status === 403 || response.status === 401) {
        throw new SafetensorsError("not_found", `HTTP ${response.status}`, this.location);
      }
      if (response.status === 200) {
        throw new SafetensorsError("source_error", "server ignored the Range header (needs HTTP range requests)", this.location);
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
      const response = await fetch(resolved.url, { headers: resolved.headers, redirect: "follow" });
      if (response.status === 404) {
        await response.body?.cancel();
        return undefined;
      }
      if (response.ok) return new Uint8Array(await response.arrayBuffer());
      await response.body?.cancel();
      lastError = new Error(`HTTP ${response.status}`);
      if (response.status < 500) break;
    } catch (error) {
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
