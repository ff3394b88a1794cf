// The importers by source name, and writing a pack directory (manifest + problems/*.json).
import { buildManifest } from "@frontier/contracts";
import type { ImportedPack } from "./common.ts";
import { importCodeContests } from "./codecontests.ts";
import { importHumanEval } from "./humaneval.ts";
import { importLiveCodeBench, type ImportOptions } from "./livecodebench.ts";

export { ImportError } from "./common.ts";
export type { ImportedPack } from "./common.ts";
export type { ImportOptions } from "./livecodebench.ts";

export const IMPORTERS: Record<string, (text: string, options?: ImportOptions) => Promise<ImportedPack>> = {
  livecodebench: importLiveCodeBench,
  humaneval: importHumanEval,
  codecontests: importCodeContests,
};

/** The files of a pack directory: `manifest.json` and `problems/<id>.json`, keyed by relative path. */
export async function packFiles(pack: ImportedPack): Promise<Map<string, string>> {
  const { manifest, files } = await buildManifest(pack.name, pack.problems, { description: pack.description, source: pack.source });
  const out = new Map<string, string>([["manifest.json", `${JSON.stringify(manifest, null, 1)}\n`]]);
  for (const [file, text] of files) out.set(file, text);
  return out;
}
