// Problems more than one route throws (every error is a ProblemError; @frontier/http renders it).
import { ProblemError } from "@frontier/http";

/** A request names a callback, but there is no secret to sign callbacks with. */
export function callbacksNotConfigured(): ProblemError {
  return new ProblemError({
    status: 422,
    type: "unavailable",
    title: "Callbacks are not configured",
    detail: "this backend has no BACKEND_WEBHOOK_SECRET to sign callbacks with",
  });
}

export function noSuchJob(kind: "merge" | "sampling", id: string): ProblemError {
  return new ProblemError({
    status: 404,
    type: "not-found",
    title: kind === "merge" ? "No such merge job" : "No such sampling job",
    detail: `no ${kind} job ${id}`,
  });
}
