import { importOptional, ModelFormatError } from '@face-liveness/core';
import type Protobuf from 'protobufjs';
import type { TextMessage, TextScalar } from './text-format.js';
import { parseTextFormat, TextEnum } from './text-format.js';

// The few TensorFlow messages a frozen GraphDef needs (tensorflow/core/framework/{graph,node_def,
// attr_value,tensor,tensor_shape}.proto; field numbers as TensorFlow defines them).
const { default: protobuf } = await importOptional<{ default: typeof Protobuf }>(
  'protobufjs',
  'Converting models (@face-liveness/face-detector/convert)',
  () => import('protobufjs'),
);
const root = protobuf.Root.fromJSON({
  nested: {
    tensorflow: {
      nested: {
        GraphDef: { fields: { node: { rule: 'repeated', type: 'NodeDef', id: 1 } } },
        NodeDef: {
          fields: {
            name: { type: 'string', id: 1 },
            op: { type: 'string', id: 2 },
            input: { rule: 'repeated', type: 'string', id: 3 },
            attr: { keyType: 'string', type: 'AttrValue', id: 5 } as Protobuf.IField,
          },
        },
        AttrValue: {
          fields: {
            list: { type: 'ListValue', id: 1 },
            s: { type: 'bytes', id: 2 },
            i: { type: 'int64', id: 3 },
            f: { type: 'float', id: 4 },
            b: { type: 'bool', id: 5 },
            type: { type: 'int32', id: 6 },
            tensor: { type: 'TensorProto', id: 8 },
          },
          nested: {
            ListValue: {
              fields: {
                s: { rule: 'repeated', type: 'bytes', id: 2 },
                i: { rule: 'repeated', type: 'int64', id: 3 },
                f: { rule: 'repeated', type: 'float', id: 4 },
              },
            },
          },
        },
        TensorProto: {
          fields: {
            dtype: { type: 'int32', id: 1 },
            tensorShape: { type: 'TensorShapeProto', id: 2 },
            tensorContent: { type: 'bytes', id: 4 },
            floatVal: { rule: 'repeated', type: 'float', id: 5 },
            intVal: { rule: 'repeated', type: 'int32', id: 7 },
          },
        },
        TensorShapeProto: {
          fields: { dim: { rule: 'repeated', type: 'Dim', id: 2 } },
          nested: { Dim: { fields: { size: { type: 'int64', id: 1 } } } },
        },
      },
    },
  },
});
const GraphDefType = root.lookupType('tensorflow.GraphDef');

/** TensorFlow's DataType enum values this converter reads. */
const DT = { FLOAT: 1, INT32: 3, UINT8: 4, QUINT8: 12 } as const;
const DT_NAMES: Record<string, number> = {
  DT_FLOAT: DT.FLOAT,
  DT_INT32: DT.INT32,
  DT_UINT8: DT.UINT8,
  DT_QUINT8: DT.QUINT8,
};

/** A constant tensor: values as numbers (any dtype widened), dims as TensorFlow gives them. */
export interface TfTensor {
  dtype: number;
  dims: number[];
  values: Float32Array | Int32Array | Uint8Array;
}

/** Attribute values with the TensorFlow oneof flattened. */
export type TfAttr =
  | { s: string }
  | { i: number }
  | { f: number }
  | { b: boolean }
  | { type: number }
  | { tensor: TfTensor }
  | { list: { i: number[]; f: number[]; s: string[] } };

export interface TfNode {
  name: string;
  op: string;
  /** Input node names without the `:0` output index and control inputs. */
  inputs: string[];
  attr: Record<string, TfAttr>;
}

interface DecodedTensor {
  dtype?: number;
  tensorShape?: { dim?: { size?: unknown }[] };
  tensorContent?: Uint8Array;
  floatVal?: number[];
  intVal?: number[];
}
interface DecodedAttr {
  list?: { s?: Uint8Array[]; i?: unknown[]; f?: number[] };
  s?: Uint8Array;
  i?: unknown;
  f?: number;
  b?: boolean;
  type?: number;
  tensor?: DecodedTensor;
}
interface DecodedNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, DecodedAttr>;
}

function inputName(input: string): string {
  return input.replace(/:\d+$/, '');
}

/** Reads a binary GraphDef (`.pb`). */
export function readGraphDef(bytes: Uint8Array, what: string): TfNode[] {
  let decoded: { node?: DecodedNode[] };
  try {
    decoded = GraphDefType.decode(bytes) as unknown as { node?: DecodedNode[] };
  } catch (error) {
    throw new ModelFormatError(`${what} is not a TensorFlow GraphDef (.pb): ${(error as Error).message}`, {
      cause: error,
    });
  }
  const nodes = decoded.node ?? [];
  if (nodes.length === 0)
    throw new ModelFormatError(`${what} holds no graph nodes; is it a TensorFlow .pb file?`);
  return nodes.map((node) => ({
    name: node.name,
    op: node.op,
    inputs: (node.input ?? []).filter((i) => !i.startsWith('^')).map(inputName),
    attr: Object.fromEntries(Object.entries(node.attr ?? {}).map(([k, v]) => [k, binaryAttr(v, what)])),
  }));
}

