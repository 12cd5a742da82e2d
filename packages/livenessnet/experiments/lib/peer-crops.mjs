// The CelebA-Spoof peer's own crop recipe and input tensor, as its repository does it (see NOTES.txt
// beside it in ../shared/models/peers), on res10 boxes [x1, y1, x2, y2] in pixels. Silent-Face's is
// @face-liveness/minifasnet's silentFaceInput.
import { cropFrame, resizeBilinear } from '@face-liveness/core';

/**
 * hairymax/Face-AntiSpoofing's increased_crop: a square of side max(w, h) * inc around the box centre,
 * out-of-image parts padded black (with that code's integer rounding), then letterboxed to size x size.
 */
export function celebaCrop(frame, box, inc, size) {
  const bx = Math.trunc(box[0]);
  const by = Math.trunc(box[1]);
  const w = Math.trunc(box[2]) - bx;
  const h = Math.trunc(box[3]) - by;
  const l = Math.max(w, h);
  const x = Math.trunc(bx + w / 2 - (l * inc) / 2);
  const y = Math.trunc(by + h / 2 - (l * inc) / 2);
  const x1 = Math.max(x, 0);
  const y1 = Math.max(y, 0);
  const x2 = x + l * inc > frame.width ? frame.width : x + Math.trunc(l * inc);
  const y2 = y + l * inc > frame.height ? frame.height : y + Math.trunc(l * inc);
  const top = y1 - y;
  const left = x1 - x;
  const outH = top + (y2 - y1) + Math.trunc(l * inc - y2 + y);
  const outW = left + (x2 - x1) + (Math.trunc(l * inc) - x2 + x);
  const inner = cropFrame(frame, [x1, y1, x2, y2]);
  const padded = new Uint8Array(outW * outH * 3);
  for (let r = 0; r < inner.height; r++) {
    padded.set(
      inner.data.subarray(r * inner.width * 3, (r + 1) * inner.width * 3),
      ((top + r) * outW + left) * 3,
    );
  }
  // Letterbox: scale the longer side to `size`, pad the rest black, centred.
  const ratio = size / Math.max(outH, outW);
  const sh = Math.trunc(outH * ratio);
  const sw = Math.trunc(outW * ratio);
  const scaled = resizeBilinear({ data: padded, width: outW, height: outH }, sw, sh);
  const result = new Uint8Array(size * size * 3);
  const t = Math.trunc((size - sh) / 2);
  const lft = Math.trunc((size - sw) / 2);
  for (let r = 0; r < sh; r++) {
    result.set(scaled.data.subarray(r * sw * 3, (r + 1) * sw * 3), ((t + r) * size + lft) * 3);
  }
  return { data: result, width: size, height: size };
}

/** NCHW float32 /255, in RGB (the training loader's order) or BGR (what one inference helper feeds). */
export function celebaTensor(frame, order = 'rgb') {
  const { width, height, data } = frame;
  const plane = width * height;
  const out = new Float32Array(3 * plane);
  const map = order === 'rgb' ? [0, 1, 2] : [2, 1, 0];
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) out[c * plane + i] = data[i * 3 + map[c]] / 255;
  }
  return out;
}

export function softmax(logits) {
  const max = Math.max(...logits);
  const e = Array.from(logits, (v) => Math.exp(v - max));
  const sum = e.reduce((a, b) => a + b);
  return e.map((v) => v / sum);
}
