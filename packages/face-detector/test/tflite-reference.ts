import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { type TfliteModel, tensorFloats } from '../src/convert/index.js';

/**
 * A second, independent executor of a TFLite graph for tests: TensorFlow.js ops in TFLite's own
 * NHWC layout and TF padding semantics, so it shares nothing with the ONNX converter but the
 * flatbuffer reader. Covers the operators of BlazeFace short-range.
 */
export async function runTfliteWithTfjs(model: TfliteModel, input: Float32Array): Promise<Float32Array[]> {
  await tf.setBackend('cpu');
  const outputs = tf.tidy(() => {
    const values = new Map<number, tf.Tensor>();
    const get = (i: number): tf.Tensor => {
      const v = values.get(i);
      if (v) return v;
      const t = model.tensors[i];
      return tf.tensor(tensorFloats(t), t.shape);
    };
    const [inputIndex] = model.inputs;
    values.set(inputIndex, tf.tensor(input, model.tensors[inputIndex].shape));
    for (const op of model.operators) {
      const o = op.options;
      const padding = o.padding === 1 ? 'valid' : 'same';
      const strides: [number, number] = [o.stride_h as number, o.stride_w as number];
      const x = () => get(op.inputs[0]) as tf.Tensor4D;
      let y: tf.Tensor;
      switch (op.op) {
        case 'DEQUANTIZE':
          y = get(op.inputs[0]);
          break;
        case 'CONV_2D': {
          const w = tf.transpose(get(op.inputs[1]), [1, 2, 3, 0]) as tf.Tensor4D; // OHWI -> HWIO
          y = tf.add(tf.conv2d(x(), w, strides, padding), get(op.inputs[2]));
          break;
        }
        case 'DEPTHWISE_CONV_2D': {
          const f = get(op.inputs[1]);
          const channels = x().shape[3];
          const w = tf.reshape(f, [f.shape[1], f.shape[2], channels, f.shape[3] / channels]) as tf.Tensor4D;
          y = tf.add(tf.depthwiseConv2d(x(), w, strides, padding), get(op.inputs[2]));
          break;
        }
        case 'ADD':
          y = tf.add(get(op.inputs[0]), get(op.inputs[1]));
          break;
        case 'RELU':
          y = tf.relu(get(op.inputs[0]));
          break;
        case 'MAX_POOL_2D':
          y = tf.maxPool(x(), [o.filter_height as number, o.filter_width as number], strides, padding);
          break;
        case 'PAD': {
          const p = Array.from(tensorFloats(model.tensors[op.inputs[1]]));
          y = tf.pad(
            get(op.inputs[0]),
            [0, 1, 2, 3].map((a) => [p[2 * a], p[2 * a + 1]]) as [number, number][],
          );
          break;
        }
        case 'RESIZE_BILINEAR': {
          const [, h, w] = model.tensors[op.outputs[0]].shape;
          y = tf.image.resizeBilinear(x(), [h, w], o.align_corners === 1, o.half_pixel_centers === 1);
          break;
        }
        case 'RESHAPE':
          y = tf.reshape(get(op.inputs[0]), model.tensors[op.outputs[0]].shape);
          break;
        case 'CONCATENATION':
          y = tf.concat(
            op.inputs.map((i) => get(i)),
            o.axis as number,
          );
          break;
        default:
          throw new Error(`reference executor lacks ${op.op}`);
      }
      if ((o.fused_activation_function ?? 0) !== 0)
        throw new Error(`reference executor lacks fused activations`);
      values.set(op.outputs[0], y);
    }
    return model.outputs.map((i) => get(i).dataSync() as Float32Array);
  });
  return outputs;
}
