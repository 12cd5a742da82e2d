import { readFile } from 'node:fs/promises';
import { ModelFormatError } from '@face-liveness/core';
import { FlatBuffer, FlatBufferError, type ScalarType } from './flatbuffer.js';

/**
 * A TFLite model read from its flatbuffer, following TensorFlow's public `schema.fbs`
 * (file identifier `TFL3`). Only the main subgraph is kept; weights are left as raw bytes and
 * decoded to float on demand by {@link tensorFloats}.
 */
export interface TfliteModel {
  /** Schema version (3 for every current converter). */
  version: number;
  description?: string;
  tensors: TfliteTensor[];
  operators: TfliteOperator[];
  /** Indices into `tensors` of the subgraph's inputs and outputs. */
  inputs: number[];
  outputs: number[];
}

export interface TfliteTensor {
  name: string;
  shape: number[];
  type: TensorType;
  /** The constant's bytes (little-endian), or `undefined` for an activation. */
  data?: Uint8Array;
  quantization?: { scale: number[]; zeroPoint: number[]; axis: number };
}

export interface TfliteOperator {
  /** Builtin operator name, e.g. `CONV_2D`, or `CUSTOM:<code>`. */
  op: string;
  /** Tensor indices; -1 marks an omitted optional input. */
  inputs: number[];
  outputs: number[];
  /** Decoded builtin options (field names as in schema.fbs); empty for ops without options. */
  options: Record<string, number | number[]>;
}

/** TensorType of schema.fbs (only the values this reader can turn into floats are named). */
export enum TensorType {
  FLOAT32 = 0,
  FLOAT16 = 1,
  INT32 = 2,
  UINT8 = 3,
  INT64 = 4,
  INT8 = 9,
}

/** BuiltinOperator codes of schema.fbs that a CNN converter may meet. */
const BUILTIN_NAMES: Record<number, string> = {
  0: 'ADD',
  1: 'AVERAGE_POOL_2D',
  2: 'CONCATENATION',
  3: 'CONV_2D',
  4: 'DEPTHWISE_CONV_2D',
  6: 'DEQUANTIZE',
  9: 'FULLY_CONNECTED',
  14: 'LOGISTIC',
  17: 'MAX_POOL_2D',
  18: 'MUL',
  19: 'RELU',
  21: 'RELU6',
  22: 'RESHAPE',
  23: 'RESIZE_BILINEAR',
  25: 'SOFTMAX',
  34: 'PAD',
  39: 'TRANSPOSE',
  40: 'MEAN',
  41: 'SUB',
  54: 'PRELU',
  60: 'PADV2',
};

type OptionField = [name: string, type: ScalarType | 'i32[]', fallback?: number];

const CONV: OptionField[] = [
  ['padding', 'i8'],
  ['stride_w', 'i32'],
  ['stride_h', 'i32'],
  ['fused_activation_function', 'i8'],
  ['dilation_w_factor', 'i32', 1],
  ['dilation_h_factor', 'i32', 1],
];
const DEPTHWISE: OptionField[] = [
  ['padding', 'i8'],
  ['stride_w', 'i32'],
  ['stride_h', 'i32'],
  ['depth_multiplier', 'i32'],
  ['fused_activation_function', 'i8'],
  ['dilation_w_factor', 'i32', 1],
  ['dilation_h_factor', 'i32', 1],
];
const POOL: OptionField[] = [
  ['padding', 'i8'],
  ['stride_w', 'i32'],
  ['stride_h', 'i32'],
  ['filter_width', 'i32'],
  ['filter_height', 'i32'],
  ['fused_activation_function', 'i8'],
];
const ACTIVATION_ONLY: OptionField[] = [['fused_activation_function', 'i8']];

