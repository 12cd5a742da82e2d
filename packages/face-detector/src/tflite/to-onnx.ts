import { ModelFormatError } from '@face-liveness/core';
import { GraphBuilder } from '../onnx/graph-builder.js';
import { type TfliteModel, type TfliteOperator, tensorFloats } from './model.js';

/**
 * Converts a float TFLite CNN (NHWC) into an ONNX graph that ONNX Runtime runs in NCHW.
 * Graph inputs and outputs keep their TFLite names and NHWC shapes, so callers feed and read the
 * same tensors they would give TFLite; transposes are inserted only where the layouts meet.
 *
 * Supported: CONV_2D, DEPTHWISE_CONV_2D, ADD, SUB, MUL, RELU, RELU6, LOGISTIC, MAX_POOL_2D,
 * AVERAGE_POOL_2D, PAD, RESHAPE, CONCATENATION, RESIZE_BILINEAR, DEQUANTIZE of constant (float16/int8) weights,
 * and the fused activations NONE, RELU, RELU_N1_TO_1, RELU6, TANH. Anything else throws a
 * {@link ModelFormatError} naming the operator.
 */
export function tfliteToOnnx(model: TfliteModel, graphName = 'tflite'): Uint8Array {
  return new Converter(model, graphName).run();
}

/** An ONNX value: its name and whether a rank-4 tensor is stored NCHW (converted) or NHWC. */
interface Value {
  name: string;
  nchw: boolean;
}

const TO_NCHW = [0, 3, 1, 2];
const TO_NHWC = [0, 2, 3, 1];
/** Position of each NHWC axis in NCHW. */
const NHWC_AXIS_IN_NCHW = [0, 2, 3, 1];

class Converter {
  private readonly g: GraphBuilder;
  private readonly values = new Map<number, Value>();
  /** Constant tensors, including the float outputs of folded DEQUANTIZE ops. */
  private readonly constants = new Map<number, Float32Array>();

  constructor(
    private readonly model: TfliteModel,
    graphName: string,
  ) {
    this.g = new GraphBuilder(graphName);
  }

  run(): Uint8Array {
    const { model, g } = this;
    model.tensors.forEach((t, i) => {
      if (t.data) this.constants.set(i, tensorFloats(t));
    });
    for (const i of model.inputs) {
      const t = model.tensors[i];
      this.values.set(i, { name: g.addInput(t.name, t.shape), nchw: false });
    }
    for (const op of model.operators) this.convert(op);
    for (const i of model.outputs) {
      const t = model.tensors[i];
      g.addNode('Identity', [this.nhwc(i)], { outputs: [t.name] });
      g.addOutput(t.name, t.shape);
    }
    return g.toBytes('face-liveness tflite-to-onnx');
  }

  private convert(op: TfliteOperator): void {
    const [input] = op.inputs;
    const output = op.outputs[0];
    const act = op.options.fused_activation_function as number | undefined;
    switch (op.op) {
      case 'DEQUANTIZE': {
        const values = this.constants.get(input);
        if (!values) throw this.unsupported(op, 'dequantising a non-constant tensor');
        this.constants.set(output, values);
        return;
      }
      case 'CONV_2D':
      case 'DEPTHWISE_CONV_2D':
        return this.set(output, this.activation(this.conv(op), act ?? 0), true);
      case 'MAX_POOL_2D':
      case 'AVERAGE_POOL_2D':
        return this.set(output, this.activation(this.pool(op), act ?? 0), true);
      case 'ADD':
      case 'SUB':
      case 'MUL':
        return this.binary(op, { ADD: 'Add', SUB: 'Sub', MUL: 'Mul' }[op.op] as string, act ?? 0);
      case 'RELU':
        return this.unary(op, (v) => this.activation(v, 1));
      case 'RELU6':
        return this.unary(op, (v) => this.activation(v, 3));
      case 'LOGISTIC':
        return this.unary(op, (v) => this.g.addNode('Sigmoid', [v])[0]);
      case 'PAD':
        return this.pad(op);
      case 'RESHAPE': {
        const shape = this.model.tensors[output].shape;
        const target = this.g.addInt64Tensor('shape', [shape.length], shape);
        return this.set(output, this.g.addNode('Reshape', [this.nhwc(input), target])[0], false);
      }
      case 'CONCATENATION':
        return this.concat(op, act ?? 0);
      case 'RESIZE_BILINEAR':
        return this.resize(op);
      default:
        throw this.unsupported(op, 'this operator');
    }
  }

