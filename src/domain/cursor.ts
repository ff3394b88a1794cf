// Opaque pagination cursors: base64url of a small JSON object. Clients must treat them as opaque;
// a cursor that does not decode to the expected shape is a 400, never a 500.
export type Cursor = { after: string };

export function encodeCursor(cursor: Cursor): string {
  const bytes = new TextEncoder().encode(JSON.stringify({ v: 1, a: cursor.after }));
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function decodeCursor(text: string): Cursor | null {
  if (!/^[A-Za-z0-9_-]{1,512}$/.test(text)) return null;
  try {
    const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
    const value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    if (value && value.v === 1 && typeof value.a === "string" && value.a.length > 0 && value.a.length <= 128) {
      return { after: value.a };
    }
  } catch {
    // fall through: not one of ours
  }
  return null;
}
