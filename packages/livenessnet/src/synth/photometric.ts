import type { Rng } from '@face-liveness/core';
import { encodeImage, type Frame, readImage } from '@face-liveness/core';
import { addSensorNoise, gaussianBlur, setSaturation, toFrame, toLinear } from './optics.js';

/**
 * Label-preserving photometric augmentation for bona fide and attack crops alike: exposure, gamma,
 * white balance and saturation of another camera, a little defocus and sensor noise, then JPEG at a
 * random quality. It varies what differs between capture sessions (light, camera) so that a model
 * cannot use it as a cue, and leaves recapture cues (moiré, halftone, gamut) to the attack synthesis.
 */
export async function jitterPhotometric(frame: Frame, rng: Rng): Promise<Frame> {
  let image = toLinear(frame);
  const exposure = 2 ** rng.uniform(-0.7, 0.5);
  const gamma = rng.uniform(0.8, 1.25);
  const balance = [rng.uniform(0.9, 1.1), 1, rng.uniform(0.9, 1.1)];
  for (let i = 0; i < image.data.length; i++) {
    image.data[i] = Math.min(Math.max(image.data[i], 0), 1) ** gamma * exposure * balance[i % 3];
  }
  setSaturation(image, rng.uniform(0.7, 1.3));
  if (rng.chance(0.5)) image = gaussianBlur(image, rng.uniform(0.3, 1.2));
  addSensorNoise(image, rng, rng.uniform(0, 0.01));
  return readImage(await encodeImage(toFrame(image), 'jpeg', rng.int(60, 96)));
}
