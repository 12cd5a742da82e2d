import type { Frame, Rng } from '@face-liveness/core';
import {
  addGlare,
  addSensorNoise,
  blankLike,
  gaussianBlur,
  type LinearImage,
  linearToSrgb,
  resolutionLoss,
  sample,
  setSaturation,
  srgbToLinear,
  tilt,
  toFrame,
  toLinear,
} from './optics.js';

/** Screen angles of cyan, magenta, yellow and black in offset printing (degrees). */
const SCREEN_ANGLES = [15, 75, 0, 45].map((deg) => (deg * Math.PI) / 180);

/**
 * Amplitude-modulated halftone: each ink prints round dots on its own rotated grid, dot area growing
 * with the ink's coverage; the camera then integrates `supersample`^2 points per pixel. Dots of about a
 * pixel alias against the sensor grid: the rosette/moiré that recaptured prints show.
 */
function halftone(image: LinearImage, cellPx: number, inkDensity: number, supersample: number): LinearImage {
  const out = blankLike(image);
  const { width, height } = image;
  const rgb = [0, 0, 0];
  const cos = SCREEN_ANGLES.map(Math.cos);
  const sin = SCREEN_ANGLES.map(Math.sin);
  const ink = [0, 0, 0, 0];
  const n = supersample * supersample;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let j = 0; j < supersample; j++) {
        for (let i = 0; i < supersample; i++) {
          const px = x + (i + 0.5) / supersample;
          const py = y + (j + 0.5) / supersample;
          sample(image, px, py, rgb);
          // Coverage follows perceived darkness (sRGB code values), as a printer's transfer curve does.
          const c = 1 - linearToSrgb(rgb[0]);
          const m = 1 - linearToSrgb(rgb[1]);
          const ye = 1 - linearToSrgb(rgb[2]);
          const k = Math.min(c, m, ye) * 0.7;
          const coverage = [c - k, m - k, ye - k, k];
          for (let s = 0; s < 4; s++) {
            const u = (px * cos[s] + py * sin[s]) / cellPx;
            const v = (-px * sin[s] + py * cos[s]) / cellPx;
            // Spot function: 0 at the dot centre rising to 1 between dots; ink where it is below the coverage.
            const spot = 0.5 - (Math.cos(2 * Math.PI * u) + Math.cos(2 * Math.PI * v)) / 4;
            ink[s] = spot < coverage[s] ? inkDensity : 0;
          }
          const paper = 1 - ink[3];
          r += (1 - ink[0]) * paper;
          g += (1 - ink[1]) * paper;
          b += (1 - ink[2]) * paper;
        }
      }
      const o = (y * width + x) * 3;
      out.data[o] = srgbToLinear(r / n);
      out.data[o + 1] = srgbToLinear(g / n);
      out.data[o + 2] = srgbToLinear(b / n);
    }
  }
  return out;
}

/** Low-frequency unevenness and fine grain of paper, multiplicative. */
function paperTexture(image: LinearImage, rng: Rng, amount: number): void {
  const { width, height, data } = image;
  const waves = Array.from({ length: 6 }, () => ({
    fx: rng.uniform(-1, 1) * rng.uniform(1, 6) * ((2 * Math.PI) / width),
    fy: rng.uniform(-1, 1) * rng.uniform(1, 6) * ((2 * Math.PI) / height),
    phase: rng.uniform(0, 2 * Math.PI),
  }));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let low = 0;
      for (const w of waves) low += Math.sin(x * w.fx + y * w.fy + w.phase);
      const gain = 1 + amount * (low / waves.length + 0.25 * rng.normal());
      const i = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) data[i + c] *= gain;
    }
  }
}

/**
 * Re-renders a face as a printed photo held in front of a camera and recaptured (before JPEG):
 * printer gamut (less saturation, lifted blacks, paper-white tint), halftone dots, paper texture,
 * uneven light and glare, a tilted sheet, defocus, sensor noise. Returns the frame and the JPEG
 * quality the recapture should be stored at.
 */
export function renderPrint(frame: Frame, rng: Rng): { frame: Frame; jpegQuality: number } {
  const size = Math.max(frame.width, frame.height);
  let image = resolutionLoss(toLinear(frame), rng.uniform(1, 2.5));
  // Photo prints are continuous-tone; office and magazine prints show dots of about 1..2.5 px at 128 px
  // faces, scaled with the image as the print would be captured at that size.
  if (rng.chance(0.5)) {
    const dotted = halftone(
      image,
      rng.uniform(0.9, 2.5) * Math.max(1, size / 160),
      rng.uniform(0.75, 0.95),
      3,
    );
    const mix = rng.uniform(0.2, 0.7);
    for (let i = 0; i < image.data.length; i++) image.data[i] += (dotted.data[i] - image.data[i]) * mix;
  }
  setSaturation(image, rng.uniform(0.65, 1.15));
  // Paper is never white and ink never black: compress the range, with the paper's and printer's cast.
  const black = rng.uniform(0.005, 0.05);
  const white = rng.uniform(0.7, 1);
  const cast = [rng.uniform(0.88, 1.05), rng.uniform(0.88, 1.05), rng.uniform(0.82, 1.05)];
  const gamma = rng.uniform(0.8, 1.3);
  for (let i = 0; i < image.data.length; i++) {
    const v = Math.min(Math.max(image.data[i], 0), 1) ** gamma;
    image.data[i] = (black + (white - black) * v) * cast[i % 3];
  }
  paperTexture(image, rng, rng.uniform(0.01, 0.06));
  image = tilt(image, rng, rng.uniform(0, 0.08));
  addGlare(image, rng, rng.chance(0.6) ? rng.uniform(0.03, 0.2) : 0);
  image = gaussianBlur(image, rng.uniform(0.4, 1.5) * Math.max(1, size / 200));
  addSensorNoise(image, rng, rng.uniform(0.003, 0.015));
  return { frame: toFrame(image), jpegQuality: rng.int(50, 93) };
}
