// Problem packs: a directory with `manifest.json` and one problem JSON per problem under `problems/`.
// The pack's version is a content hash, so the verdict cache and benchmark rows can key on it.
import { z } from "zod";
import { ProblemSchema, type Problem } from "./problem.ts";

export const PackManifestSchema = z.object({
  format: z.literal("frontier-pack/1"),
  name: z.string().min(1),
  /** "sha256:<hex>" over the problem files, see `packVersion`. */
  version: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  description: z.string().optional(),
  source: z.record(z.string(), z.unknown()).optional(),
  problems: z
    .array(
      z.object({
        id: z.string().min(1),
        /** Path relative to the pack directory, e.g. "problems/two-sum.json". */
        file: z.string().min(1),
        /** sha256 hex of the file's bytes. */
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        kind: z.enum(["stdin", "functional", "assert"]),
        tiers: z.array(z.string()),
        limits: z.object({ time_ms: z.number(), memory_mb: z.number() }),
      }),
    )
    .min(1),
});
export type PackManifest = z.infer<typeof PackManifestSchema>;

const encoder = new TextEncoder();

export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Version of a pack: sha256 over `id \n sha256(file) \n` for every problem, sorted by id. */
export async function packVersion(entries: { id: string; sha256: string }[]): Promise<string> {
  const lines = [...entries].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((e) => `${e.id}\n${e.sha256}\n`);
  return `sha256:${await sha256Hex(lines.join(""))}`;
}

/** Canonical bytes of a problem file: pretty JSON with a trailing newline. */
export function serializeProblem(problem: Problem): string {
  return `${JSON.stringify(ProblemSchema.parse(problem), null, 1)}\n`;
}

/** Builds the manifest for a set of problems (the caller writes `problems/<id>.json` with `serializeProblem`). */
export async function buildManifest(
  name: string,
  problems: Problem[],
  extra: { description?: string; source?: Record<string, unknown> } = {},
): Promise<{ manifest: PackManifest; files: Map<string, string> }> {
  const files = new Map<string, string>();
  const entries: PackManifest["problems"] = [];
  const seen = new Set<string>();
  for (const problem of problems) {
    if (seen.has(problem.id)) throw new Error(`duplicate problem id '${problem.id}'`);
    seen.add(problem.id);
    const file = `problems/${problemFileName(problem.id)}.json`;
    const text = serializeProblem(problem);
    files.set(file, text);
    entries.push({
      id: problem.id,
      file,
      sha256: await sha256Hex(text),
      kind: problem.kind,
      tiers: problem.tiers.map((t) => t.name),
      limits: problem.limits,
    });
  }
  const manifest: PackManifest = {
    format: "frontier-pack/1",
    name,
    version: await packVersion(entries),
    ...extra,
    problems: entries,
  };
  return { manifest, files };
}

/** A file-system-safe name for a problem id ("HumanEval/0" → "HumanEval_0"). */
export function problemFileName(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]/g, "_");
}

/**
 * A pack as one document (what `frontier benchmark upload` puts into R2 and the edge pushes to an
 * executor with `PUT /v1/packs/{name}?version=`): the manifest and every problem file's text.
 * Holds hidden tests: it travels only between the operator, R2 and executors.
 */
export const PackArchiveSchema = z.object({
  format: z.literal("frontier-pack-archive/1"),
  manifest: PackManifestSchema,
  /** File path (as in the manifest) → its text. */
  files: z.record(z.string(), z.string()),
});
export type PackArchive = z.infer<typeof PackArchiveSchema>;

/**
 * Checks an archive against its own manifest: the version hashes the entries, every file is there
 * and hashes to its entry, no extra files, and (when given) the name and version are the expected
 * ones. Returns a reason, or null when it verifies.
 */
export async function verifyPackArchive(archive: PackArchive, expected: { name?: string; version?: string } = {}): Promise<string | null> {
  const { manifest, files } = archive;
  if (expected.name !== undefined && manifest.name !== expected.name) return `the archive holds pack '${manifest.name}', not '${expected.name}'`;
  const version = await packVersion(manifest.problems);
  if (version !== manifest.version) return `the manifest says ${manifest.version} but its entries hash to ${version}`;
  if (expected.version !== undefined && manifest.version !== expected.version) return `the archive is ${manifest.version}, not ${expected.version}`;
  for (const entry of manifest.problems) {
    const text = files[entry.file];
    if (text === undefined) return `${entry.file} is missing`;
    const actual = await sha256Hex(text);
    if (actual !== entry.sha256) return `${entry.file} has sha256 ${actual}, the manifest says ${entry.sha256}`;
  }
  const listed = new Set(manifest.problems.map((p) => p.file));
  const extra = Object.keys(files).find((file) => !listed.has(file));
  if (extra !== undefined) return `${extra} is not in the manifest`;
  return null;
}

/** The R2 key of a pack version's archive. */
export function packArchiveKey(name: string, version: string): string {
  return `packs/${name}/${version.replace(":", "-")}.json`;
}
