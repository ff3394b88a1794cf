// Signing secrets at rest. Standard Webhooks verification needs the secret itself, so it cannot be
// hashed like an API key; with SECRETS_KEY set (a Worker secret: 32 random bytes, base64) each new
// secret is stored AES-256-GCM encrypted as `enc:v1:<prefix>:<iv>:<ciphertext>`, and a database
// dump alone no longer signs or verifies anything. `<prefix>` is the first 12 characters listings
// show (`whsec_` and 6 of the secret's). Rows written without a key stay plaintext and keep working.
import { ProblemError } from "@frontier/http";

const SEALED = "enc:v1:";
const PREFIX_CHARS = 12;

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

const keys = new Map<string, Promise<CryptoKey>>();

function importKey(secretsKey: string): Promise<CryptoKey> {
  let key = keys.get(secretsKey);
  if (!key) {
    let raw: Uint8Array<ArrayBuffer> | undefined;
    try {
      raw = fromBase64(secretsKey);
    } catch {
      raw = undefined;
    }
    // A deployment's misconfiguration, not the caller's: a 503 that says what to fix, never a bare 500.
    if (raw?.length !== 32) {
      throw new ProblemError({
        status: 503,
        type: "unavailable",
        title: "Secrets key misconfigured",
        detail: "SECRETS_KEY must be 32 random bytes, base64-encoded (openssl rand -base64 32)",
      });
    }
    key = crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
    keys.set(secretsKey, key);
  }
  return key;
}

/** What to store: the secret sealed under `secretsKey`, or as given when there is no key. */
export async function sealSecret(secret: string, secretsKey: string | undefined): Promise<string> {
  if (!secretsKey) return secret;
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, await importKey(secretsKey), new TextEncoder().encode(secret)));
  return `${SEALED}${secret.slice(0, PREFIX_CHARS)}:${toBase64(iv)}:${toBase64(sealed)}`;
}

/** The stored value opened: the secret; null when it is sealed and the key is missing or wrong. */
export async function openSecret(stored: string, secretsKey: string | undefined): Promise<string | null> {
  if (!stored.startsWith(SEALED)) return stored;
  if (!secretsKey) return null;
  const [, iv, sealed] = stored.slice(SEALED.length).split(":");
  try {
    const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: fromBase64(iv ?? "") }, await importKey(secretsKey), fromBase64(sealed ?? ""));
    return new TextDecoder().decode(plain);
  } catch {
    return null;
  }
}

/** The first characters listings show, sealed or not. */
export function secretPrefix(stored: string): string {
  return stored.startsWith(SEALED) ? stored.slice(SEALED.length).split(":")[0]! : stored.slice(0, PREFIX_CHARS);
}
