// Finished merge jobs do not pile up in jobs.sqlite (issue 15): past the retention
// (MERGE_RETENTION_DAYS, default 30) a finished merge's record and callback events are forgotten,
// on the next merge asked for and after a restart; its output stays (the edge's gc deletes outputs).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { backendConfigFromEnv } from "../../../workers/gpu-backend/src/app.ts";
import { MergeJobs } from "../../../workers/gpu-backend/src/jobs/merge-jobs.ts";
import { JobStore } from "../../../workers/gpu-backend/src/jobs/store.ts";
import { LocalOutputStore } from "../../../workers/gpu-backend/src/merge/output-store.ts";
import { resolverConfigFromEnv } from "../../../workers/gpu-backend/src/safetensors/source.ts";
import { removeTempDirs, singleFileCheckpoint, tempDir } from "./fixtures.ts";

const DAY = 86_400_000;

afterAll(removeTempDirs);

describe("merge job retention", () => {
  it("forgets finished merges older than the retention, keeps young ones and their outputs", async () => {
    const root = await tempDir("retention-");
    const a = await singleFileCheckpoint(path.join(root, "a"), 1);
    const b = await singleFileCheckpoint(path.join(root, "b"), 2);
    const store = JobStore.open(path.join(root, "state"));
    try {
      const merges = new MergeJobs(new LocalOutputStore(path.join(root, "out")), resolverConfigFromEnv({}), undefined, undefined, store, 2 * DAY);
      const parents = [
        { url: `file://${a}`, coefficient: 0.5 },
        { url: `file://${b}`, coefficient: 0.5 },
      ];
      const first = merges.create({ parents });
      await merges.idle();
      const done = merges.get(first.id)!;
      expect(done.status).toBe("succeeded");
      const output = fileURLToPath(done.output!.url);

      // A day later: still kept. Three days later: forgotten, in memory and in jobs.sqlite.
      expect(merges.forgetOld(Date.now() + DAY)).toBe(0);
      expect(store.mergeJobs().map((m) => m.job.id)).toEqual([first.id]);
      const second = merges.create({ parents });
      await merges.idle();
      expect(merges.forgetOld(Date.now() + 3 * DAY)).toBe(2);
      expect(merges.get(first.id)).toBeUndefined();
      expect(merges.get(second.id)).toBeUndefined();
      expect(store.mergeJobs()).toEqual([]);
      expect(existsSync(output)).toBe(true);
    } finally {
      store.close();
    }
  });

  it("a restarted backend forgets old finished merges as it loads them; unfinished ones always resume", async () => {
    const root = await tempDir("retention-");
    const old = new Date(Date.now() - 40 * DAY).toISOString();
    const request = { parents: [{ url: "file:///nowhere", coefficient: 1 }] };
    const base = { started_at: old, output: null, error: null, callback: null, request };
    let store = JobStore.open(path.join(root, "state"));
    store.saveMergeJob({ ...base, id: "mrg_old", status: "succeeded", created_at: old, finished_at: old });
    store.saveMergeJob({ ...base, id: "mrg_young", status: "failed", created_at: new Date().toISOString(), finished_at: new Date().toISOString() });
    store.close();
    store = JobStore.open(path.join(root, "state"));
    try {
      const merges = new MergeJobs(new LocalOutputStore(path.join(root, "out")), resolverConfigFromEnv({}), undefined, undefined, store, 30 * DAY);
      merges.resume();
      expect(merges.get("mrg_old")).toBeUndefined();
      expect(merges.get("mrg_young")?.status).toBe("failed");
      expect(store.mergeJobs().map((m) => m.job.id)).toEqual(["mrg_young"]);
    } finally {
      store.close();
    }
  });

  it("MERGE_RETENTION_DAYS sets it (default 30 days)", () => {
    expect(backendConfigFromEnv({ BACKEND_TOKEN: "t" }).mergeRetentionMs).toBe(30 * DAY);
    expect(backendConfigFromEnv({ BACKEND_TOKEN: "t", MERGE_RETENTION_DAYS: "2" }).mergeRetentionMs).toBe(2 * DAY);
    expect(() => backendConfigFromEnv({ BACKEND_TOKEN: "t", MERGE_RETENTION_DAYS: "-1" })).toThrow(/MERGE_RETENTION_DAYS/);
  });
});