  private conv(op: TfliteOperator): string {
    const [input, filter, bias] = op.inputs;
    const o = op.options;
    const [, kh, kw, lastDim] = this.model.tensors[filter].shape;
    const inChannels = this.model.tensors[input].shape[3];
    const depthwise = op.op === 'DEPTHWISE_CONV_2D';
    const outChannels = depthwise ? lastDim : this.model.tensors[filter].shape[0];
    // TFLite filters: conv [O, kh, kw, I]; depthwise [1, kh, kw, I*M]. ONNX wants [O, I/group, kh, kw].
    const weights = transpose4(
      this.constant(op, filter),
      this.model.tensors[filter].shape,
      depthwise ? [3, 0, 1, 2] : [0, 3, 1, 2],
    );
    const w = this.g.addFloatTensor('W', [outChannels, depthwise ? 1 : inChannels, kh, kw], weights);
    const inputs = [this.nchw(input), w];
    if (bias >= 0) inputs.push(this.g.addFloatTensor('B', [outChannels], this.constant(op, bias)));
    const dilations = [o.dilation_h_factor as number, o.dilation_w_factor as number];
    return this.g.addNode('Conv', inputs, {
      attributes: {
        kernel_shape: [kh, kw],
        strides: [o.stride_h as number, o.stride_w as number],
        dilations,
        group: depthwise ? inChannels : 1,
        pads: this.pads(op, [kh, kw], dilations),
      },
    })[0];
  }

  private pool(op: TfliteOperator): string {
    const o = op.options;
    const kernel = [o.filter_height as number, o.filter_width as number];
    return this.g.addNode(op.op === 'MAX_POOL_2D' ? 'MaxPool' : 'AveragePool', [this.nchw(op.inputs[0])], {
      attributes: {
        kernel_shape: kernel,
        strides: [o.stride_h as number, o.stride_w as number],
        pads: this.pads(op, kernel, [1, 1]),
      },
    })[0];
  }

  /** ONNX pads [top, left, bottom, right] for TFLite's SAME (0) or VALID (1) padding. */
  private pads(op: TfliteOperator, kernel: number[], dilations: number[]): number[] {
    if (op.options.padding === 1) return [0, 0, 0, 0];
    const inShape = this.model.tensors[op.inputs[0]].shape;
    const outShape = this.model.tensors[op.outputs[0]].shape;
    const strides = [op.options.stride_h as number, op.options.stride_w as number];
    const before: number[] = [];
    const after: number[] = [];
    for (const axis of [0, 1]) {
      const extent = (kernel[axis] - 1) * dilations[axis] + 1;
      const total = Math.max((outShape[axis + 1] - 1) * strides[axis] + extent - inShape[axis + 1], 0);
      before.push(Math.floor(total / 2));
      after.push(total - Math.floor(total / 2));
    }
    return [...before, ...after];
  }

  private binary(op: TfliteOperator, onnxOp: string, act: number): void {
    const [a, b] = op.inputs;
    const activations = [a, b].filter((i) => !this.constants.has(i));
    const nchw = activations.some((i) => this.values.get(i)?.nchw);
    const operand = (i: number): string => {
      if (!this.constants.has(i)) return nchw ? this.nchw(i) : this.nhwc(i);
      const shape = this.model.tensors[i].shape;
      let values = this.constant(op, i);
      let dims = shape;
      if (nchw && shape.length === 4) {
        values = transpose4(values, shape, TO_NCHW);
        dims = TO_NCHW.map((d) => shape[d]);
      } else if (nchw && shape.length === 1) {
        dims = [shape[0], 1, 1]; // per-channel constant broadcasts over H and W
      }
      return this.g.addFloatTensor('C', dims, values);
    };
    const sum = this.g.addNode(onnxOp, [operand(a), operand(b)])[0];
    this.set(op.outputs[0], this.activation(sum, act), nchw);
  }

  private unary(op: TfliteOperator, apply: (value: string) => string): void {
    const value = this.value(op.inputs[0]);
    this.set(op.outputs[0], apply(value.name), value.nchw);
  }

  private pad(op: TfliteOperator): void {
    const [input, paddings] = op.inputs;
    const value = this.value(input);
    const p = Array.from(this.constant(op, paddings));
    const rank = p.length / 2;
    const order = value.nchw ? TO_NCHW : Array.from({ length: rank }, (_, i) => i);
    const pads = [...order.map((axis) => p[2 * axis]), ...order.map((axis) => p[2 * axis + 1])];
    const padsName = this.g.addInt64Tensor('pads', [pads.length], pads);
    this.set(op.outputs[0], this.g.addNode('Pad', [value.name, padsName])[0], value.nchw);
  }

