import { randomBytes } from "node:crypto";

export function newJobId(prefix: "mrg" | "smp"): string {
  return `${prefix}_${randomBytes(10).toString("hex")}`;
}

export type JobStatus = "queued" | "running" | "succeeded" | "failed";

export interface JobError {
  title: string;
  detail: string;
  code?: string;
}
