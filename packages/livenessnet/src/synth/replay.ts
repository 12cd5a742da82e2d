import type { Frame, Rng } from '@face-liveness/core';
import {
  addGlare,
  addSensorNoise,
  blankLike,
  gaussianBlur,
  type LinearImage,
  resolutionLoss,
  sample,
  setSaturation,
  tilt,
  toFrame,
  toLinear,
} from './optics.js';

interface PixelGrid {
  /** Screen pixel pitch in camera pixels. */
  pitch: number;
  /** Rotation of the screen against the sensor, radians. */
  angle: number;
  /** Lit fraction of each sub-pixel stripe horizontally and of the pixel row vertically. */
  fillX: number;
  fillY: number;
  offsetX: number;
  offsetY: number;
}

/**
 * Shows `image` on a screen with RGB stripe sub-pixels and samples it with the camera's pixel grid:
 * each screen pixel lights its three stripes with the image colour at its centre, the camera averages
 * `supersample`^2 points per pixel. A pitch near the camera's pixel size aliases into moiré.
 */
function screenGrid(image: LinearImage, grid: PixelGrid, supersample: number): LinearImage {
  const out = blankLike(image);
  const { width, height } = image;
  const cos = Math.cos(grid.angle);
  const sin = Math.sin(grid.angle);
  const rgb = [0, 0, 0];
  // Stripes cover fillX * fillY of the pixel area; scale so that a uniform image keeps its brightness.
  const gain = 1 / (grid.fillX * grid.fillY);
  const n = supersample * supersample;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const acc = [0, 0, 0];
      for (let j = 0; j < supersample; j++) {
        for (let i = 0; i < supersample; i++) {
          const px = x + (i + 0.5) / supersample;
          const py = y + (j + 0.5) / supersample;
          const u = (px * cos + py * sin) / grid.pitch + grid.offsetX;
          const v = (-px * sin + py * cos) / grid.pitch + grid.offsetY;
          const cellU = Math.floor(u);
          const cellV = Math.floor(v);
          const fracV = v - cellV;
          if (fracV >= grid.fillY) continue;
          const stripe = (u - cellU) * 3;
          const channel = Math.floor(stripe);
          if (stripe - channel >= grid.fillX) continue;
          // Back to image coordinates of the screen pixel's centre: the colour the screen shows there.
          const cu = (cellU + 0.5 - grid.offsetX) * grid.pitch;
          const cv = (cellV + 0.5 - grid.offsetY) * grid.pitch;
          sample(image, cu * cos - cv * sin, cu * sin + cv * cos, rgb);
          acc[channel] += rgb[channel] * 3;
        }
      }
      const o = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) out.data[o + c] = (acc[c] / n) * gain;
    }
  }
  return out;
}

/** Horizontal brightness bands: a screen's refresh beating against the camera's rolling shutter. */
function refreshBands(image: LinearImage, rng: Rng, depth: number): void {
  const { width, height, data } = image;
  const period = rng.uniform(0.15, 0.6) * height;
  const phase = rng.uniform(0, 2 * Math.PI);
  for (let y = 0; y < height; y++) {
    const gain = 1 - depth * (0.5 + 0.5 * Math.sin((2 * Math.PI * y) / period + phase));
    for (let i = y * width * 3; i < (y + 1) * width * 3; i++) data[i] *= gain;
  }
}

/**
 * Re-renders a face as shown on a phone or tablet screen and recaptured by a camera (before JPEG):
 * the screen's tone curve, white point, black glow and gamut; its sub-pixel grid sampled by the
 * sensor (moiré); refresh banding; reflections on the glass; tilt; defocus; sensor noise.
 */
export function renderReplay(frame: Frame, rng: Rng): { frame: Frame; jpegQuality: number } {
  const size = Math.max(frame.width, frame.height);
  let image = resolutionLoss(toLinear(frame), rng.uniform(1, 2));
  const gamma = rng.uniform(0.75, 1.35);
  const whitePoint = [rng.uniform(0.85, 1), rng.uniform(0.93, 1.02), rng.uniform(1, 1.15)];
  const glow = rng.uniform(0.005, 0.05);
  const brightness = rng.uniform(0.85, 1.25);
  for (let i = 0; i < image.data.length; i++) {
    const v = Math.min(Math.max(image.data[i], 0), 1) ** gamma;
    image.data[i] = glow + brightness * whitePoint[i % 3] * v;
  }
  setSaturation(image, rng.uniform(0.8, 1.35));
  const grid: PixelGrid = {
    pitch: rng.uniform(0.9, 3) * Math.max(1, size / 200),
    angle: rng.chance(0.3) ? rng.uniform(-0.01, 0.01) : rng.uniform(-0.17, 0.17),
    fillX: rng.uniform(0.6, 0.95),
    fillY: rng.uniform(0.75, 0.97),
    offsetX: rng.next(),
    offsetY: rng.next(),
  };
  const gridMix = rng.uniform(0.15, 0.8);
  const shown = screenGrid(image, grid, 3);
  for (let i = 0; i < image.data.length; i++) image.data[i] += (shown.data[i] - image.data[i]) * gridMix;
  if (rng.chance(0.35)) refreshBands(image, rng, rng.uniform(0.02, 0.08));
  image = tilt(image, rng, rng.uniform(0, 0.06));
  addGlare(image, rng, rng.chance(0.75) ? rng.uniform(0.03, 0.3) : 0);
  image = gaussianBlur(image, rng.uniform(0.3, 1.2) * Math.max(1, size / 200));
  addSensorNoise(image, rng, rng.uniform(0.003, 0.015));
  return { frame: toFrame(image), jpegQuality: rng.int(50, 93) };
}
