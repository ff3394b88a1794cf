// OUTPUT_STORE=s3://bucket/prefix: each merged checkpoint is staged in a local folder, uploaded to
// s3://bucket/prefix/<job id>/ (single PUT for small files, multipart upload for files over the part
// size) with SigV4 signatures (aws4fetch, the same S3_ENDPOINT/AWS_* settings as the s3:// source),
// and the staged folder is removed: a sampler host that needs the checkpoint fetches it through its
// checkpoint cache like any other s3:// checkpoint. `remove()` deletes a job's output (retention).
import { open, readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { parseS3Url, type S3Config, s3ObjectUrl, signS3 } from "../checkpoints/s3.ts";
import type { OutputFile } from "./engine.ts";
import { LocalOutputStore, type OutputStore } from "./output-store.ts";

export const DEFAULT_PART_BYTES = 64 << 20;

export interface S3OutputStoreOptions {
  /** s3://bucket/prefix (prefix may be empty). */
  url: string;
  s3: S3Config;
  /** Local staging folders (MERGE_OUTPUT_DIR). */
  stagingDir: string;
  /** Files larger than this go up in parts of this size (S3's minimum part is 5 MiB; default 64 MiB). */
  partBytes?: number;
  fetch?: typeof fetch;
}

export class S3UploadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "S3UploadError";
  }
}

export class S3OutputStore implements OutputStore {
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly staging: LocalOutputStore;
  private readonly partBytes: number;
  private readonly fetch: typeof fetch;
  /** Requests by kind (tests and logs). */
  readonly stats = { puts: 0, multipart: 0, parts: 0, deletes: 0 };

  constructor(private readonly options: S3OutputStoreOptions) {
    const { bucket, key } = parseS3Url(options.url);
    this.bucket = bucket;
    this.prefix = key.replace(/^\/+|\/+$/g, "");
    this.staging = new LocalOutputStore(options.stagingDir);
    this.partBytes = options.partBytes ?? DEFAULT_PART_BYTES;
    this.fetch = options.fetch ?? fetch;
  }

  /** The s3:// URL of a job's output folder. */
  urlOf(jobId: string): string {
    return `s3://${this.bucket}/${this.keyOf(jobId, "")}`;
  }

  private keyOf(jobId: string, name: string): string {
    return [this.prefix, jobId, name].filter((part, i) => part !== "" || i === 2).join("/");
  }

  prepare(jobId: string): Promise<string> {
    return this.staging.prepare(jobId);
  }

  async publish(jobId: string, folder: string, _files: OutputFile[]): Promise<string> {
    // Every file the engine wrote (shards, index, config and tokenizer side files).
    for (const name of (await readdir(folder)).sort()) {
      const file = path.join(folder, name);
      if (!(await stat(file)).isFile()) continue;
      await this.upload(file, this.keyOf(jobId, name));
    }
    await rm(folder, { recursive: true, force: true });
    return this.urlOf(jobId);
  }

  discard(jobId: string, folder: string): Promise<void> {
    return this.staging.discard(jobId, folder);
  }

  /** Deletes every object under a job's output prefix; returns how many. */
  async remove(jobId: string): Promise<number> {
    const prefix = this.keyOf(jobId, "");
    let removed = 0;
    for (;;) {
      const listing = await this.request("GET", "", `list-type=2&prefix=${encodeURIComponent(prefix)}`);
      const keys = [...listing.matchAll(/<Key>([^<]+)<\/Key>/g)].map((m) => unescapeXml(m[1]!));
      for (const key of keys) {
        await this.request("DELETE", key);
        this.stats.deletes++;
        removed++;
      }
      if (keys.length === 0 || !/<IsTruncated>true<\/IsTruncated>/.test(listing)) return removed;
    }
  }

  private async upload(file: string, key: string): Promise<void> {
    const size = (await stat(file)).size;
    const handle = await open(file, "r");
    try {
      if (size <= this.partBytes) {
        const body = new Uint8Array(size);
        await handle.read(body, 0, size, 0);
        await this.request("PUT", key, "", body);
        this.stats.puts++;
        return;
      }
      const started = await this.request("POST", key, "uploads=");
      const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(started)?.[1];
      if (!uploadId) throw new S3UploadError(`s3://${this.bucket}/${key}: no UploadId in the answer to CreateMultipartUpload`);
      this.stats.multipart++;
      const id = encodeURIComponent(unescapeXml(uploadId));
      try {
        const etags: string[] = [];
        for (let offset = 0, part = 1; offset < size; offset += this.partBytes, part++) {
          const body = new Uint8Array(Math.min(this.partBytes, size - offset));
          await handle.read(body, 0, body.length, offset);
          const { etag } = await this.requestWithHeaders("PUT", key, `partNumber=${part}&uploadId=${id}`, body);
          if (!etag) throw new S3UploadError(`s3://${this.bucket}/${key}: part ${part} answered without an ETag`);
          etags.push(etag);
          this.stats.parts++;
        }
        const xml = `<CompleteMultipartUpload>${etags.map((etag, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${escapeXml(etag)}</ETag></Part>`).join("")}</CompleteMultipartUpload>`;
        const done = await this.request("POST", key, `uploadId=${id}`, new TextEncoder().encode(xml));
        // S3 can answer 200 with an <Error> body to CompleteMultipartUpload.
        if (/<Error>/.test(done)) throw new S3UploadError(`s3://${this.bucket}/${key}: CompleteMultipartUpload failed: ${done.slice(0, 200)}`);
      } catch (error) {
        await this.request("DELETE", key, `uploadId=${id}`).catch(() => {});
        throw error;
      }
    } finally {
      await handle.close();
    }
  }

  private async request(method: string, key: string, query = "", body?: Uint8Array): Promise<string> {
    return (await this.requestWithHeaders(method, key, query, body)).text;
  }

  private async requestWithHeaders(method: string, key: string, query: string, body?: Uint8Array): Promise<{ text: string; etag: string | null }> {
    const url =
      key === "" ? s3ObjectUrl(this.options.s3, this.bucket, "", query).replace(/\/(\?|$)/, "$1") : s3ObjectUrl(this.options.s3, this.bucket, key, query);
    const headers = await signS3(this.options.s3, url, method, {}, body);
    const response = await this.fetch(url, { method, headers, body: body as BodyInit | undefined });
    const text = await response.text();
    if (!response.ok) throw new S3UploadError(`${method} s3://${this.bucket}/${key}${query ? `?${query}` : ""}: HTTP ${response.status} ${text.slice(0, 200)}`);
    return { text, etag: response.headers.get("etag") };
  }
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function unescapeXml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}
