// Query parameters several routes share.
import { ProblemError, validationProblem } from "@frontier/http";
import { STANDARD_KS } from "../services/metrics.ts";

/** `?k=1,10,100`: distinct integers in 1..100000, at most 32; absent or empty means the standard ks. */
export function parseKs(text: string | undefined): number[] {
  if (text === undefined || text.trim() === "") return [...STANDARD_KS];
  const parts = text.split(",").map((part) => part.trim());
  const ks = parts.map(Number);
  const bad = parts.filter((_, i) => !Number.isInteger(ks[i]) || ks[i] < 1 || ks[i] > 100_000);
  if (bad.length || ks.length > 32) {
    throw new ProblemError(validationProblem([{ path: "k", message: "a comma-separated list of at most 32 integers in 1..100000" }], 400));
  }
  return [...new Set(ks)];
}
