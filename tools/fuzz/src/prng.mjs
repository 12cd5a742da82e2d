// A small seeded PRNG (sfc32 seeded through splitmix32): the same seed gives the same cases on
// every machine and Node version, so a case is reproduced from (seed, index) alone.

function splitmix32(state) {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** The seed of case `index` of a run seeded with `seed`: each case is independent of the others. */
export function caseSeed(seed, index) {
  const next = splitmix32((seed >>> 0) ^ Math.imul(index + 1, 0x27d4eb2f));
  next();
  return next();
}

export function createRng(seed) {
  const init = splitmix32(seed);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  const u32 = () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  const rng = {
    u32,
    /** [0, 1) */
    float: () => u32() / 4294967296,
    /** integer in [lo, hi] */
    int: (lo, hi) => lo + Math.floor((u32() / 4294967296) * (hi - lo + 1)),
    pick: (items) => items[Math.floor((u32() / 4294967296) * items.length)],
    chance: (p) => u32() / 4294967296 < p,
    bytes: (n) => {
      const out = Buffer.alloc(n);
      for (let i = 0; i < n; i++) out[i] = u32() & 0xff;
      return out;
    },
    /** one of `weights`' keys, with probability proportional to its value */
    weighted: (weights) => {
      const entries = Object.entries(weights);
      const total = entries.reduce((s, [, w]) => s + w, 0);
      let x = (u32() / 4294967296) * total;
      for (const [key, w] of entries) {
        x -= w;
        if (x < 0) return key;
      }
      return entries[entries.length - 1][0];
    },
  };
  return rng;
}
