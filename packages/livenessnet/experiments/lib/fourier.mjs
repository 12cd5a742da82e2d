// Silent-Face-Anti-Spoofing's auxiliary target: the log-magnitude Fourier spectrum of the grayscale crop,
// centred (fftshift) and normalised as its generate_FT does ((v - min + 1) / (max - min + 1)), then reduced
// to the auxiliary head's map size. Prints and screens change this spectrum (lost high frequencies, moiré
// peaks) in ways a classifier given only labels need not learn to see.

const tables = new Map();
function twiddles(n) {
  if (!tables.has(n)) {
    const cos = new Float64Array(n * n);
    const sin = new Float64Array(n * n);
    for (let k = 0; k < n; k++) {
      for (let j = 0; j < n; j++) {
        cos[k * n + j] = Math.cos((2 * Math.PI * k * j) / n);
        sin[k * n + j] = -Math.sin((2 * Math.PI * k * j) / n);
      }
    }
    tables.set(n, { cos, sin });
  }
  return tables.get(n);
}

/** Float32Array of size x size: the spectrum of `frame` (RGB uint8), mean-pooled to size x size. */
export function fourierTarget(frame, size) {
  const { width: w, height: h, data } = frame;
  const re = new Float64Array(w * h);
  const im = new Float64Array(w * h);
  for (let i = 0; i < w * h; i++)
    re[i] = 0.299 * data[i * 3] + 0.587 * data[i * 3 + 1] + 0.114 * data[i * 3 + 2];
  // Separable DFT: rows, then columns.
  const row = twiddles(w);
  const rowRe = new Float64Array(w * h);
  const rowIm = new Float64Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let k = 0; k < w; k++) {
      let sr = 0;
      let si = 0;
      for (let x = 0; x < w; x++) {
        const v = re[y * w + x];
        sr += v * row.cos[k * w + x];
        si += v * row.sin[k * w + x];
      }
      rowRe[y * w + k] = sr;
      rowIm[y * w + k] = si;
    }
  }
  const col = twiddles(h);
  for (let x = 0; x < w; x++) {
    for (let k = 0; k < h; k++) {
      let sr = 0;
      let si = 0;
      for (let y = 0; y < h; y++) {
        const c = col.cos[k * h + y];
        const s = col.sin[k * h + y];
        sr += rowRe[y * w + x] * c - rowIm[y * w + x] * s;
        si += rowRe[y * w + x] * s + rowIm[y * w + x] * c;
      }
      re[k * w + x] = sr;
      im[k * w + x] = si;
    }
  }
  const mag = new Float64Array(w * h);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = Math.log(Math.hypot(re[y * w + x], im[y * w + x]) + 1);
      const sy = (y + Math.floor(h / 2)) % h;
      const sx = (x + Math.floor(w / 2)) % w;
      mag[sy * w + sx] = v;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
  }
  const out = new Float32Array(size * size);
  const counts = new Float32Array(size * size);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const cell = Math.floor((y * size) / h) * size + Math.floor((x * size) / w);
      out[cell] += (mag[y * w + x] - min + 1) / (max - min + 1);
      counts[cell]++;
    }
  }
  for (let i = 0; i < out.length; i++) out[i] /= counts[i];
  return out;
}
