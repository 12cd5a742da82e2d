import { importOptional } from '@face-liveness/core';
import type OnnxProto from 'onnx-proto';

const { onnx } = (
  await importOptional<{ default: typeof OnnxProto }>(
    'onnx-proto',
    'Converting models (@face-liveness/face-detector/convert)',
    () => import('onnx-proto'),
  )
).default;

/** Attribute values a node may carry; the ONNX attribute type is inferred from the JS value. */
export type AttributeValue = number | string | number[] | { float: number } | { floats: number[] };

/**
 * Builds an ONNX model in memory: float32 initializers, nodes and typed graph inputs/outputs.
 * Converters (TensorFlow, Caffe, TFLite) describe the network with it; ONNX Runtime checks it.
 */
export class GraphBuilder {
  private readonly nodes: OnnxProto.onnx.INodeProto[] = [];
  private readonly initializers: OnnxProto.onnx.ITensorProto[] = [];
  private readonly inputs: OnnxProto.onnx.IValueInfoProto[] = [];
  private readonly outputs: OnnxProto.onnx.IValueInfoProto[] = [];
  private readonly names = new Set<string>();
  private counter = 0;

  constructor(
    readonly graphName: string,
    readonly opset = 17,
  ) {}

  /** A fresh tensor name starting with `prefix`. */
  uniqueName(prefix: string): string {
    let name = prefix;
    while (this.names.has(name)) name = `${prefix}_${++this.counter}`;
    this.names.add(name);
    return name;
  }

  /** Declares a float32 graph input; `null` dimensions are symbolic (e.g. batch). */
  addInput(name: string, dims: (number | string | null)[]): string {
    this.inputs.push(valueInfo(name, dims));
    this.names.add(name);
    return name;
  }

  addOutput(name: string, dims: (number | string | null)[]): string {
    this.outputs.push(valueInfo(name, dims));
    return name;
  }

  /** Adds a float32 constant and returns its name. */
  addFloatTensor(name: string, dims: number[], values: ArrayLike<number>): string {
    const size = dims.reduce((a, b) => a * b, 1);
    if (values.length !== size)
      throw new Error(`initializer ${name}: ${values.length} values for dims [${dims}]`);
    const data = Float32Array.from(values);
    const unique = this.uniqueName(name);
    this.initializers.push({
      name: unique,
      dims,
      dataType: onnx.TensorProto.DataType.FLOAT,
      rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    });
    return unique;
  }

  /** Adds an int64 constant (shapes, axes) and returns its name. */
  addInt64Tensor(name: string, dims: number[], values: number[]): string {
    const data = BigInt64Array.from(values.map((v) => BigInt(v)));
    const unique = this.uniqueName(name);
    this.initializers.push({
      name: unique,
      dims,
      dataType: onnx.TensorProto.DataType.INT64,
      rawData: new Uint8Array(data.buffer),
    });
    return unique;
  }

  /**
   * Adds an int8, uint8 or int32 constant (quantised weights, zero points, biases) and returns its
   * name; the element type follows the array type.
   */
  addIntTensor(name: string, dims: number[], values: Int8Array | Uint8Array | Int32Array): string {
    const size = dims.reduce((a, b) => a * b, 1);
    if (values.length !== size)
      throw new Error(`initializer ${name}: ${values.length} values for dims [${dims}]`);
    const T = onnx.TensorProto.DataType;
    const dataType = values instanceof Int8Array ? T.INT8 : values instanceof Uint8Array ? T.UINT8 : T.INT32;
    const unique = this.uniqueName(name);
    this.initializers.push({
      name: unique,
      dims,
      dataType,
      rawData: new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength)),
    });
    return unique;
  }

  /** Adds a node; returns its output names (fresh ones derived from `name` when not given). */
  addNode(
    opType: string,
    inputs: string[],
    options: { name?: string; outputs?: string[] | number; attributes?: Record<string, AttributeValue> } = {},
  ): string[] {
    const nodeName = this.uniqueName(options.name ?? opType);
    const outputs =
      typeof options.outputs === 'object'
        ? options.outputs
        : Array.from({ length: options.outputs ?? 1 }, (_, i) => (i === 0 ? nodeName : `${nodeName}:${i}`));
    for (const o of outputs) this.names.add(o);
    this.nodes.push({
      name: nodeName,
      opType,
      input: inputs,
      output: outputs,
      attribute: Object.entries(options.attributes ?? {}).map(([key, value]) => attribute(key, value)),
    });
    return outputs;
  }

  /** Serialises the model (IR version 8). */
  toBytes(producer = 'face-liveness'): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: producer,
      opsetImport: [{ domain: '', version: this.opset }],
      graph: {
        name: this.graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

function valueInfo(name: string, dims: (number | string | null)[]): OnnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: {
          dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d ?? 'N' })),
        },
      },
    },
  };
}

function attribute(name: string, value: AttributeValue): OnnxProto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof value === 'number') return { name, type: T.INT, i: value };
  if (typeof value === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: T.INTS, ints: value };
  if ('float' in value) return { name, type: T.FLOAT, f: value.float };
  return { name, type: T.FLOATS, floats: value.floats };
}
