// The shortest liveness check: one image and one video, with the default models of the store.
// Usage: node dist/check.js photo.jpg clip.mp4
import { createLivenessPipeline } from '@face-liveness/pipeline';

const [image, video] = process.argv.slice(2);
if (!image || !video) {
  console.error('usage: node dist/check.js IMAGE VIDEO');
  process.exit(2);
}

const pipeline = await createLivenessPipeline();
try {
  // A still image: each face is classified once (no blinks in a single frame).
  for await (const result of pipeline.analyzeVideo(image)) {
    for (const face of result.faces) {
      console.log(`${image}: face ${face.trackId} ${face.verdict} (P(live) ${face.score?.toFixed(3)})`);
    }
  }
  // A video: faces are tracked, and each track's scores and blinks add up to its verdict.
  for await (const _ of pipeline.analyzeVideo(video)) {
    // Each frame's result is here too (boxes, landmarks, running verdicts); we only need the end.
  }
  for (const track of pipeline.tracks()) {
    console.log(`${video}: face ${track.id} ${track.verdict} (${track.reason}; ${track.blinks} blinks)`);
  }
} finally {
  await pipeline.close();
}
