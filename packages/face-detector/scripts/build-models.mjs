// Regenerates models/: the ONNX conversions of @mediapipe/face_detection's BlazeFace models that the
// runtime loads, and their provenance note. Run `npm run models -w @face-liveness/face-detector`
// after changing the TFLite converter or upgrading @mediapipe/face_detection: the test
// test/shipped-models.test.ts fails until the committed files equal a fresh conversion.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename } from 'node:path';
import { BLAZEFACE_VARIANTS } from '@face-liveness/face-detector';
import {
  blazeFaceTflitePath,
  convertBlazeFace,
  MEDIAPIPE_PACKAGE,
} from '@face-liveness/face-detector/convert';

const MODELS = new URL('../models/', import.meta.url);
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
const kb = (bytes) => `${Math.round(bytes.length / 1024)} KiB`;
const version = (packageJson) => JSON.parse(readFileSync(packageJson, 'utf8')).version;
const mediapipeVersion = version(createRequire(import.meta.url).resolve(`${MEDIAPIPE_PACKAGE}/package.json`));
const ownVersion = version(new URL('../package.json', import.meta.url));

const rows = [];
for (const [range, variant] of Object.entries(BLAZEFACE_VARIANTS)) {
  const tflitePath = blazeFaceTflitePath(range);
  const onnx = await convertBlazeFace(tflitePath);
  writeFileSync(new URL(variant.onnxFile, MODELS), onnx);
  const tflite = readFileSync(tflitePath);
  rows.push(
    `| \`${variant.onnxFile}\` | ${range} | \`${basename(tflitePath)}\`, ${kb(tflite)}, sha256 \`${sha256(tflite)}\` | ${kb(onnx)}, sha256 \`${sha256(onnx)}\` |`,
  );
  process.stdout.write(`${variant.onnxFile}: ${onnx.length} bytes\n`);
}

const note = `# BlazeFace models

MediaPipe's BlazeFace face detection models, converted from TensorFlow Lite to ONNX, which
\`BlazeFaceDetector\` loads by default. They are covered by the Apache License 2.0 (\`LICENSE\` in this
folder), not by the MIT licence of the package's code.

- Source: the npm package [\`${MEDIAPIPE_PACKAGE}\`](https://www.npmjs.com/package/${MEDIAPIPE_PACKAGE})
  version ${mediapipeVersion} (Apache-2.0), by Google's MediaPipe team.
- Changes: each \`.tflite\` was converted by \`convertBlazeFace\` of \`@face-liveness/face-detector/convert\`
  (version ${ownVersion}): the float16 weights are stored as float32 and the NHWC operators are
  rewritten as NCHW ONNX operators. The network computes the same function (the package's tests
  compare it with a TensorFlow.js run of the \`.tflite\`).
- Regenerate with \`npm run models -w @face-liveness/face-detector\`; a test checks that these files
  equal a fresh conversion.

| file | range | converted from | ONNX |
| ---- | ----- | -------------- | ---- |
${rows.join('\n')}
`;
writeFileSync(new URL('README.md', MODELS), note);
