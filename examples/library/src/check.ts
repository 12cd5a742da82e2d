// The shortest liveness check: one image and one video, with the default models.
// Usage: node dist/check.js photo.jpg clip.mp4
import { readImage } from '@face-liveness/core';
import { createLivenessEngine } from '@face-liveness/pipeline';

const [image, video] = process.argv.slice(2);
if (!image || !video) {
  console.error('usage: node dist/check.js IMAGE VIDEO');
  process.exit(2);
}

const engine = await createLivenessEngine();
try {
  // A still image: each face is classified once (no blinks in a single frame).
  const still = await engine.analyzeImage(await readImage(image));
  for (const face of still.faces) {
    console.log(`${image}: face ${face.trackId} ${face.verdict} (P(live) ${face.score?.toFixed(3)})`);
  }
  // A video: one session follows its faces; each track's scores and blinks add up to its verdict.
  const session = engine.createSession();
  for await (const _ of session.stream(video)) {
    // Each frame's result is here too (boxes, landmarks, running verdicts); we only need the end.
  }
  for (const track of session.tracks()) {
    console.log(`${video}: face ${track.id} ${track.verdict} (${track.reason}; ${track.blinks} blinks)`);
  }
  await session.close();
} finally {
  await engine.close();
}