/** Field lists of the BuiltinOptions union members, keyed by their union type index. */
const OPTION_TABLES: Record<number, OptionField[]> = {
  1: CONV,
  2: DEPTHWISE,
  5: POOL,
  8: ACTIVATION_ONLY.concat([['weights_format', 'i8']]), // FullyConnectedOptions
  10: [
    ['axis', 'i32'],
    ['fused_activation_function', 'i8'],
  ], // ConcatenationOptions
  11: ACTIVATION_ONLY, // AddOptions
  15: [
    ['new_height', 'i32'],
    ['new_width', 'i32'],
    ['align_corners', 'u8'],
    ['half_pixel_centers', 'u8'],
  ], // ResizeBilinearOptions (the sizes are deprecated: the second input holds them)
  17: [['new_shape', 'i32[]']], // ReshapeOptions
  21: ACTIVATION_ONLY, // MulOptions
  28: ACTIVATION_ONLY, // SubOptions
};

/** Reads a `.tflite` file; errors name the file. */
export async function readTfliteFile(path: string): Promise<TfliteModel> {
  return parseTflite(await readFile(path), path);
}

/** Parses TFLite flatbuffer bytes; `what` names the source in error messages. */
export function parseTflite(bytes: Uint8Array, what = 'TFLite model'): TfliteModel {
  const fb = new FlatBuffer(bytes);
  if (bytes.length < 8 || fb.identifier() !== 'TFL3') {
    throw new ModelFormatError(
      `${what} is not a TFLite model (no "TFL3" identifier at byte 4); pass a .tflite flatbuffer such as face_detection_short_range.tflite`,
    );
  }
  try {
    return readModel(fb);
  } catch (error) {
    if (!(error instanceof FlatBufferError)) throw error;
    throw new ModelFormatError(`${what} is truncated or corrupt: ${error.message}; reinstall the file`, {
      cause: error,
    });
  }
}

// Field indices below are positions in schema.fbs tables; a union takes two (type, value).
function readModel(fb: FlatBuffer): TfliteModel {
  const model = fb.root();
  const buffers = fb.tables(model, 4).map((b) => {
    const inline = fb.ubytes(b, 0);
    if (inline.length > 0) return inline;
    const offset = fb.scalar(b, 1, 'u64'); // models > 2 GB keep data after the flatbuffer
    return offset > 1 ? fb.slice(offset, fb.scalar(b, 2, 'u64')) : inline;
  });
  const opNames = fb.tables(model, 1).map((code) => {
    const builtin = Math.max(fb.scalar(code, 0, 'i8'), fb.scalar(code, 3, 'i32'));
    if (builtin === 32) return `CUSTOM:${fb.string(code, 1) ?? ''}`;
    return BUILTIN_NAMES[builtin] ?? `BUILTIN_${builtin}`;
  });
  const subgraphs = fb.tables(model, 2);
  if (subgraphs.length === 0) throw new FlatBufferError('the model has no subgraph');
  const graph = subgraphs[0];
  const tensors = fb.tables(graph, 0).map((t): TfliteTensor => {
    const buffer = fb.scalar(t, 2, 'u32');
    if (buffer >= buffers.length)
      throw new FlatBufferError(`tensor refers to buffer ${buffer} of ${buffers.length}`);
    const data = buffers[buffer];
    const tensor: TfliteTensor = {
      name: fb.string(t, 3) ?? '',
      shape: fb.int32s(t, 0),
      type: fb.scalar(t, 1, 'i8'),
      data: data.length > 0 ? data : undefined,
    };
    const q = fb.table(t, 4);
    const scale = q ? fb.float32s(q, 2) : [];
    if (scale.length > 0)
      tensor.quantization = { scale, zeroPoint: fb.int64s(q, 3), axis: fb.scalar(q, 6, 'i32') };
    return tensor;
  });
  const operators = fb.tables(graph, 3).map((o): TfliteOperator => {
    const index = fb.scalar(o, 0, 'u32');
    if (index >= opNames.length) throw new FlatBufferError(`operator code ${index} of ${opNames.length}`);
    return {
      op: opNames[index],
      inputs: fb.int32s(o, 1),
      outputs: fb.int32s(o, 2),
      options: readOptions(fb, fb.scalar(o, 3, 'u8'), fb.table(o, 4)),
    };
  });
  for (const op of operators) {
    for (const t of [...op.inputs, ...op.outputs]) {
      if (t >= tensors.length)
        throw new FlatBufferError(`${op.op} refers to tensor ${t} of ${tensors.length}`);
    }
  }
  return {
    version: fb.scalar(model, 0, 'u32'),
    description: fb.string(model, 3),
    tensors,
    operators,
    inputs: fb.int32s(graph, 1),
    outputs: fb.int32s(graph, 2),
  };
}

