import { randomBytes } from "node:crypto";

export type { JobError, JobStatus } from "@frontier/contracts";

export function newJobId(prefix: "mrg" | "smp"): string {
  return `${prefix}_${randomBytes(10).toString("hex")}`;
}
