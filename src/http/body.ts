// Request-body guards for the JSON API: a size limit (413) and a JSON content type (415).
// Malformed JSON becomes a 400 in the error handler (the validators raise it).
import type { MiddlewareHandler } from "hono";
import { problemResponse } from "@frontier/http";

const METHODS_WITH_BODY = new Set(["POST", "PUT", "PATCH"]);
const JSON_TYPE = /^application\/([a-z0-9.+-]+\+)?json\s*(;.*)?$/i;

/**
 * 413 above `maxBytes`. A declared Content-Length is checked up front; a streamed body is read
 * up to the limit and buffered (bodies here are small JSON documents), so the limit holds even
 * when the sender declares no length.
 */
export function limitBody(maxBytes: number): MiddlewareHandler {
  return async (c, next) => {
    const tooLarge = () =>
      problemResponse(c, {
        status: 413,
        type: "payload-too-large",
        title: "Payload too large",
        detail: `request bodies are limited to ${maxBytes} bytes`,
      });
    const declared = c.req.header("content-length");
    if (declared !== undefined) {
      if (Number(declared) > maxBytes) return tooLarge();
      return next();
    }
    const body = c.req.raw.body;
    if (body === null) return next();
    const reader = body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        return tooLarge();
      }
      chunks.push(value);
    }
    const bytes = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
    }
    c.req.raw = new Request(c.req.raw, { body: bytes });
    return next();
  };
}

/** A request that carries a body must say it is JSON; a body-less POST passes (its schema decides). */
export function requireJsonBody(): MiddlewareHandler {
  return async (c, next) => {
    if (METHODS_WITH_BODY.has(c.req.method) && hasBody(c.req.raw)) {
      const type = c.req.header("content-type") ?? "";
      if (!JSON_TYPE.test(type)) {
        return problemResponse(c, {
          status: 415,
          type: "unsupported-media-type",
          title: "Unsupported media type",
          detail: `expected application/json, got ${type === "" ? "no content type" : type}`,
          headers: { "accept-post": "application/json" },
        });
      }
    }
    await next();
  };
}

function hasBody(request: Request): boolean {
  const length = request.headers.get("content-length");
  if (length !== null) return length !== "0";
  return request.body !== null;
}
