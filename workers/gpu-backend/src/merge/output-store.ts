// Where merged checkpoints go. Locally a folder served back as file:// URLs; in production an object
// store (R2/S3): implement OutputStore to upload the staged folder and return its URL.
import { mkdir, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { toFileUrl } from "../safetensors/source.ts";
import type { OutputFile } from "./engine.ts";

export interface OutputStore {
  /** A local, empty folder the engine writes the job's checkpoint into. */
  prepare(jobId: string): Promise<string>;
  /** Makes the written folder available and returns the URL samplers and clients use to load it. */
  publish(jobId: string, folder: string, files: OutputFile[]): Promise<string>;
  /** Removes a failed job's partial output. */
  discard(jobId: string, folder: string): Promise<void>;
  /** Deletes a published job's output (retention); returns how many files went. */
  remove(jobId: string): Promise<number>;
}

export class LocalOutputStore implements OutputStore {
  constructor(readonly root: string) {}

  static fromEnv(env: Record<string, string | undefined> = process.env): LocalOutputStore {
    return new LocalOutputStore(path.resolve(env.MERGE_OUTPUT_DIR || path.join(tmpdir(), "frontier-merges")));
  }

  async prepare(jobId: string): Promise<string> {
    const folder = path.join(this.root, jobId);
    await mkdir(folder, { recursive: true });
    return folder;
  }

  async publish(_jobId: string, folder: string): Promise<string> {
    return `${toFileUrl(folder)}/`;
  }

  async discard(_jobId: string, folder: string): Promise<void> {
    await rm(folder, { recursive: true, force: true });
  }

  async remove(jobId: string): Promise<number> {
    if (!/^[A-Za-z0-9_-]+$/.test(jobId)) return 0;
    const folder = path.join(this.root, jobId);
    const files = await readdir(folder).catch(() => []);
    await rm(folder, { recursive: true, force: true });
    return files.length;
  }
}
