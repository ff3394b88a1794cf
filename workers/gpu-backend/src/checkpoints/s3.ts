// s3://bucket/key over HTTPS, signed with SigV4 by aws4fetch (AWS, R2, MinIO). Virtual-hosted
// addressing by default; S3_FORCE_PATH_STYLE=1 (or an S3_ENDPOINT on an IP/loopback) for path style.
import { AwsClient } from "aws4fetch";

export interface S3Config {
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  region: string;
  /** S3_ENDPOINT, e.g. https://<account>.r2.cloudflarestorage.com or http://127.0.0.1:9000. */
  endpoint?: string;
  pathStyle: boolean;
}

export function s3ConfigFromEnv(env: Record<string, string | undefined>): S3Config {
  for (const gone of ["S3_ENDPOINT_TEMPLATE", "S3_AUTHORIZATION"]) {
    if (env[gone])
      throw new Error(`${gone} is gone: set AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION and S3_ENDPOINT (requests are signed with SigV4)`);
  }
  return {
    accessKeyId: env.AWS_ACCESS_KEY_ID || undefined,
    secretAccessKey: env.AWS_SECRET_ACCESS_KEY || undefined,
    sessionToken: env.AWS_SESSION_TOKEN || undefined,
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || "us-east-1",
    endpoint: env.S3_ENDPOINT?.replace(/\/+$/, "") || undefined,
    pathStyle: /^(1|true|yes)$/i.test(env.S3_FORCE_PATH_STYLE ?? ""),
  };
}

export function parseS3Url(url: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/?#]+)\/?([^?#]*)$/.exec(url);
  if (!match) throw new Error(`not an s3:// URL: ${url}`);
  return { bucket: match[1], key: match[2] };
}

/** The HTTPS URL of an object (key unescaped: each segment is percent-encoded here). */
export function s3ObjectUrl(config: S3Config, bucket: string, key: string, query = ""): string {
  const path = key.split("/").map(encodeURIComponent).join("/");
  const endpoint = new URL(config.endpoint ?? `https://s3.${config.region}.amazonaws.com`);
  const suffix = query ? `?${query}` : "";
  if (config.pathStyle) return `${endpoint.origin}${endpoint.pathname.replace(/\/$/, "")}/${bucket}/${path}${suffix}`;
  return `${endpoint.protocol}//${bucket}.${endpoint.host}${endpoint.pathname.replace(/\/$/, "")}/${path}${suffix}`;
}

/** Signs one request; without credentials (a public bucket) the headers go unsigned. */
export async function signS3(
  config: S3Config,
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: Uint8Array | string,
): Promise<Record<string, string>> {
  if (!config.accessKeyId || !config.secretAccessKey) return headers;
  const client = new AwsClient({
    accessKeyId: config.accessKeyId,
    secretAccessKey: config.secretAccessKey,
    sessionToken: config.sessionToken,
    service: "s3",
    region: config.region,
  });
  const signed = await client.sign(url, { method, headers, body: body as BodyInit | undefined });
  const out: Record<string, string> = {};
  signed.headers.forEach((value, name) => {
    out[name] = value;
  });
  return out;
}
