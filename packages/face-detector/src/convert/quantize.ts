import type { Frame } from '@face-liveness/core';
import * as ort from 'onnxruntime-node';
import { res10Input } from '../res10/preprocess.js';
import { RES10_SIZE } from '../res10/spec.js';
import type { SsdNet } from './ssd-net.js';
import { foldAffine, toOnnx } from './ssd-net.js';

/**
 * An int8 (QDQ) ONNX model of the network: activation ranges are the min/max every layer output
 * takes on the calibration frames (use frames like the ones the detector will see, and keep them
 * apart from any frames you evaluate on).
 */
export async function quantizeSsd(net: SsdNet, calibration: readonly Frame[]): Promise<Uint8Array> {
  if (calibration.length === 0) throw new Error('quantizeSsd needs at least one calibration frame');
  const folded = foldAffine(net);
  const session = await ort.InferenceSession.create(toOnnx(folded, { probes: true }));
  const ranges = new Map<string, [number, number]>();
  try {
    for (const frame of calibration) {
      const input = new ort.Tensor('float32', res10Input(frame), [1, 3, RES10_SIZE, RES10_SIZE]);
      const outputs = await session.run({ data: input });
      for (const [key, tensor] of Object.entries(outputs)) {
        if (!key.startsWith('probe:')) continue;
        const data = tensor.data as Float32Array;
        let [lo, hi] = ranges.get(key.slice(6)) ?? [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
        for (let i = 0; i < data.length; i++) {
          if (data[i] < lo) lo = data[i];
          if (data[i] > hi) hi = data[i];
        }
        ranges.set(key.slice(6), [lo, hi]);
      }
    }
  } finally {
    await session.release();
  }
  return toOnnx(folded, { ranges });
}
