// A seeded PRNG so bootstraps and held-out splits repeat exactly for the same seed on every runtime.
// sfc32 (Chris Doty-Humphrey's small fast counting generator), seeded through splitmix32: a few
// lines of integer arithmetic, which keeps src/domain free of dependencies.

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Uniform floats in [0, 1) from an integer seed. */
export function seededRandom(seed: number): () => number {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer (got ${seed})`);
  const init = splitmix32(seed ^ Math.floor(seed / 2 ** 32));
  let a = init(),
    b = init(),
    c = init(),
    d = init();
  const next = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  for (let i = 0; i < 12; i++) next(); // discard the first outputs, as sfc32's author advises
  return next;
}

/** An integer in [0, bound). */
export function randomIndex(random: () => number, bound: number): number {
  return Math.floor(random() * bound);
}
