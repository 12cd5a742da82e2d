// The distillation teacher: Silent-Face-Anti-Spoofing's Apache-2.0 MiniFASNetV2 (2.7x crop) and MiniFASNetV1SE
// (4.0x crop), each on its own crop recipe (peer-crops.mjs), P(live) averaged as their demo averages softmax.
// Never the CelebA-Spoof peer: it has no licence, so nothing shipped may learn from it.
import { sharedPath } from '@face-liveness/core/testing';
import { silentFaceInput } from '@face-liveness/minifasnet';
import * as ort from 'onnxruntime-node';
import { softmax } from './peer-crops.mjs';

const MODELS = [
  ['2.7_80x80_MiniFASNetV2.onnx', 2.7],
  ['4_0_0_80x80_MiniFASNetV1SE.onnx', 4.0],
];

export async function createTeacher() {
  const sessions = await Promise.all(
    MODELS.map(async ([file, scale]) => ({
      scale,
      session: await ort.InferenceSession.create(sharedPath('models/peers/minifasnet', file), {
        intraOpNumThreads: 1,
        interOpNumThreads: 1,
      }),
    })),
  );
  return {
    /** Mean P(live) of the pair on `box` ([x1, y1, x2, y2] pixels) of `frame`, rounded to 1e-4. */
    async score(frame, box) {
      let sum = 0;
      for (const { scale, session } of sessions) {
        const input = new ort.Tensor('float32', silentFaceInput(frame, box, scale, 80), [1, 3, 80, 80]);
        const { output } = await session.run({ input });
        sum += softmax(Array.from(output.data))[1];
        input.dispose();
        output.dispose();
      }
      return Math.round((sum / sessions.length) * 1e4) / 1e4;
    },
    close: () => Promise.all(sessions.map((s) => s.session.release())),
  };
}
