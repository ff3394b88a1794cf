// Pinned revisions (issue 15). At registration the edge asks the backend to pin a checkpoint URL to
// an immutable revision (POST /v1/checkpoints/resolve) and records it; when the backend cannot be
// reached, registration still succeeds and the pin is deferred to the first evaluation or merge that
// uses the checkpoint (ensurePinned), which waits for the backend rather than run unpinned.
import { ProblemError, validationProblem } from "@frontier/http";
import { and, eq, isNull } from "drizzle-orm";
import { type CheckpointRow, getCheckpoint } from "../db/checkpoints.ts";
import { checkpoints } from "../db/schema/index.ts";
import { needsPin, pinnedUrl } from "../domain/revisions.ts";
import type { Ports } from "../ports.ts";
import { backendClient, RejectedByServiceError, TransientServiceError } from "./clients.ts";

export type Pin = { revision: string | null; at: string };

/**
 * The pin for a URL being registered, or null when it is deferred (backend unreachable, or it does not
 * know the checkpoint yet). A URL the backend refuses (422: a scheme or an address its URL policy
 * refuses) is refused here too, at `path`.
 */
export async function pinForRegistration(ports: Ports, url: string, path: string): Promise<Pin | null> {
  if (!needsPin(url)) return null;
  try {
    const resolved = await backendClient(ports.backend).resolveCheckpoint(url);
    return { revision: resolved.revision, at: ports.clock.now().toISOString() };
  } catch (error) {
    if (error instanceof RejectedByServiceError && error.status === 422) {
      throw new ProblemError(validationProblem([{ path, message: `the backend refuses this checkpoint URL: ${error.detail}` }]));
    }
    if (error instanceof RejectedByServiceError || error instanceof TransientServiceError) {
      console.warn(`checkpoint pin deferred for ${url}: ${error.message}`);
      return null;
    }
    throw error;
  }
}

/**
 * The checkpoint with its pin, pinning it now when registration deferred it. A backend that is still
 * unreachable throws TransientServiceError (the queue message is re-sent later); one that refuses
 * (404, 422) leaves it unpinned and the caller goes on with the URL, where the backend's own answer
 * will say what is wrong.
 */
export async function ensurePinned(ports: Ports, row: CheckpointRow): Promise<CheckpointRow> {
  if (row.pinnedAt !== null || !needsPin(row.url)) return row;
  let resolved: { revision: string | null };
  try {
    resolved = await backendClient(ports.backend).resolveCheckpoint(row.url);
  } catch (error) {
    if (error instanceof RejectedByServiceError) return row;
    throw error;
  }
  const at = ports.clock.now().toISOString();
  // The first pin wins (two deliveries racing both read the same row again).
  await ports.db
    .update(checkpoints)
    .set({ revision: resolved.revision, pinnedAt: at, updatedAt: at })
    .where(and(eq(checkpoints.id, row.id), isNull(checkpoints.pinnedAt)));
  return (await getCheckpoint(ports.db, row.id)) ?? row;
}

/** The URL the backend is asked to sample or merge: pinned to the recorded revision. */
export function urlForBackend(row: CheckpointRow): string {
  return pinnedUrl(row.url, row.revision);
}

/**
 * The checkpoint as a sample or merge request names it: the pinned URL and, when one was recorded,
 * the revision, which the backend enforces (https:// and s3:// URLs carry none of their own: the
 * backend refuses a source whose ETag or version id moved since registration).
 */
export function checkpointForBackend(row: CheckpointRow): { url: string; revision?: string } {
  return row.revision ? { url: urlForBackend(row), revision: row.revision } : { url: urlForBackend(row) };
}
