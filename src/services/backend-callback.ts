// Where the GPU backend can call this API back (merges and sampling jobs both use it).
import type { Ports } from "../ports.ts";

/** POST /v1/backend/events under PUBLIC_URL, when callbacks are configured; else undefined (poll). */
export function callbackUrl(ports: Ports): string | undefined {
  const base = ports.config.PUBLIC_URL;
  if (!base || !ports.config.BACKEND_WEBHOOK_SECRET) return undefined;
  return new URL("/v1/backend/events", base).toString();
}
