// Plugs your own liveness model into the pipeline: anything with `classify(crop) -> {score}` works.
// Here: Silent-Face's MiniFASNetV2 in ONNX Runtime, fed as its authors do (a face box enlarged
// 2.7 times, 80x80, BGR, raw 0..255 values; class 1 is live).
// Usage: node dist/custom-classifier.js 2.7_80x80_MiniFASNetV2.onnx IMAGE_OR_VIDEO
import { analyzeMedia, createLivenessEngine } from '@face-liveness/pipeline';
import { OnnxClassifier } from './onnx-classifier.js';

const [modelPath, input] = process.argv.slice(2);
if (!modelPath || !input) {
  console.error('usage: node dist/custom-classifier.js MODEL.onnx IMAGE_OR_VIDEO');
  process.exit(2);
}

const classifier = await OnnxClassifier.load(modelPath, {
  width: 80,
  height: 80,
  channelOrder: 'BGR',
  scale: 1,
  liveIndex: 1,
});
// A crop margin of 0.85 on each side makes the crop 2.7 times the detector's box.
const engine = await createLivenessEngine({ classifier, cropMargin: 0.85 });
try {
  let first = true;
  const summary = await analyzeMedia(engine, input, {
    session: { policy: 'passive' },
    onFrame: (result) => {
      if (!first) return;
      first = false;
      for (const face of result.faces) {
        console.log(`frame 0: face ${face.trackId} ${face.verdict} (P(live) ${face.score?.toFixed(3)})`);
      }
    },
  });
  // For a video, the verdict of each tracked face over all its frames.
  if (summary.kind !== 'image') {
    for (const track of summary.tracks) console.log(`face ${track.id} ${track.verdict} (${track.reason})`);
  }
} finally {
  // The engine owns the components it was given: this closes the ONNX session too.
  await engine.close();
}
