// What to download for a checkpoint URL, and at which immutable revision:
//  hf://owner/repo[@rev][/path]  the Hub API turns rev into a commit sha and lists every file with
//                                its LFS sha256 and size; files come from resolve/<sha>/<file>
//                                (redirects to the CDN host go there without the token);
//  https://…, s3://bucket/key    a .safetensors file, a model.safetensors.index.json, or a folder
//                                holding either; the revision is the primary object's version id or
//                                strong ETag (with its size).
import { CHECKPOINT_SCHEMES } from "@frontier/url-policy";
import { guardedFetch, type GuardedResponse, type NetPolicy } from "../net/guarded-fetch.ts";
import { SIDE_FILES } from "../safetensors/checkpoint.ts";
import { parseS3Url, s3ObjectUrl, signS3, type S3Config } from "./s3.ts";

const INDEX = "model.safetensors.index.json";

export interface SourceConfig {
  net: NetPolicy;
  hfEndpoint: string;
  hfToken?: string;
  s3: S3Config;
}

export interface RemoteFile {
  name: string;
  size?: number;
  sha256?: string;
  /** GET the file, from byte `from` on when given (a Range request). */
  get(from?: number): Promise<GuardedResponse>;
}

export interface SourcePlan {
  /** The URL without its revision, canonical: the cache key is (source, revision). */
  source: string;
  revision: string | null;
  /** Files to fetch; optional ones may be missing (a 404 skips them). */
  files: (RemoteFile & { optional?: boolean })[];
}

export class SourceError extends Error {
  constructor(
    message: string,
    readonly url: string,
    readonly code: "not_found" | "unsupported" | "source_error" | "revision_changed" = "source_error",
  ) {
    super(`${url}: ${message}`);
    this.name = "SourceError";
  }
}

export function schemeOf(url: string): string | undefined {
  return /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
}

/** The backend accepts the edge's schemes (url-policy), plus http:// for hosts FETCH_ALLOW_HOSTS opens. */
export function assertSupportedScheme(url: string): void {
  const scheme = schemeOf(url);
  if (scheme !== "http" && !(CHECKPOINT_SCHEMES as readonly string[]).includes(scheme ?? "")) {
    throw new SourceError(`scheme ${scheme ?? "(none)"}:// is not supported (use ${CHECKPOINT_SCHEMES.join("://, ")}://)`, url, "unsupported");
  }
}

export async function planSource(url: string, config: SourceConfig): Promise<SourcePlan> {
  assertSupportedScheme(url);
  const scheme = schemeOf(url);
  if (scheme === "hf") return planHub(url, config);
  if (scheme === "s3") {
    const { bucket, key } = parseS3Url(url);
    const get = (objectKey: string) => async (method: "GET" | "HEAD", headers: Record<string, string>) => {
      const objectUrl = s3ObjectUrl(config.s3, bucket, objectKey);
      return guardedFetch(objectUrl, { method, headers: await signS3(config.s3, objectUrl, method, headers) }, config.net);
    };
    return planObjectStore(url, key, (name) => get(name));
  }
  if (scheme === "https" || scheme === "http") {
    const base = new URL(url);
    const get = (path: string) => (method: "GET" | "HEAD", headers: Record<string, string>) =>
      guardedFetch(new URL(path, base.origin).href, { method, headers }, config.net);
    return planObjectStore(url, base.pathname, (name) => get(name));
  }
  throw new SourceError("file:// checkpoints are read in place", url, "unsupported");
}

type Requester = (method: "GET" | "HEAD", headers: Record<string, string>) => Promise<GuardedResponse>;

function rangeHeaders(from?: number): Record<string, string> {
  return from ? { range: `bytes=${from}-` } : {};
}

async function planObjectStore(url: string, key: string, object: (key: string) => Requester): Promise<SourcePlan> {
  const clean = key.replace(/\/+$/, "");
  const folder = /\.(safetensors|json)$/.test(clean) ? clean.replace(/\/?[^/]*$/, "") : clean;
  const join = (name: string) => (folder ? `${folder}/${name}` : name);
  let primary = /\.(safetensors|json)$/.test(clean) ? clean : undefined;
  let head = primary ? await headOf(object(primary), url) : undefined;
  if (!primary) {
    for (const candidate of [join(INDEX), join("model.safetensors")]) {
      head = await headOf(object(candidate), url, true);
      if (head) {
        primary = candidate;
        break;
      }
    }
    if (!primary || !head) throw new SourceError(`no ${INDEX} or model.safetensors in this folder`, url, "not_found");
  }
  const file = (name: string, size?: number): RemoteFile => ({
    name: name.slice(folder ? folder.length + 1 : 0),
    size,
    get: (from) => object(name)("GET", rangeHeaders(from)),
  });
  const files: SourcePlan["files"] = [];
  if (primary.endsWith(".json")) {
    const response = await object(primary)("GET", {});
    if (response.status !== 200) throw new SourceError(`index: HTTP ${response.status}`, url, response.status === 404 ? "not_found" : "source_error");
    const index = JSON.parse(await response.text()) as { weight_map?: Record<string, string> };
    const shards = [...new Set(Object.values(index.weight_map ?? {}))].sort();
    if (shards.length === 0) throw new SourceError("index lists no shards", url, "not_found");
    files.push(file(primary, head!.size));
    for (const shard of shards) {
      if (shard.includes("/") || shard.startsWith(".")) throw new SourceError(`index names a shard outside its folder: ${shard}`, url);
      files.push(file(join(shard)));
    }
  } else {
    files.push(file(primary, head!.size));
  }
  for (const extra of SIDE_FILES) files.push({ ...file(join(extra)), optional: true });
  const source = url.replace(/\/+$/, "");
  return { source, revision: head!.revision, files };
}

