import type { Rng } from '@face-liveness/core';
import { type Frame, sampleBilinear } from '@face-liveness/core';

/**
 * An RGB image in linear light, values nominally 0..1, interleaved like {@link Frame}. Recapture
 * physics (ink absorbing light, a screen's sub-pixels adding light, lens blur, glare) is additive or
 * multiplicative in linear light, not in sRGB code values, so the synthesis works here.
 */
export interface LinearImage {
  data: Float32Array;
  width: number;
  height: number;
}

const SRGB_TO_LINEAR = new Float32Array(256);
for (let i = 0; i < 256; i++) {
  const v = i / 255;
  SRGB_TO_LINEAR[i] = v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
}

/** sRGB code value (0..1) of a linear value. */
export function linearToSrgb(v: number): number {
  if (v <= 0) return 0;
  if (v >= 1) return 1;
  return v <= 0.0031308 ? v * 12.92 : 1.055 * v ** (1 / 2.4) - 0.055;
}

export function srgbToLinear(v: number): number {
  return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
}

export function toLinear(frame: Frame): LinearImage {
  const data = new Float32Array(frame.data.length);
  for (let i = 0; i < data.length; i++) data[i] = SRGB_TO_LINEAR[frame.data[i]];
  return { data, width: frame.width, height: frame.height };
}

export function toFrame(image: LinearImage): Frame {
  const data = new Uint8Array(image.data.length);
  for (let i = 0; i < data.length; i++) data[i] = Math.round(linearToSrgb(image.data[i]) * 255);
  return { data, width: image.width, height: image.height };
}

export function blankLike(image: LinearImage): LinearImage {
  return { data: new Float32Array(image.data.length), width: image.width, height: image.height };
}

/** Bilinear sample of channel-interleaved `image` at continuous pixel coordinates (pixel centres at +0.5), edges clamped. */
export function sample(image: LinearImage, x: number, y: number, out: Float32Array | number[]): void {
  sampleBilinear(image.data, image.width, image.height, x - 0.5, y - 0.5, out);
}

/** Separable Gaussian blur (edges clamped); `sigma` in pixels, no-op below 0.2. */
export function gaussianBlur(image: LinearImage, sigma: number): LinearImage {
  if (sigma < 0.2) return image;
  const radius = Math.ceil(sigma * 3);
  const kernel = new Float32Array(2 * radius + 1);
  let sum = 0;
  for (let k = -radius; k <= radius; k++) {
    kernel[k + radius] = Math.exp((-k * k) / (2 * sigma * sigma));
    sum += kernel[k + radius];
  }
  for (let k = 0; k < kernel.length; k++) kernel[k] /= sum;
  const { width, height } = image;
  const pass = (src: Float32Array, horizontal: boolean): Float32Array => {
    const dst = new Float32Array(src.length);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let r = 0;
        let g = 0;
        let b = 0;
        for (let k = -radius; k <= radius; k++) {
          const sx = horizontal ? Math.min(Math.max(x + k, 0), width - 1) : x;
          const sy = horizontal ? y : Math.min(Math.max(y + k, 0), height - 1);
          const i = (sy * width + sx) * 3;
          const w = kernel[k + radius];
          r += src[i] * w;
          g += src[i + 1] * w;
          b += src[i + 2] * w;
        }
        const o = (y * width + x) * 3;
        dst[o] = r;
        dst[o + 1] = g;
        dst[o + 2] = b;
      }
    }
    return dst;
  };
  return { data: pass(pass(image.data, true), false), width, height };
}

/** Solves the homography mapping the four `from` points onto the four `to` points (row-major 3x3, h33 = 1). */
export function homography(from: number[][], to: number[][]): number[] {
  const a: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i];
    const [u, v] = to[i];
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    a.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  for (let col = 0; col < 8; col++) {
    let pivot = col;
    for (let row = col + 1; row < 8; row++) if (Math.abs(a[row][col]) > Math.abs(a[pivot][col])) pivot = row;
    [a[col], a[pivot]] = [a[pivot], a[col]];
    for (let row = 0; row < 8; row++) {
      if (row === col) continue;
      const f = a[row][col] / a[col][col];
      for (let k = col; k < 9; k++) a[row][k] -= f * a[col][k];
    }
  }
  return [...a.map((row, i) => row[8] / row[i]), 1];
}

/**
 * A hand-held print or phone is never quite parallel to the camera: re-projects the image through a
 * random homography whose source quadrilateral lies inside the image (corners pulled in by up to
 * `maxInset` of the size), so no border appears, only keystone, a little zoom and rotation.
 */
