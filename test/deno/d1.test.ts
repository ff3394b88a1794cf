// The D1 API over SQLite that the Deno runtime hands to drizzle's D1 driver (sqlite-d1.ts), run
// under Deno by test/deno/fixtures/d1-probe.ts: the behaviours of D1 the app relies on, and the
// limits of D1 it must not come to rely on by accident.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDeno, taskArgs } from "./deno-process.ts";

const folder = mkdtempSync(join(tmpdir(), "frontier-deno-d1-"));
let report: Record<string, any>;

beforeAll(async () => {
  const result = await runDeno(taskArgs("keys", "test/deno/fixtures/d1-probe.ts").concat(folder), {});
  if (result.code !== 0) throw new Error(`d1 probe failed (${result.code}):\n${result.stdout}\n${result.stderr}`);
  report = JSON.parse(result.stdout.trim().split("\n").at(-1)!);
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe("D1 over SQLite (Deno)", () => {
  it("batch() is atomic: one failing statement leaves nothing of the others", () => {
    expect(report.batchFailure).toContain("UNIQUE constraint failed: runs.team_id, runs.name");
    expect(report.runsAfterFailedBatch).toBe(0);
    expect(report.batchResults).toEqual({ inserted: [{ name: "b" }], selected: [{ name: "b" }] });
  });

  it("returns rows in D1's shapes", () => {
    expect(report.rawAll).toEqual([{ one: 1, s: "x", empty: null }]);
    expect(report.rawGet).toEqual({ two: 2 });
    expect(report.rawValues).toEqual([[3, "y"]]);
    expect(report.join).toEqual([{ checkpoint: "ckpt_1", run: "b", runStatus: "running" }]);
    expect(report.duplicateNames).toEqual([["ckpt_1", "b"]]);
    expect(report.first).toBe("b");
    expect(report.runMeta).toMatchObject({ success: true, meta: { changes: 1, rows_written: 1, changed_db: true }, results: [] });
    expect(report.booleanParameter).toEqual({ t: 1, f: 0 });
  });

  it("refuses what D1 refuses: foreign-key violations, over 100 parameters, SQL transactions, undefined", () => {
    expect(report.foreignKey).toContain("FOREIGN KEY constraint failed");
    expect(report.tooManyParameters).toContain("at most 100 bound parameters");
    expect(report.hundredParameters).toBe(0); // exactly 100 is fine
    expect(report.transaction).toContain("SQL transactions are not supported by D1");
    expect(report.undefinedParameter).toContain("D1_TYPE_ERROR");
    expect(report.runsAtEnd).toBe(1);
  });
});