async function headOf(request: Requester, url: string, optional = false): Promise<{ size?: number; revision: string | null } | undefined> {
  const response = await request("HEAD", {});
  response.cancel();
  if (response.status === 404 && optional) return undefined;
  if (response.status === 404 || response.status === 403 || response.status === 401) {
    throw new SourceError(`HTTP ${response.status}`, url, "not_found");
  }
  if (response.status !== 200) throw new SourceError(`HEAD answered HTTP ${response.status}`, url);
  const length = response.headers.get("content-length");
  const size = length === null ? undefined : Number(length);
  const version = response.headers.get("x-amz-version-id");
  const etag = response.headers.get("etag");
  const strong = etag && !etag.startsWith("W/") ? etag.replace(/"/g, "") : undefined;
  const modified = response.headers.get("last-modified");
  const revision =
    version && version !== "null"
      ? `version:${version}`
      : strong
        ? `etag:${strong}`
        : modified && size !== undefined
          ? `modified:${new Date(modified).toISOString()}:${size}`
          : null;
  return { size, revision };
}

interface HubInfo {
  sha: string;
  siblings?: { rfilename: string; size?: number; lfs?: { sha256: string; size: number } }[];
}

async function planHub(url: string, config: SourceConfig): Promise<SourcePlan> {
  const match = /^hf:\/\/([^/@]+)\/([^/@]+)(?:@([^/]+))?(?:\/(.*))?$/.exec(url);
  if (!match) throw new SourceError("hf:// URLs look like hf://owner/repo[@revision][/path]", url, "unsupported");
  const [, owner, repo, revision = "main", rawPath = ""] = match;
  const path = rawPath.replace(/\/+$/, "");
  const auth: Record<string, string> = config.hfToken ? { authorization: `Bearer ${config.hfToken}` } : {};
  const api = `${config.hfEndpoint}/api/models/${owner}/${repo}/revision/${encodeURIComponent(revision)}?blobs=true`;
  const response = await guardedFetch(api, { headers: { ...auth, accept: "application/json" } }, config.net);
  if (response.status === 404 || response.status === 401 || response.status === 403) {
    response.cancel();
    throw new SourceError(`the Hub has no ${owner}/${repo} at ${revision} (HTTP ${response.status})`, url, "not_found");
  }
  if (response.status !== 200) {
    response.cancel();
    throw new SourceError(`Hub API answered HTTP ${response.status}`, url);
  }
  const info = JSON.parse(await response.text()) as HubInfo;
  if (!/^[0-9a-f]{40}$/.test(info.sha ?? "")) throw new SourceError("Hub API answered without a commit sha", url);
  const siblings = new Map((info.siblings ?? []).map((s) => [s.rfilename, s]));
  const isFile = /\.(safetensors|json)$/.test(path);
  const folder = isFile ? path.replace(/\/?[^/]*$/, "") : path;
  const join = (name: string) => (folder ? `${folder}/${name}` : name);
  const file = (name: string): RemoteFile => {
    const sibling = siblings.get(name);
    const target = `${config.hfEndpoint}/${owner}/${repo}/resolve/${info.sha}/${name.split("/").map(encodeURIComponent).join("/")}`;
    return {
      name: name.slice(folder ? folder.length + 1 : 0),
      size: sibling?.lfs?.size ?? sibling?.size,
      sha256: sibling?.lfs?.sha256,
      // The token goes to the Hub only: guardedFetch drops Authorization when a redirect leaves its origin.
      get: (from) => guardedFetch(target, { headers: { ...auth, ...rangeHeaders(from) } }, config.net),
    };
  };
  const primary = isFile ? path : siblings.has(join(INDEX)) ? join(INDEX) : join("model.safetensors");
  if (!siblings.has(primary)) throw new SourceError(`no ${isFile ? path : `${INDEX} or model.safetensors`} at ${info.sha}`, url, "not_found");
  const files: SourcePlan["files"] = [file(primary)];
  if (primary.endsWith(".json")) {
    const index = await file(primary).get();
    if (index.status !== 200) throw new SourceError(`index: HTTP ${index.status}`, url);
    const map = (JSON.parse(await index.text()) as { weight_map?: Record<string, string> }).weight_map ?? {};
    for (const shard of [...new Set(Object.values(map))].sort()) {
      if (shard.includes("/") || !siblings.has(join(shard))) throw new SourceError(`index names a missing shard: ${shard}`, url, "not_found");
      files.push(file(join(shard)));
    }
  }
  for (const extra of SIDE_FILES) if (siblings.has(join(extra))) files.push(file(join(extra)));
  return { source: `hf://${owner}/${repo}${path ? `/${path}` : ""}`, revision: info.sha, files };
}