  private concat(op: TfliteOperator, act: number): void {
    const rank = this.model.tensors[op.outputs[0]].shape.length;
    const raw = op.options.axis as number;
    const axis = raw < 0 ? raw + rank : raw;
    const nchw = rank === 4 && op.inputs.every((i) => this.values.get(i)?.nchw);
    const inputs = op.inputs.map((i) => (nchw ? this.nchw(i) : this.nhwc(i)));
    const joined = this.g.addNode('Concat', inputs, {
      attributes: { axis: nchw ? NHWC_AXIS_IN_NCHW[axis] : axis },
    })[0];
    this.set(op.outputs[0], this.activation(joined, act), nchw);
  }

  /** TFLite's three sampling grids map onto ONNX Resize's coordinate transformation modes. */
  private resize(op: TfliteOperator): void {
    const [n, h, w, c] = this.model.tensors[op.outputs[0]].shape;
    const sizes = this.g.addInt64Tensor('sizes', [4], [n, c, h, w]);
    const mode = op.options.align_corners
      ? 'align_corners'
      : op.options.half_pixel_centers
        ? 'half_pixel'
        : 'asymmetric';
    const resized = this.g.addNode('Resize', [this.nchw(op.inputs[0]), '', '', sizes], {
      attributes: { mode: 'linear', coordinate_transformation_mode: mode },
    })[0];
    this.set(op.outputs[0], resized, true);
  }

  private activation(value: string, act: number): string {
    switch (act) {
      case 0:
        return value;
      case 1:
        return this.g.addNode('Relu', [value])[0];
      case 2:
        return this.clip(value, -1, 1);
      case 3:
        return this.clip(value, 0, 6);
      case 4:
        return this.g.addNode('Tanh', [value])[0];
      default:
        throw new ModelFormatError(`TFLite fused activation ${act} is not supported by the ONNX converter`);
    }
  }

  private clip(value: string, min: number, max: number): string {
    const lo = this.g.addFloatTensor('min', [], [min]);
    const hi = this.g.addFloatTensor('max', [], [max]);
    return this.g.addNode('Clip', [value, lo, hi])[0];
  }

  private set(tensor: number, name: string, nchw: boolean): void {
    this.values.set(tensor, { name, nchw });
  }

  private value(tensor: number): Value {
    const value = this.values.get(tensor);
    if (!value) {
      const name = this.model.tensors[tensor]?.name ?? tensor;
      throw new ModelFormatError(`TFLite tensor '${name}' is used before any operator produces it`);
    }
    return value;
  }

  /** The tensor as NCHW (rank-4 activations only). */
  private nchw(tensor: number): string {
    const value = this.value(tensor);
    if (value.nchw) return value.name;
    const converted = this.g.addNode('Transpose', [value.name], { attributes: { perm: TO_NCHW } })[0];
    this.values.set(tensor, { name: converted, nchw: true });
    return converted;
  }

  /** The tensor in TFLite's own layout. */
  private nhwc(tensor: number): string {
    const value = this.value(tensor);
    if (!value.nchw) return value.name;
    return this.g.addNode('Transpose', [value.name], { attributes: { perm: TO_NHWC } })[0];
  }

  private constant(op: TfliteOperator, tensor: number): Float32Array {
    const values = this.constants.get(tensor);
    if (!values) throw this.unsupported(op, `a non-constant weight '${this.model.tensors[tensor].name}'`);
    return values;
  }

  private unsupported(op: TfliteOperator, what: string): ModelFormatError {
    return new ModelFormatError(
      `TFLite ${op.op} with ${what} is not supported by the ONNX converter (output '${this.model.tensors[op.outputs[0]]?.name}')`,
    );
  }
}

/** Permutes a rank-4 row-major array: output axis i is input axis `perm[i]`. */
function transpose4(values: Float32Array, shape: number[], perm: number[]): Float32Array {
  const outShape = perm.map((p) => shape[p]);
  const inStrides = [shape[1] * shape[2] * shape[3], shape[2] * shape[3], shape[3], 1];
  const s = perm.map((p) => inStrides[p]);
  const out = new Float32Array(values.length);
  let k = 0;
  for (let a = 0; a < outShape[0]; a++)
    for (let b = 0; b < outShape[1]; b++)
      for (let c = 0; c < outShape[2]; c++)
        for (let d = 0; d < outShape[3]; d++) out[k++] = values[a * s[0] + b * s[1] + c * s[2] + d * s[3]];
  return out;
}
