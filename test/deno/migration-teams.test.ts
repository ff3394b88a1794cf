// Migration 0006_teams on SQLite (the same SQL wrangler applies to D1): rows written before teams
// land in the default team, the default team exists, and nothing is lost.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO, runDeno } from "./deno-process.ts";

const folder = mkdtempSync(join(tmpdir(), "frontier-migration-teams-"));

afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Statements of a migration file, split the way wrangler and drizzle split them. */
function statements(file: string): string[] {
  return readFileSync(join(REPO, "migrations", file), "utf8")
    .split("--> statement-breakpoint")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

const BEFORE = [
  `INSERT INTO api_keys (id, hash, prefix, scopes, label, created_at) VALUES ('key_old', 'hash-old', 'frk_old', '["admin"]', 'old', '2026-01-01T00:00:00Z')`,
  `INSERT INTO runs (name, status, created_at, updated_at) VALUES ('old-run', 'finished', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`,
  `INSERT INTO checkpoints (id, run, step, url, status, source, created_at, updated_at) VALUES ('ckpt_old', 'old-run', 5, 's3://bucket/old/', 'ready', 'webhook', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`,
  `INSERT INTO webhook_deliveries (id, type, received_at, checkpoint_id, run) VALUES ('msg_old', 'checkpoint.saved', '2026-01-01T00:00:00Z', 'ckpt_old', 'old-run')`,
  `INSERT INTO merges (id, request, run, created_at) VALUES ('mrg_old', '{}', 'old-run', '2026-01-01T00:00:00Z')`,
  `INSERT INTO evaluations (id, checkpoint_id, benchmark, benchmark_version, language, params, problems, requested, status, errors, created_at, updated_at) VALUES ('eval_old', 'ckpt_old', 'b', 'sha256:x', 'python', '{}', '[]', 0, 'queued', '[]', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`,
  `INSERT INTO ensembles (id, members, budget, allocation, result, created_at) VALUES ('ens_old', '[]', 1, 'equal', '{}', '2026-01-01T00:00:00Z')`,
  `INSERT INTO run_policies (run, tracks, every_steps, key_id, created_at, updated_at) VALUES ('old-run', '[]', 1, 'key_old', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`,
  `INSERT INTO tracks (id, benchmark, benchmark_version, setting, language, n, temperature, top_p, max_tokens, seed, problems, created_at) VALUES ('old-track', 'b', 'sha256:x', 'reasoning', 'python', 1, 0, 1, 64, 0, '[]', '2026-01-01T00:00:00Z')`,
  `INSERT INTO submissions (id, key_id, url, track, checkpoint_id, evaluation_id, samples, created_at) VALUES ('sub_old', 'key_old', 's3://bucket/old/', 'old-track', 'ckpt_old', 'eval_old', 0, '2026-01-01T00:00:00Z')`,
];

const CHECK = `SELECT
  (SELECT json_group_array(team_id) FROM api_keys) AS keys,
  (SELECT json_group_array(team_id || ':' || name || ':' || status) FROM runs) AS runs,
  (SELECT json_group_array(team_id || ':' || id || ':' || url || ':' || url_public) FROM checkpoints) AS checkpoints,
  (SELECT json_group_array(team_id || ':' || id) FROM webhook_deliveries) AS deliveries,
  (SELECT json_group_array(team_id) FROM merges) AS merges,
  (SELECT json_group_array(team_id) FROM evaluations) AS evaluations,
  (SELECT json_group_array(team_id) FROM ensembles) AS ensembles,
  (SELECT json_group_array(team_id || ':' || run) FROM run_policies) AS policies,
  (SELECT json_group_array(team_id) FROM submissions) AS submissions,
  (SELECT json_group_array(coalesce(team_id, 'public')) FROM tracks) AS tracks,
  (SELECT json_group_array(id) FROM teams) AS teams`;

describe("migration 0006_teams", () => {
  it("moves every existing row to the default team and keeps it", async () => {
    const files = readdirSync(join(REPO, "migrations"))
      .filter((f) => f.endsWith(".sql"))
      .sort();
    const teams = files.findIndex((f) => /^\d{4}_teams\.sql$/.test(f));
    expect(teams).toBeGreaterThan(0);
    const plan = {
      before: files.slice(0, teams).flatMap(statements),
      seed: BEFORE,
      teams: statements(files[teams]!),
      check: CHECK,
    };
    const planFile = join(folder, "plan.json");
    writeFileSync(planFile, JSON.stringify(plan));
    const script = `import { DatabaseSync } from "node:sqlite";
const plan = JSON.parse(Deno.readTextFileSync(${JSON.stringify(planFile)}));
const db = new DatabaseSync(":memory:");
db.exec("PRAGMA foreign_keys = ON");
for (const s of [...plan.before, ...plan.seed, ...plan.teams]) db.exec(s);
console.log(JSON.stringify(db.prepare(plan.check).get()));`;
    const result = await runDeno(["eval", script], {});
    expect(result.stderr).toBe("");
    const row = JSON.parse(result.stdout);
    const parsed = Object.fromEntries(Object.entries(row).map(([k, v]) => [k, JSON.parse(v as string)]));
    expect(parsed).toEqual({
      keys: ["default"],
      runs: ["default:old-run:finished"],
      checkpoints: ["default:ckpt_old:s3://bucket/old/:0"],
      deliveries: ["default:msg_old"],
      merges: ["default"],
      evaluations: ["default"],
      ensembles: ["default"],
      policies: ["default:old-run"],
      submissions: ["default"],
      tracks: ["public"],
      teams: ["default"],
    });
  });
});
