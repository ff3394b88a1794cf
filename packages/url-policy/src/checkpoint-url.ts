// Which checkpoint URLs the service accepts: the edge checks them at registration, the GPU backend
// checks them again before it fetches, so both accept exactly the same schemes (gs:// is refused by
// both: the backend has no Google Cloud Storage client). Checkpoint URLs are shown to anyone who can read the
// API and are handed to the GPU backend to fetch, so they must carry no credentials and must not
// point the backend at the local machine or a private network. (A public name that resolves to a
// private address is the backend's fetcher's job to refuse: the edge does not resolve names.)
export type UrlCheck = { ok: true; url: string } | { ok: false; reason: string };

export interface UrlPolicy {
  allowFileUrls: boolean;
}

/** The schemes a checkpoint URL may use (file:// only where the deployment allows it). */
export const CHECKPOINT_SCHEMES = ["hf", "s3", "https", "file"] as const;
export type CheckpointScheme = (typeof CHECKPOINT_SCHEMES)[number];

const MAX_LENGTH = 2048;
const NAME = "[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9])?";
const HF = new RegExp(`^hf://(${NAME})/(${NAME})(?:@([A-Za-z0-9._-]{1,128}))?(/[^?#]*)?$`);
const BUCKET = /^(s3):\/\/([^/?#]*)(\/[^?#]*)?$/;
/** Query parameters that carry a credential (presigned S3/GCS URLs, bearer tokens). */
const CREDENTIAL_PARAMS = /^(x-amz-(credential|signature|security-token)|x-goog-(credential|signature)|sig|signature|token|access_token|auth|api_?key)$/i;
const PRIVATE_SUFFIXES = [".localhost", ".local", ".internal", ".home.arpa", ".lan", ".intranet", ".corp"];

export function checkCheckpointUrl(raw: string, policy: UrlPolicy): UrlCheck {
  if (raw.length === 0) return fail("must not be empty");
  if (raw.length > MAX_LENGTH) return fail(`must be at most ${MAX_LENGTH} characters`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to reject URLs containing control characters (U+0000–U+001F, U+007F)
  if (/[\s\u0000-\u001f\u007f]/.test(raw)) return fail("must not contain whitespace or control characters");
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(raw)?.[1]?.toLowerCase();
  switch (scheme) {
    case "hf":
      return checkHf(raw);
    case "s3":
      return checkBucket(raw);
    case "gs":
      return fail("gs:// is not supported (use hf://, s3:// — GCS works through its S3-compatible endpoint — or https://)");
    case "https":
      return checkHttps(raw);
    case "file":
      return policy.allowFileUrls ? checkFile(raw) : fail("file:// URLs are only accepted when the deployment sets ALLOW_FILE_URLS");
    case "http":
      return fail("plain http:// is not accepted; use https://");
    case undefined:
      return fail("must be an absolute URL (hf://, s3:// or https://)");
    default:
      return fail(`scheme ${scheme}:// is not accepted (use hf://, s3:// or https://)`);
  }
}

function checkHf(raw: string): UrlCheck {
  const authority = raw.slice("hf://".length).split("/")[0];
  if (authority.includes("@") || authority.includes(":")) return fail("must not contain credentials");
  const match = HF.exec(raw);
  if (!match) return fail("must look like hf://owner/repo[@revision][/path]");
  const path = match[4];
  if (path !== undefined && !isCleanPath(path)) return fail("path must not contain empty, '.' or '..' segments");
  return { ok: true, url: raw };
}

function checkBucket(raw: string): UrlCheck {
  const match = BUCKET.exec(raw);
  if (!match) return fail("must look like s3://bucket/key, without query or fragment");
  const [, scheme, bucket, path] = match;
  if (bucket.includes("@") || bucket.includes(":")) return fail("must not contain credentials");
  if (!/^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/.test(bucket)) return fail(`${scheme}:// bucket name is not valid`);
  if (isIpv4(bucket)) return fail("bucket must be a name, not an IP address");
  if (path === undefined || path === "/") return fail("must name an object key after the bucket");
  if (!isCleanPath(path)) return fail("key must not contain empty, '.' or '..' segments");
  return { ok: true, url: raw };
}

function checkHttps(raw: string): UrlCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail("is not a valid URL");
  }
  if (url.username !== "" || url.password !== "") return fail("must not contain credentials");
  for (const name of url.searchParams.keys()) {
    if (CREDENTIAL_PARAMS.test(name)) return fail(`must not carry a credential in the query (${name})`);
  }
  const host = url.hostname.toLowerCase();
  // The WHATWG parser turns every IPv4 spelling (decimal, hex, octal, short) into dotted form.
  if (host.startsWith("[") || isIpv4(host)) return fail("must use a host name, not an IP address");
  if (host === "localhost" || PRIVATE_SUFFIXES.some((suffix) => host.endsWith(suffix))) {
    return fail("must not point at localhost or a private network name");
  }
  if (!host.includes(".") || host.endsWith(".")) return fail("must use a fully qualified public host name");
  return { ok: true, url: url.href };
}

function checkFile(raw: string): UrlCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail("is not a valid URL");
  }
  if (url.host !== "") return fail("file:// URLs must be absolute local paths (file:///…)");
  if (url.pathname === "/" || url.search !== "" || url.hash !== "") return fail("file:// URLs must name a path, without query or fragment");
  // The parser resolves "..", so look at the path as written.
  const written = decodeURIComponentSafe(raw.slice(raw.indexOf("//") + 2));
  if (!isCleanPath(written)) return fail("path must not contain '.' or '..' segments");
  return { ok: true, url: url.href };
}

function isCleanPath(path: string): boolean {
  const segments = path.split("/").slice(1);
  return segments.every((segment, i) => segment !== "." && segment !== ".." && (segment !== "" || i === segments.length - 1));
}

function isIpv4(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host);
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function fail(reason: string): UrlCheck {
  return { ok: false, reason };
}
