// res10 on the portrait clips of shared/data/replay-one-subject (368x656), stretched to 300x300
// as OpenCV does and letterboxed to 4:3 first (the default): faces per frame (the second box of the
// stretched input lies on the neck/chest), then the tracks a pipeline session makes of each clip. res10 is converted in memory from shared/models/res10-tensorflow.
// Run after building face-detector and pipeline: node bench/portrait-clip.mjs [STEP (default 2)]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readVideo } from '@face-liveness/core';
import { sharedDir } from '@face-liveness/core/testing';
import { convertTensorflow } from '../dist/convert/index.js';
import { createFaceDetector } from '../dist/index.js';

const step = Number(process.argv[2] ?? 2);
const tf = join(sharedDir(), 'models/res10-tensorflow');
const model = convertTensorflow({
  pb: readFileSync(join(tf, 'opencv_face_detector_uint8.pb')),
  pbtxt: readFileSync(join(tf, 'opencv_face_detector.pbtxt'), 'utf8'),
});
const clips = ['real', 'fake'].map((name) => [
  name,
  join(sharedDir(), `data/replay-one-subject/videos/${name}.mp4`),
]);
const RESIZES = ['stretch', 'letterbox'];
// 'stretch' as before #17 (OpenCV's input, every box kept); 'letterbox' with the defaults.
const settings = (resize) => (resize === 'stretch' ? { resize, minVisible: 0 } : { resize });

console.log(`res10 (confidence 0.5) on every ${step === 1 ? '' : `${step}nd `}frame`);
console.log('| clip | resize | frames | frames with 0 / 1 / 2+ faces |');
console.log('|---|---|---|---|');
for (const [name, path] of clips) {
  const detectors = await Promise.all(
    RESIZES.map((resize) => createFaceDetector({ detector: 'res10', model, ...settings(resize) })),
  );
  const stats = RESIZES.map(() => ({ frames: 0, counts: [0, 0, 0] }));
  for await (const { frame, index } of await readVideo(path)) {
    if (index % step) continue;
    for (const [i, detector] of detectors.entries()) {
      const faces = await detector.detect(frame);
      const s = stats[i];
      s.frames++;
      s.counts[Math.min(2, faces.length)]++;
    }
  }
  for (const d of detectors) await d.close();
  for (const [i, s] of stats.entries()) {
    console.log(`| ${name} | ${RESIZES[i]} | ${s.frames} | ${s.counts.join(' / ')} |`);
  }
}

// Tracks: the whole clip through a session of the default engine (bundled LivenessNet, dlib
// landmarks), with the res10 detector given as the engine's detector.
let pipeline;
try {
  pipeline = await import('@face-liveness/pipeline');
} catch {
  console.log('\n(tracks skipped: build @face-liveness/pipeline first)');
  process.exit(0);
}
console.log('\nTracks a LivenessSession makes of the whole clip (every frame), res10 as the engine detector');
console.log('| clip | resize | tracks (frames each) | most tracks in one frame |');
console.log('|---|---|---|---|');
for (const [name, path] of clips) {
  for (const resize of RESIZES) {
    const detector = await createFaceDetector({ detector: 'res10', model, ...settings(resize) });
    const engine = await pipeline.createLivenessEngine({ detector });
    const frames = new Map();
    let most = 0;
    for await (const result of engine.createSession().stream(await readVideo(path))) {
      for (const f of result.faces) frames.set(f.trackId, (frames.get(f.trackId) ?? 0) + 1);
      most = Math.max(most, result.faces.length);
    }
    await engine.close();
    await detector.close();
    console.log(`| ${name} | ${resize} | ${frames.size} (${[...frames.values()].join(', ')}) | ${most} |`);
  }
}
