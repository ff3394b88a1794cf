// The backend's durable state: sampling and merge jobs, the completions they produced and the
// callback events still owed, in an embedded SQLite (libsql: prebuilt binaries from npm, no build)
// under BACKEND_STATE_DIR (default ./.frontier-backend). Every completion is committed before it is
// shown or called back, so after a crash (SIGKILL included) a restarted backend serves the same
// pages, resumes sampling past what it had, re-runs interrupted merges, and re-sends undelivered
// callbacks under their original webhook-ids. One process owns a state directory (backend.pid).
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import Database from "libsql";
import type { MergeJob, MergeRequest, SampleJob, SamplesRequest } from "@frontier/contracts";
import type { Completion } from "../samplers/types.ts";

export class StateDirInUse extends Error {
  constructor(dir: string, pid: number) {
    super(`BACKEND_STATE_DIR ${dir} is in use by process ${pid}; one backend owns a state directory`);
    this.name = "StateDirInUse";
  }
}

/** A callback event as stored: sent in `position` order per job; `completions` counts a chunk's. */
export interface StoredEvent {
  id: string;
  type: string;
  data: unknown;
  completions: number;
  delivered: boolean;
}

export interface StoredSampleJob {
  job: SampleJob;
  request: SamplesRequest;
  completions: Completion[];
  events: StoredEvent[];
}

export interface StoredMergeJob {
  job: MergeJob;
  events: StoredEvent[];
}

const SCHEMA = `
  create table if not exists sample_jobs (
    id text primary key, request text not null, job text not null, created_at text not null
  );
  create table if not exists completions (
    job_id text not null, seq integer not null, body text not null, primary key (job_id, seq)
  );
  create table if not exists merge_jobs (
    id text primary key, job text not null, created_at text not null
  );
  create table if not exists events (
    position integer primary key autoincrement, id text not null unique, job_id text not null,
    type text not null, data text not null, completions integer not null default 0, delivered integer not null default 0
  );
  create index if not exists events_job on events (job_id, position);
`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Takes `<dir>/backend.pid`, or throws StateDirInUse while another live process holds it. */
function takeLock(dir: string, file: string): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: "wx" });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number.parseInt(readFileSync(file, "utf8"), 10);
      if (Number.isInteger(holder) && holder > 0 && alive(holder)) throw new StateDirInUse(dir, holder);
      // A crashed owner's lock: take it over.
      unlinkSync(file);
    }
  }
  throw new Error(`could not take the lock ${file}`);
}

export class JobStore {
  private closed = false;

  private constructor(
    readonly dir: string,
    private readonly db: Database.Database,
    private readonly lockFile: string,
  ) {}

  static open(dir: string): JobStore {
    const root = path.resolve(dir);
    mkdirSync(root, { recursive: true });
    const lockFile = path.join(root, "backend.pid");
    takeLock(root, lockFile);
    try {
      const db = new Database(path.join(root, "jobs.sqlite"));
      // WAL: a committed write survives the process being killed; `normal` syncs at checkpoints.
      db.exec("pragma journal_mode = wal; pragma synchronous = normal;");
      db.exec(SCHEMA);
      return new JobStore(root, db, lockFile);
    } catch (error) {
      unlinkSync(lockFile);
      throw error;
    }
  }

  // ---- sampling ----

  insertSampleJob(job: SampleJob, request: SamplesRequest): void {
    this.db
      .prepare("insert into sample_jobs (id, request, job, created_at) values (?, ?, ?, ?)")
      .run(job.id, JSON.stringify(request), JSON.stringify(job), job.created_at);
  }

  updateSampleJob(job: SampleJob): void {
    this.db.prepare("update sample_jobs set job = ? where id = ?").run(JSON.stringify(job), job.id);
  }

  addCompletion(jobId: string, seq: number, completion: Completion): void {
    this.db.prepare("insert into completions (job_id, seq, body) values (?, ?, ?)").run(jobId, seq, JSON.stringify(completion));
  }

  sampleJobs(): StoredSampleJob[] {
    const rows = this.db.prepare("select id, request, job from sample_jobs order by created_at, id").all() as { id: string; request: string; job: string }[];
    const completions = this.db.prepare("select body from completions where job_id = ? order by seq");
    return rows.map((row) => ({
      job: JSON.parse(row.job),
      request: JSON.parse(row.request),
      completions: (completions.all(row.id) as { body: string }[]).map((c) => JSON.parse(c.body)),
      events: this.events(row.id),
    }));
  }

  deleteSampleJob(id: string): void {
    this.db.transaction(() => {
      this.db.prepare("delete from sample_jobs where id = ?").run(id);
      this.db.prepare("delete from completions where job_id = ?").run(id);
      this.db.prepare("delete from events where job_id = ?").run(id);
    })();
  }

  // ---- merges ----

  saveMergeJob(job: MergeJob): void {
    this.db
      .prepare("insert into merge_jobs (id, job, created_at) values (?, ?, ?) on conflict (id) do update set job = excluded.job")
      .run(job.id, JSON.stringify(job), job.created_at);
  }

  deleteMergeJob(id: string): void {
    this.db.transaction(() => {
      this.db.prepare("delete from merge_jobs where id = ?").run(id);
      this.db.prepare("delete from events where job_id = ?").run(id);
    })();
  }

  mergeJobs(): StoredMergeJob[] {
    const rows = this.db.prepare("select id, job from merge_jobs order by created_at, id").all() as { id: string; job: string }[];
    return rows.map((row) => ({ job: JSON.parse(row.job), events: this.events(row.id) }));
  }

  // ---- callback events ----

  addEvent(jobId: string, id: string, type: string, data: unknown, completions = 0): void {
    this.db
      .prepare("insert into events (id, job_id, type, data, completions) values (?, ?, ?, ?, ?) on conflict (id) do nothing")
      .run(id, jobId, type, JSON.stringify(data), completions);
  }

  markDelivered(id: string): void {
    if (!this.closed) this.db.prepare("update events set delivered = 1 where id = ?").run(id);
  }

  private events(jobId: string): StoredEvent[] {
    const rows = this.db.prepare("select id, type, data, completions, delivered from events where job_id = ? order by position").all(jobId) as {
      id: string;
      type: string;
      data: string;
      completions: number;
      delivered: number;
    }[];
    return rows.map((r) => ({ id: r.id, type: r.type, data: JSON.parse(r.data), completions: Number(r.completions), delivered: Number(r.delivered) === 1 }));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
    try {
      if (Number.parseInt(readFileSync(this.lockFile, "utf8"), 10) === process.pid) unlinkSync(this.lockFile);
    } catch {
      // already gone
    }
  }
}

export type { MergeRequest };
