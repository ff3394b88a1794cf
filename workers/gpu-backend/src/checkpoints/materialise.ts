// A checkpoint URL → a local directory a model server can load. This minimal version handles
// file:// URLs and plain paths (a folder, a .safetensors file or an index); the storage work
// (checkpoint cache, hf://, s3://, https://) replaces it behind the same signature.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export interface MaterialisedCheckpoint {
  /** A local directory holding the checkpoint (weights, config, tokenizer). */
  dir: string;
  /** The source's revision (a Hub commit); null for local files. */
  revision: string | null;
  /** sha256 of model.safetensors.index.json when there is one, else of the single weights file. */
  sha256: string;
}

export async function materialiseCheckpoint(url: string): Promise<MaterialisedCheckpoint> {
  let path: string;
  if (url.startsWith("file://")) path = fileURLToPath(url);
  else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) throw new Error(`cannot load ${url}: only file:// checkpoints (or local paths) are supported here`);
  else path = resolve(url);
  const info = await stat(path).catch(() => {
    throw new Error(`checkpoint ${url} not found at ${path}`);
  });
  const dir = info.isDirectory() ? path.replace(/\/+$/, "") : dirname(path);
  let weights: string;
  if (info.isDirectory()) {
    const names = await readdir(dir);
    if (names.includes("model.safetensors.index.json")) weights = "model.safetensors.index.json";
    else {
      const files = names.filter((n) => n.endsWith(".safetensors")).sort();
      if (files.length !== 1)
        throw new Error(`checkpoint ${url}: expected model.safetensors.index.json or one .safetensors file in ${dir}, found ${files.length}`);
      weights = files[0];
    }
  } else weights = basename(path);
  return { dir, revision: null, sha256: await sha256File(join(dir, weights)) };
}

function sha256File(path: string): Promise<string> {
  return new Promise((done, fail) => {
    const hash = createHash("sha256");
    createReadStream(path)
      .on("data", (chunk) => hash.update(chunk))
      .on("error", fail)
      .on("end", () => done(hash.digest("hex")));
  });
}
