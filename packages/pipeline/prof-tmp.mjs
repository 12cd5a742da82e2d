import { ModelStore, readVideo, cropFrame } from '@face-liveness/core';
import { createFaceDetector } from '@face-liveness/face-detector';
import { ShapePredictor } from '@face-liveness/landmarks';
import { LivenessClassifier } from '@face-liveness/livenessnet';
import { Annotator } from '@face-liveness/pipeline';
const store = new ModelStore('/tmp/fl7/store');
const det = await createFaceDetector({ store, threads: Number(process.env.T ?? 1) });
console.log(det.name);
const sp = await ShapePredictor.load('/usr/share/dlib/shape_predictor_68_face_landmarks.dat');
const cl = await LivenessClassifier.load('/work/shared/models/seed-livenessnet/liveness.model');
const ann = new Annotator(640, 480);
const t = { decode: 0, detect: 0, lm: 0, cls: 0, ann: 0 };
let n = 0; let last = performance.now();
for await (const { frame } of await readVideo('/tmp/fl7/bench/face640.mp4')) {
  let now = performance.now(); t.decode += now - last; last = now;
  const faces = await det.detect(frame); now = performance.now(); t.detect += now - last; last = now;
  for (const f of faces) {
    sp.predict(frame, f.box); now = performance.now(); t.lm += now - last; last = now;
    await cl.classify(cropFrame(frame, f.box)); now = performance.now(); t.cls += now - last; last = now;
  }
  ann.draw(frame, { faces: [], index: 0, timestampMs: 0, width: 640, height: 480, ignored: [], ended: [], elapsedMs: 0 }, 30); now = performance.now(); t.ann += now - last; last = now;
  n++;
}
for (const k in t) t[k] = (t[k] / n).toFixed(2);
console.log(n, t);
