// An S3 double on loopback: path-style buckets in memory, every request's SigV4 signature verified
// (written from the AWS specification), GET/HEAD (with Range and ETag), PUT, DELETE, ListObjectsV2,
// and multipart upload (CreateMultipartUpload, UploadPart, CompleteMultipartUpload, Abort).
import { createHash, createHmac, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

const hmac = (key: Buffer | string, text: string) => createHmac("sha256", key).update(text).digest();
const md5 = (b: Buffer) => createHash("md5").update(b).digest("hex");

/** Verifies an AWS SigV4 Authorization header against one access key and secret. */
export function verifySigV4(req: IncomingMessage, accessKeyId: string, secret: string, body?: Buffer): boolean {
  const auth = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
    req.headers.authorization ?? "",
  );
  if (!auth) return false;
  const [, accessKey, date, region, signedHeaders, signature] = auth;
  if (accessKey !== accessKeyId) return false;
  const url = new URL(req.url!, "http://x");
  const query = [...url.searchParams]
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .sort()
    .join("&");
  const names = signedHeaders!.split(";");
  if (!names.includes("host") || !names.includes("x-amz-date")) return false;
  const canonicalHeaders = names
    .map(
      (n) =>
        `${n}:${String(req.headers[n] ?? "")
          .trim()
          .replace(/\s+/g, " ")}\n`,
    )
    .join("");
  const payload = String(req.headers["x-amz-content-sha256"] ?? "");
  // A signed payload hash must match the bytes that came.
  if (body && payload !== "UNSIGNED-PAYLOAD" && payload !== createHash("sha256").update(body).digest("hex")) return false;
  const canonical = [req.method, url.pathname, query, canonicalHeaders, signedHeaders, payload].join("\n");
  const amzDate = String(req.headers["x-amz-date"]);
  const scope = `${date}/${region}/s3/aws4_request`;
  const toSign = ["AWS4-HMAC-SHA256", amzDate, scope, createHash("sha256").update(canonical).digest("hex")].join("\n");
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date!), region!), "s3"), "aws4_request");
  return hmac(key, toSign).toString("hex") === signature;
}

export interface S3Double {
  url: string;
  /** "bucket/key" → bytes. */
  objects: Map<string, Buffer>;
  /** Open multipart uploads by id. */
  uploads: Map<string, { key: string; parts: Map<number, Buffer> }>;
  log: { method: string; path: string; query: string; signed: boolean }[];
  close(): Promise<void>;
}

export async function startS3Double(accessKeyId: string, secret: string): Promise<S3Double> {
  const objects = new Map<string, Buffer>();
  const uploads = new Map<string, { key: string; parts: Map<number, Buffer> }>();
  const log: S3Double["log"] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url!, "http://x");
    const signed = verifySigV4(req, accessKeyId, secret, body);
    log.push({ method: req.method!, path: url.pathname, query: url.search, signed });
    if (!signed) return xml(res, 403, "<Error><Code>SignatureDoesNotMatch</Code></Error>");
    const [, bucket, ...rest] = url.pathname.split("/");
    const key = rest.map(decodeURIComponent).join("/");
    const id = `${bucket}/${key}`;
    const q = url.searchParams;
    if (req.method === "GET" && key === "" && q.get("list-type") === "2") {
      const prefix = q.get("prefix") ?? "";
      const keys = [...objects.keys()].filter((k) => k.startsWith(`${bucket}/${prefix}`)).map((k) => k.slice(bucket!.length + 1));
      return xml(
        res,
        200,
        `<ListBucketResult><IsTruncated>false</IsTruncated>${keys.map((k) => `<Contents><Key>${k}</Key></Contents>`).join("")}</ListBucketResult>`,
      );
    }
    if (req.method === "POST" && q.has("uploads")) {
      const uploadId = randomBytes(8).toString("hex");
      uploads.set(uploadId, { key: id, parts: new Map() });
      return xml(res, 200, `<InitiateMultipartUploadResult><UploadId>${uploadId}</UploadId></InitiateMultipartUploadResult>`);
    }
    if (q.has("uploadId")) {
      const upload = uploads.get(q.get("uploadId")!);
      if (!upload || upload.key !== id) return xml(res, 404, "<Error><Code>NoSuchUpload</Code></Error>");
      if (req.method === "PUT") {
        const part = Number(q.get("partNumber"));
        upload.parts.set(part, body);
        res.writeHead(200, { etag: `"${md5(body)}"` });
        return res.end();
      }
      if (req.method === "DELETE") {
        uploads.delete(q.get("uploadId")!);
        return res.writeHead(204).end();
      }
      if (req.method === "POST") {
        const listed = [...body.toString("utf8").matchAll(/<PartNumber>(\d+)<\/PartNumber><ETag>([^<]+)<\/ETag>/g)];
        const parts: Buffer[] = [];
        for (const [i, [, n, etag]] of listed.entries()) {
          const part = upload.parts.get(Number(n));
          if (Number(n) !== i + 1 || !part || etag!.replace(/&quot;/g, '"') !== `"${md5(part)}"`)
            return xml(res, 400, "<Error><Code>InvalidPart</Code></Error>");
          parts.push(part);
        }
        objects.set(id, Buffer.concat(parts));
        uploads.delete(q.get("uploadId")!);
        return xml(res, 200, `<CompleteMultipartUploadResult><Key>${key}</Key></CompleteMultipartUploadResult>`);
      }
    }
    if (req.method === "PUT") {
      objects.set(id, body);
      res.writeHead(200, { etag: `"${md5(body)}"` });
      return res.end();
    }
    if (req.method === "DELETE") {
      objects.delete(id);
      return res.writeHead(204).end();
    }
    const object = objects.get(id);
    if (!object) return xml(res, 404, "<Error><Code>NoSuchKey</Code></Error>");
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? "");
    const headers = { etag: `"${md5(object)}"`, "accept-ranges": "bytes" };
    if (range) {
      const start = Number(range[1]);
      const end = range[2] ? Number(range[2]) : object.length - 1;
      res.writeHead(206, { ...headers, "content-length": end - start + 1, "content-range": `bytes ${start}-${end}/${object.length}` });
      return req.method === "HEAD" ? res.end() : res.end(object.subarray(start, end + 1));
    }
    res.writeHead(200, { ...headers, "content-length": object.length });
    return req.method === "HEAD" ? res.end() : res.end(object);
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, objects, uploads, log, close: () => new Promise((done) => server.close(() => done())) };
}

function xml(res: ServerResponse, status: number, body: string) {
  res.writeHead(status, { "content-type": "application/xml" });
  res.end(body);
}