function binaryAttr(value: DecodedAttr, what: string): TfAttr {
  const has = (key: keyof DecodedAttr) => Object.hasOwn(value, key);
  if (has('tensor') && value.tensor) return { tensor: binaryTensor(value.tensor, what) };
  if (has('list') && value.list) {
    return {
      list: {
        i: (value.list.i ?? []).map(Number),
        f: value.list.f ?? [],
        s: (value.list.s ?? []).map((s) => new TextDecoder().decode(s)),
      },
    };
  }
  if (has('s')) return { s: new TextDecoder().decode(value.s) };
  if (has('i')) return { i: Number(value.i) };
  if (has('f')) return { f: value.f ?? 0 };
  if (has('b')) return { b: value.b ?? false };
  if (has('type')) return { type: value.type ?? 0 };
  return { list: { i: [], f: [], s: [] } };
}

function binaryTensor(t: DecodedTensor, what: string): TfTensor {
  const dims = (t.tensorShape?.dim ?? []).map((d) => Number(d.size ?? 0));
  return makeTensor(t.dtype ?? 0, dims, t.tensorContent, t.floatVal ?? [], t.intVal ?? [], what);
}

function makeTensor(
  dtype: number,
  dims: number[],
  content: Uint8Array | undefined,
  floatVal: number[],
  intVal: number[],
  what: string,
): TfTensor {
  const size = dims.reduce((a, b) => a * b, 1);
  const fill = <T extends Float32Array | Int32Array>(out: T, vals: number[]): T => {
    // TensorFlow repeats the last listed value to fill the shape.
    for (let i = 0; i < out.length; i++) out[i] = vals[Math.min(i, vals.length - 1)] ?? 0;
    return out;
  };
  // A copy: protobufjs hands out Buffer views into a shared pool, not aligned for Float32Array.
  const bytes = content && content.length > 0 ? new Uint8Array(content) : undefined;
  switch (dtype) {
    case DT.FLOAT:
      return {
        dtype,
        dims,
        values: bytes
          ? new Float32Array(bytes.buffer, 0, bytes.length / 4)
          : fill(new Float32Array(size), floatVal),
      };
    case DT.INT32:
      return {
        dtype,
        dims,
        values: bytes
          ? new Int32Array(bytes.buffer, 0, bytes.length / 4)
          : fill(new Int32Array(size), intVal),
      };
    case DT.UINT8:
    case DT.QUINT8:
      return { dtype, dims, values: bytes ?? Uint8Array.from(fill(new Int32Array(size), intVal)) };
    default:
      throw new ModelFormatError(`${what}: tensor of TensorFlow dtype ${dtype} is not supported`);
  }
}

/** Reads OpenCV's simplified text graph (`.pbtxt`). */
export function readTextGraph(text: string, what: string): TfNode[] {
  const graph = parseTextFormat(text, what);
  const nodes = (graph.node ?? []) as TextMessage[];
  if (nodes.length === 0)
    throw new ModelFormatError(`${what} holds no 'node' entries; is it a TensorFlow .pbtxt?`);
  return nodes.map((node) => ({
    name: String(node.name?.[0] ?? ''),
    op: String(node.op?.[0] ?? ''),
    inputs: ((node.input ?? []) as string[]).filter((i) => !i.startsWith('^')).map(inputName),
    attr: Object.fromEntries(
      ((node.attr ?? []) as TextMessage[]).map((entry) => [
        String(entry.key?.[0]),
        textAttr((entry.value?.[0] ?? {}) as TextMessage, what),
      ]),
    ),
  }));
}

function textAttr(value: TextMessage, what: string): TfAttr {
  const first = (key: string): TextScalar | TextMessage | undefined => value[key]?.[0];
  if (value.tensor) {
    const t = value.tensor[0] as TextMessage;
    const dtypeName = String(t.dtype?.[0]);
    const dtype = DT_NAMES[dtypeName];
    if (dtype === undefined)
      throw new ModelFormatError(`${what}: tensor dtype ${dtypeName} is not supported`);
    const shape = (t.tensor_shape?.[0] ?? {}) as TextMessage;
    const dims = ((shape.dim ?? []) as TextMessage[]).map((d) => Number(d.size?.[0] ?? 0));
    const floats = (t.float_val ?? []) as number[];
    return { tensor: makeTensor(dtype, dims, undefined, floats, (t.int_val ?? []) as number[], what) };
  }
  if (value.list) {
    const list = value.list[0] as TextMessage;
    return {
      list: {
        i: ((list.i ?? []) as number[]).map(Number),
        f: ((list.f ?? []) as number[]).map(Number),
        s: ((list.s ?? []) as string[]).map(String),
      },
    };
  }
  if (value.s) return { s: String(first('s')) };
  if (value.i) return { i: Number(first('i')) };
  if (value.f) return { f: Number(first('f')) };
  if (value.b) return { b: first('b') === true };
  if (value.type) {
    const name = first('type');
    return { type: name instanceof TextEnum ? (DT_NAMES[name.name] ?? -1) : Number(name) };
  }
  return { list: { i: [], f: [], s: [] } };
}