export function tilt(image: LinearImage, rng: Rng, maxInset: number): LinearImage {
  const { width: w, height: h } = image;
  const corners = [
    [0, 0],
    [w, 0],
    [w, h],
    [0, h],
  ];
  const inside = corners.map(([x, y]) => [
    x + (x === 0 ? 1 : -1) * rng.uniform(0, maxInset) * w,
    y + (y === 0 ? 1 : -1) * rng.uniform(0, maxInset) * h,
  ]);
  const m = homography(corners, inside);
  const out = blankLike(image);
  const px = [0, 0, 0];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const cx = x + 0.5;
      const cy = y + 0.5;
      const d = m[6] * cx + m[7] * cy + m[8];
      sample(image, (m[0] * cx + m[1] * cy + m[2]) / d, (m[3] * cx + m[4] * cy + m[5]) / d, px);
      out.data.set(px, (y * w + x) * 3);
    }
  }
  return out;
}

/**
 * Light reflected off a glossy print or a screen's glass: a broad additive ramp from a random side,
 * sometimes with a soft specular spot. `strength` is the peak added linear intensity.
 */
export function addGlare(image: LinearImage, rng: Rng, strength: number): void {
  const { width: w, height: h, data } = image;
  const angle = rng.uniform(0, 2 * Math.PI);
  const dx = Math.cos(angle);
  const dy = Math.sin(angle);
  const sharpness = rng.uniform(1.5, 4);
  const spot = rng.chance(0.4)
    ? {
        x: rng.uniform(0.1, 0.9) * w,
        y: rng.uniform(0.1, 0.9) * h,
        r: rng.uniform(0.12, 0.35) * Math.max(w, h),
      }
    : undefined;
  const tint = [rng.uniform(0.9, 1), rng.uniform(0.95, 1), 1];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      // Position along the light direction, 0..1 across the image.
      const t = 0.5 + ((x / w - 0.5) * dx + (y / h - 0.5) * dy) / Math.SQRT2;
      let g = strength * Math.max(0, t) ** sharpness;
      if (spot) {
        const d2 = ((x - spot.x) ** 2 + (y - spot.y) ** 2) / (spot.r * spot.r);
        g += strength * 0.8 * Math.exp(-d2);
      }
      const i = (y * w + x) * 3;
      for (let c = 0; c < 3; c++) data[i + c] += g * tint[c];
    }
  }
}

/** Sensor noise: Gaussian, stronger in dark areas as in a small webcam sensor after gain. */
export function addSensorNoise(image: LinearImage, rng: Rng, sigma: number): void {
  const { data } = image;
  for (let i = 0; i < data.length; i++) {
    data[i] = Math.max(0, data[i] + sigma * (0.5 + Math.sqrt(Math.max(data[i], 0))) * rng.normal());
  }
}

/** Mixes each pixel with its luminance: `saturation` 1 keeps colours, 0 gives grey, > 1 boosts them. */
export function setSaturation(image: LinearImage, saturation: number): void {
  const { data } = image;
  for (let i = 0; i < data.length; i += 3) {
    const luma = 0.2126 * data[i] + 0.7152 * data[i + 1] + 0.0722 * data[i + 2];
    for (let c = 0; c < 3; c++) data[i + c] = Math.max(0, luma + (data[i + c] - luma) * saturation);
  }
}

/**
 * Loses resolution like a print or a video shown smaller than the camera sees it: low-pass, sample
 * on a grid `factor` times coarser, interpolate back up to the original size.
 */
export function resolutionLoss(image: LinearImage, factor: number): LinearImage {
  if (factor <= 1.05) return image;
  const smooth = gaussianBlur(image, factor / 2);
  const small: LinearImage = {
    data: new Float32Array(
      Math.max(1, Math.round(image.width / factor)) * Math.max(1, Math.round(image.height / factor)) * 3,
    ),
    width: Math.max(1, Math.round(image.width / factor)),
    height: Math.max(1, Math.round(image.height / factor)),
  };
  const px = [0, 0, 0];
  const sx = image.width / small.width;
  const sy = image.height / small.height;
  for (let y = 0; y < small.height; y++) {
    for (let x = 0; x < small.width; x++) {
      sample(smooth, (x + 0.5) * sx, (y + 0.5) * sy, px);
      small.data.set(px, (y * small.width + x) * 3);
    }
  }
  const out = blankLike(image);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      sample(small, (x + 0.5) / sx, (y + 0.5) / sy, px);
      out.data.set(px, (y * image.width + x) * 3);
    }
  }
  return out;
}
