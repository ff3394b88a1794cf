// Shared pieces of the importers: decompression (web streams, so the importers run on any runtime),
// JSONL parsing with line numbers in errors, and the error type the CLI prints.
import type { Problem } from "@frontier/contracts";

export class ImportError extends Error {}

export interface ImportedPack {
  name: string;
  description: string;
  source: Record<string, unknown>;
  problems: Problem[];
}

async function inflate(bytes: Uint8Array, format: "gzip" | "deflate"): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream(format));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Text of a file that may be gzip-compressed (detected by its magic bytes, not its name). */
export async function readMaybeGzip(bytes: Uint8Array): Promise<string> {
  return new TextDecoder().decode(isGzip(bytes) ? await inflate(bytes, "gzip") : bytes);
}

/** zlib (RFC 1950) decompression, as Python's zlib.compress writes it. */
export function zlibInflate(bytes: Uint8Array): Promise<Uint8Array> {
  return inflate(bytes, "deflate");
}

export function base64Bytes(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) throw new ImportError("not base64");
  const binary = atob(clean);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** Parses JSON Lines; blank lines are skipped; errors name the line. */
export function parseJsonl(text: string, what: string): { line: number; row: Record<string, unknown> }[] {
  const rows: { line: number; row: Record<string, unknown> }[] = [];
  text.split("\n").forEach((raw, index) => {
    const line = raw.trim();
    if (!line) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new ImportError(`${what}: line ${index + 1} is not JSON (${(error as Error).message})`);
    }
    if (!value || typeof value !== "object" || Array.isArray(value)) throw new ImportError(`${what}: line ${index + 1} is not a JSON object`);
    rows.push({ line: index + 1, row: value as Record<string, unknown> });
  });
  if (rows.length === 0) throw new ImportError(`${what}: no rows`);
  return rows;
}

/** A field that may hold JSON either as a string or already parsed. */
export function jsonField(value: unknown, what: string): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    throw new ImportError(`${what} is not valid JSON`);
  }
}

export function requireString(row: Record<string, unknown>, key: string, where: string): string {
  const value = row[key];
  if (typeof value !== "string") throw new ImportError(`${where}: field '${key}' missing or not a string`);
  return value;
}
