// The bundled pack's one training / held-out split. The demo policy is trained on `training` only
// (packs/demo-policy/train.ts) and the demo's default track ranks on `held_out` (scripts/
// demo-experiment.ts), so no number the demo prints is measured on a problem the policy saw.
// Seeded and independent of file order: the ids are sorted, shuffled by a fixed seed, and the
// first HELD_OUT of them are held out.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { hash32, Rng } from "./generator/lib.ts";

export const SPLIT_SEED = 16;
/** Problems held out (the rest train). */
export const HELD_OUT = 30;
/** The name tracks give the held-out problem set. */
export const HELD_OUT_SPLIT = "held-out";

export interface ProblemSplit {
  training: string[];
  held_out: string[];
}

export function splitProblems(ids: readonly string[], seed = SPLIT_SEED, heldOut = HELD_OUT): ProblemSplit {
  const sorted = [...new Set(ids)].sort();
  if (heldOut >= sorted.length) throw new Error(`a split of ${sorted.length} problems cannot hold out ${heldOut} and train on any`);
  const shuffled = new Rng(hash32(`split:${seed}`)).shuffle([...sorted]);
  return { held_out: shuffled.slice(0, heldOut).sort(), training: shuffled.slice(heldOut).sort() };
}

const MANIFEST = fileURLToPath(new URL("./bundled/manifest.json", import.meta.url));

/** The split of the bundled pack (packs/bundled/manifest.json). */
export function bundledSplit(manifestPath = MANIFEST): ProblemSplit {
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { problems: { id: string }[] };
  return splitProblems(manifest.problems.map((p) => p.id));
}
