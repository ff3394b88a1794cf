// Sortable ids: `<prefix>_` + 10 characters of millisecond time + 16 random characters, both in
// Crockford base32 (lower case), so ids sort by creation time and pagination can key on them.
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

export type IdPrefix = "ckpt" | "key" | (string & {});

export function newId(prefix: IdPrefix, now: Date = new Date(), random: (bytes: Uint8Array) => Uint8Array = fillRandom): string {
  let time = now.getTime();
  if (!Number.isSafeInteger(time) || time < 0) throw new RangeError("id time must be a non-negative epoch millisecond");
  let timePart = "";
  for (let i = 0; i < 10; i++) {
    timePart = ALPHABET[time % 32] + timePart;
    time = Math.floor(time / 32);
  }
  const bytes = random(new Uint8Array(16));
  let randomPart = "";
  for (const byte of bytes) randomPart += ALPHABET[byte % 32];
  return `${prefix}_${timePart}${randomPart}`;
}

/** The creation time encoded in an id made by newId, or null if it is not one. */
export function idTime(id: string): Date | null {
  const match = /^[a-z]+_([0-9a-hjkmnp-tv-z]{10})[0-9a-hjkmnp-tv-z]{16}$/.exec(id);
  if (!match) return null;
  let time = 0;
  for (const char of match[1]) time = time * 32 + ALPHABET.indexOf(char);
  return new Date(time);
}

function fillRandom(bytes: Uint8Array): Uint8Array {
  return globalThis.crypto.getRandomValues(bytes);
}
