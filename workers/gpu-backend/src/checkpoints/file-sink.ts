// Writing and hashing a download off the thread that receives it. Materialising on one thread
// spent it on TLS decryption, sha256 and page-cache writes in turn (bench/RESULTS.md, materialise);
// here the receiving thread only copies arriving bytes into 1 MiB batches and hands each batch
// (transferred, not copied) to one worker thread that writes it at its offset and feeds the hash,
// so receiving overlaps with writing and hashing. Batches are written in order, so the partial file
// is always a prefix of the object (what resuming needs); at most MAX_BATCHES per file are in flight.
// The worker is plain CommonJS evaluated from a string so the bundled backend needs no extra file.
import { createHash } from "node:crypto";
import { closeSync, ftruncateSync, openSync, readSync, writeSync } from "node:fs";
import { Worker } from "node:worker_threads";

/** Where a download's bytes go: `write` each chunk (a promise asks the caller to wait), then `close`. */
export interface DownloadSink {
  write(chunk: Uint8Array): Promise<void> | undefined;
  close(): Promise<{ bytes: number; sha256: string }>;
}

/** "worker": written and hashed on a worker thread (FileSink); "inline": on the receiving thread (InlineSink). */
export type SinkMode = "worker" | "inline";

export function openSink(mode: SinkMode, file: string, start: number): DownloadSink {
  return mode === "inline" ? new InlineSink(file, start) : new FileSink(file, start);
}

/**
 * Writes each chunk to the page cache and the hash as it arrives, on the receiving thread: no
 * hand-off, but receiving waits for both (the cache's behaviour before FileSink; kept to compare
 * against, and for hosts with a single core).
 */
export class InlineSink implements DownloadSink {
  private readonly fd: number;
  private readonly hash = createHash("sha256");
  private position: number;

  constructor(file: string, start: number) {
    this.fd = openSync(file, start > 0 ? "r+" : "w");
    this.position = start;
    const block = Buffer.allocUnsafe(1 << 20);
    for (let at = 0; at < start; ) {
      const n = readSync(this.fd, block, 0, Math.min(block.length, start - at), at);
      if (n === 0) throw new Error("partial file shorter than its resume offset");
      this.hash.update(block.subarray(0, n));
      at += n;
    }
  }

  write(chunk: Uint8Array): undefined {
    for (let done = 0; done < chunk.byteLength; ) done += writeSync(this.fd, chunk, done, chunk.byteLength - done, this.position + done);
    this.hash.update(chunk);
    this.position += chunk.byteLength;
    return undefined;
  }

  async close(): Promise<{ bytes: number; sha256: string }> {
    try {
      ftruncateSync(this.fd, this.position);
    } finally {
      closeSync(this.fd);
    }
    return { bytes: this.position, sha256: this.hash.digest("hex") };
  }
}

const BATCH = 1 << 20;
const MAX_BATCHES = 8;
// Batch buffers kept for reuse (returned by the worker): one download's worth, so idle memory stays small.
const SPARE = MAX_BATCHES + 1;

