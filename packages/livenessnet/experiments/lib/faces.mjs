// res10 faces of the split's images, detected once and cached as JSON lines (image -> faces), so that
// every experiment crops the same boxes.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { readImage } from '@face-liveness/core';
import { createRes10 } from './detect.mjs';

/** Map image -> [{ box, score }] (highest score first) for `items`, detecting those not yet in `cachePath`. */
export async function facesOf(items, cachePath) {
  const cache = new Map();
  if (existsSync(cachePath)) {
    for (const line of readFileSync(cachePath, 'utf8').split('\n')) {
      if (line) {
        const row = JSON.parse(line);
        cache.set(row.image, row.faces);
      }
    }
  }
  const todo = items.filter((i) => !cache.has(i.image));
  if (todo.length) {
    mkdirSync(dirname(cachePath), { recursive: true });
    const detector = await createRes10();
    for (const [n, item] of todo.entries()) {
      const faces = (await detector.detect(await readImage(item.path)))
        .sort((a, b) => b.score - a.score)
        .map((f) => ({
          box: f.box.map((v) => Math.round(v * 100) / 100),
          score: Math.round(f.score * 1e4) / 1e4,
        }));
      cache.set(item.image, faces);
      appendFileSync(cachePath, `${JSON.stringify({ image: item.image, faces })}\n`);
      if ((n + 1) % 200 === 0) process.stderr.write(`detect ${n + 1}/${todo.length}\n`);
    }
    await detector.close();
  }
  return cache;
}

/**
 * The box an item is scored on: res10's best face at confidence >= 0.5; else the whole image when it is
 * already a detector crop (livenessnet-community); a full frame without a face has none (it scores 0).
 */
export function scoringBox(item, faces, frame) {
  const face = faces.get(item.image)?.[0];
  if (face && face.score >= 0.5) return face.box;
  return item.fullFrame ? undefined : [0, 0, frame.width, frame.height];
}
