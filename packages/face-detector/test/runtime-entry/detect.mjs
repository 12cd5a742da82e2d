// Imports only the runtime entry, creates the default detector and detects faces in one raw RGB
// frame (`node detect.mjs FRAME.rgb WIDTH HEIGHT`); prints what it found and the CommonJS modules
// loaded, which the ESM resolve hook does not see.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createFaceDetector } from '@face-liveness/face-detector';

const [rgb, width, height] = process.argv.slice(2);
const detector = await createFaceDetector();
const faces = await detector.detect({
  data: readFileSync(rgb),
  width: Number(width),
  height: Number(height),
});
await detector.close();
const commonjs = Object.keys(createRequire(import.meta.url).cache);
process.stdout.write(
  JSON.stringify({ name: detector.name, reason: detector.reason, faces: faces.length, commonjs }),
);