const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const fs = require("node:fs");
const { createHash } = require("node:crypto");
const files = new Map();
const SLICE = 256 << 10;
function fail(id, error) {
  const file = files.get(id);
  if (file && file.fd !== undefined) try { fs.closeSync(file.fd); } catch {}
  files.set(id, { failed: true });
  parentPort.postMessage({ id, error: String(error && error.message || error) });
}
parentPort.on("message", (m) => {
  const file = files.get(m.id);
  if (m.op !== "open" && (!file || file.failed)) {
    if (m.buffer) parentPort.postMessage({ id: m.id, ack: m.length, buffer: m.buffer }, [m.buffer]);
    if (m.op === "close") {
      files.delete(m.id);
      parentPort.postMessage({ id: m.id, error: "an earlier write failed" });
    }
    return;
  }
  try {
    if (m.op === "open") {
      const fd = fs.openSync(m.path, m.start > 0 ? "r+" : "w");
      const hash = createHash("sha256");
      files.set(m.id, { fd, hash, position: m.start });
      // The bytes already on disk (a resumed partial) are part of the file's digest.
      const block = Buffer.allocUnsafe(1 << 20);
      for (let at = 0; at < m.start; ) {
        const n = fs.readSync(fd, block, 0, Math.min(block.length, m.start - at), at);
        if (n === 0) throw new Error("partial file shorter than its resume offset");
        hash.update(block.subarray(0, n));
        at += n;
      }
    } else if (m.op === "data") {
      // Written and hashed in 256 KiB slices: one 1 MiB write is several times slower on ext4.
      for (let at = 0; at < m.length; at += SLICE) {
        const bytes = Buffer.from(m.buffer, at, Math.min(SLICE, m.length - at));
        for (let done = 0; done < bytes.length; ) done += fs.writeSync(file.fd, bytes, done, bytes.length - done, file.position + at + done);
        file.hash.update(bytes);
      }
      file.position += m.length;
      parentPort.postMessage({ id: m.id, ack: m.length, buffer: m.buffer }, [m.buffer]);
    } else if (m.op === "close") {
      fs.ftruncateSync(file.fd, file.position);
      fs.closeSync(file.fd);
      files.delete(m.id);
      parentPort.postMessage({ id: m.id, done: true, bytes: file.position, sha256: file.hash.digest("hex") });
    }
  } catch (error) {
    if (m.buffer && m.buffer.byteLength) parentPort.postMessage({ id: m.id, ack: m.length, buffer: m.buffer }, [m.buffer]);
    fail(m.id, error);
    if (m.op === "close") files.delete(m.id);
  }
});
`;

interface WorkerReply {
  id: number;
  ack?: number;
  buffer?: ArrayBuffer;
  error?: string;
  done?: boolean;
  bytes?: number;
  sha256?: string;
}

interface OpenFile {
  onReply(reply: WorkerReply): void;
  onCrash(error: Error): void;
}

let shared: { worker: Worker; files: Map<number, OpenFile>; dead: boolean } | undefined;
let nextId = 1;
const spare: ArrayBuffer[] = [];

function sinkWorker() {
  if (shared) return shared;
  const worker = new Worker(WORKER_SOURCE, { eval: true });
  const files = new Map<number, OpenFile>();
  const state = { worker, files, dead: false };
  worker.on("message", (reply: WorkerReply) => files.get(reply.id)?.onReply(reply));
  const crash = (error: Error) => {
    state.dead = true;
    if (shared === state) shared = undefined;
    for (const file of files.values()) file.onCrash(error);
    files.clear();
  };
  worker.on("error", crash);
  worker.on("exit", (code) => crash(new Error(`file writer exited (${code})`)));
  worker.unref();
  shared = state;
  return state;
}

/** A file being downloaded: `write` each arriving chunk, then `close` for its size and sha256. */
export class FileSink implements DownloadSink {
  private readonly id = nextId++;
  private readonly pool = sinkWorker();
  private batch: Buffer;
  private filled = 0;
  private inFlight = 0;
  private error?: Error;
  private drained?: () => void;
  private closed?: { resolve(v: { bytes: number; sha256: string }): void; reject(e: Error): void };

  /** Opens `file` for writing from byte `start` (0 truncates it; later bytes are hashed from disk). */
  constructor(file: string, start: number) {
    this.batch = takeBuffer();
    this.pool.files.set(this.id, {
      onReply: (reply) => this.onReply(reply),
      onCrash: (error) => this.fail(error),
    });
    if (this.pool.files.size === 1) this.pool.worker.ref();
    this.pool.worker.postMessage({ op: "open", id: this.id, path: file, start });
  }

  /** Takes a chunk; resolves later (backpressure) when too many batches wait for the worker. */
  write(chunk: Uint8Array): Promise<void> | undefined {
    if (this.error) throw this.error;
    for (let at = 0; at < chunk.byteLength; ) {
      const take = Math.min(chunk.byteLength - at, BATCH - this.filled);
      this.batch.set(chunk.subarray(at, at + take), this.filled);
      this.filled += take;
      at += take;
      if (this.filled === BATCH) this.flush();
    }
    if (this.inFlight < MAX_BATCHES) return undefined;
    return new Promise<void>((resolve) => {
      this.drained = resolve;
    }).then(() => {
      if (this.error) throw this.error;
    });
  }

  /** Writes what is left, truncates the file there and closes it: every byte written is on disk. */
  close(): Promise<{ bytes: number; sha256: string }> {
    this.flush();
    return new Promise<{ bytes: number; sha256: string }>((resolve, reject) => {
      if (this.pool.dead) return reject(this.error);
      this.closed = { resolve, reject };
      this.pool.worker.postMessage({ op: "close", id: this.id });
    }).finally(() => this.forget());
  }

  private flush(): void {
    if (this.filled === 0 || this.error) return;
    const buffer = this.batch.buffer as ArrayBuffer;
    this.inFlight++;
    this.pool.worker.postMessage({ op: "data", id: this.id, buffer, length: this.filled }, [buffer]);
    this.batch = takeBuffer();
    this.filled = 0;
  }

  private onReply(reply: WorkerReply): void {
    if (reply.buffer) {
      if (spare.length < SPARE) spare.push(reply.buffer);
      this.inFlight--;
      if (this.inFlight < MAX_BATCHES) this.wake();
    }
    if (reply.error) this.fail(new Error(`writing the download failed: ${reply.error}`));
    if (reply.done) this.closed?.resolve({ bytes: reply.bytes!, sha256: reply.sha256! });
  }

  private fail(error: Error): void {
    this.error ??= error;
    this.wake();
    this.closed?.reject(this.error);
  }

  private wake(): void {
    const drained = this.drained;
    this.drained = undefined;
    drained?.();
  }

  private forget(): void {
    if (spare.length < SPARE) spare.push(this.batch.buffer as ArrayBuffer);
    this.pool.files.delete(this.id);
    if (this.pool.files.size === 0) this.pool.worker.unref();
  }
}

function takeBuffer(): Buffer {
  const buffer = spare.pop();
  // Buffers of their own (not slices of Node's pool), so they can be transferred to the worker.
  return buffer && buffer.byteLength === BATCH ? Buffer.from(buffer) : Buffer.allocUnsafeSlow(BATCH);
}