function readOptions(fb: FlatBuffer, unionType: number, table: number): Record<string, number | number[]> {
  const fields = OPTION_TABLES[unionType];
  const options: Record<string, number | number[]> = {};
  if (!fields || table === 0) return options;
  fields.forEach(([name, type, fallback], i) => {
    options[name] = type === 'i32[]' ? fb.int32s(table, i) : fb.scalar(table, i, type, fallback);
  });
  return options;
}

const BYTES_PER_ELEMENT: Partial<Record<TensorType, number>> = {
  [TensorType.FLOAT32]: 4,
  [TensorType.FLOAT16]: 2,
  [TensorType.INT32]: 4,
  [TensorType.UINT8]: 1,
  [TensorType.INT64]: 8,
  [TensorType.INT8]: 1,
};

/**
 * The values of a constant tensor as float32, dequantising float16 and (u)int8 weights
 * (`scale * (q - zero_point)`, per channel along the quantised axis). Throws for activations.
 */
export function tensorFloats(tensor: TfliteTensor): Float32Array {
  const { data } = tensor;
  if (!data) throw new ModelFormatError(`TFLite tensor '${tensor.name}' has no constant data`);
  const count = tensor.shape.reduce((a, b) => a * b, 1);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const bytesPer = BYTES_PER_ELEMENT[tensor.type];
  if (bytesPer === undefined) {
    throw new ModelFormatError(`TFLite tensor '${tensor.name}' has unsupported type ${tensor.type}`);
  }
  if (data.length !== count * bytesPer) {
    throw new ModelFormatError(
      `TFLite tensor '${tensor.name}' has ${data.length} bytes for shape [${tensor.shape}] of type ${tensor.type}`,
    );
  }
  const out = new Float32Array(count);
  switch (tensor.type) {
    case TensorType.FLOAT32:
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(4 * i, true);
      return out;
    case TensorType.FLOAT16:
      for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(2 * i, true));
      return out;
    case TensorType.INT32:
      for (let i = 0; i < count; i++) out[i] = view.getInt32(4 * i, true);
      return out;
    case TensorType.INT64:
      for (let i = 0; i < count; i++) out[i] = Number(view.getBigInt64(8 * i, true));
      return out;
    case TensorType.INT8:
    case TensorType.UINT8: {
      const q = tensor.quantization;
      if (!q)
        throw new ModelFormatError(`TFLite tensor '${tensor.name}' is 8-bit but has no quantisation scale`);
      // Elements sharing one channel of axis `q.axis` are `inner` apart in row-major order.
      const inner = tensor.shape.slice(q.axis + 1).reduce((a, b) => a * b, 1);
      const channels = q.scale.length;
      for (let i = 0; i < count; i++) {
        const c = channels === 1 ? 0 : Math.floor(i / inner) % channels;
        const raw = tensor.type === TensorType.INT8 ? view.getInt8(i) : view.getUint8(i);
        out[i] = q.scale[c] * (raw - (q.zeroPoint[c] ?? 0));
      }
      return out;
    }
    default:
      throw new ModelFormatError(`TFLite tensor '${tensor.name}' has unsupported type ${tensor.type}`);
  }
}

/** IEEE 754 half precision to double. */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}
