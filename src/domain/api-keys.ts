// API keys: `frk_` + 32 random base32 characters (160 bits). Only the SHA-256 of a key is stored;
// the key is shown once at creation.
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
export const API_KEY_PATTERN = /^frk_[0-9a-hjkmnp-tv-z]{32}$/;

export function generateApiKey(random: (bytes: Uint8Array) => Uint8Array = (b) => globalThis.crypto.getRandomValues(b)): {
  key: string;
  prefix: string;
} {
  const bytes = random(new Uint8Array(32));
  let body = "";
  for (const byte of bytes) body += ALPHABET[byte % 32];
  const key = `frk_${body}`;
  return { key, prefix: key.slice(0, 12) };
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

export const hashApiKey = sha256Hex;
