// Rendezvous (highest random weight) hashing: which executor instance judges a key (a pack), so a
// pack's problems stay on the few instances that already hold it, and adding an instance moves
// only the keys it wins. Pure and synchronous (no Web Crypto): a 32-bit FNV-1a with a final mix.

function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // murmur3's finaliser: FNV alone spreads short, similar keys poorly in the high bits.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The instance's weight for a key. */
export function rendezvousScore(key: string, instance: number): number {
  return hash32(`${key}\u0000${instance}`);
}

/**
 * Instances 0..instances-1 ordered by preference for `key` (highest weight first; ties by index).
 * The first is the key's home; the next ones are where it goes when the home is busy.
 */
export function rendezvousOrder(key: string, instances: number): number[] {
  if (!Number.isInteger(instances) || instances < 1) throw new RangeError("instances must be a positive integer");
  return Array.from({ length: instances }, (_, i) => ({ i, score: rendezvousScore(key, i) }))
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .map((entry) => entry.i);
}
