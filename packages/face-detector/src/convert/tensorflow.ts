import { ModelFormatError } from '@face-liveness/core';
import { type PriorBoxSpec, RES10_SIZE } from '../res10/spec.js';
import { assertRes10Head } from './res10-head.js';
import type { Pads } from './ssd-net.js';
import { foldAffine, SsdNet, toOnnx } from './ssd-net.js';
import type { TfAttr, TfNode, TfTensor } from './tf-graph.js';
import { readGraphDef, readTextGraph } from './tf-graph.js';

export interface TensorflowSources {
  /** Binary GraphDef holding the weights (`opencv_face_detector_uint8.pb`). */
  pb: Uint8Array;
  /** OpenCV's text graph describing the network (`opencv_face_detector.pbtxt`). */
  pbtxt: string;
  /** Names used in error messages. */
  pbName?: string;
  pbtxtName?: string;
}

/**
 * Converts OpenCV's TensorFlow form of the res10 SSD (text graph + uint8-quantised weights) to
 * ONNX, the way OpenCV's importer reads it: weights dequantised as OpenCV does (MIN_FIRST),
 * `SpaceToBatchND` + `Conv2D` read as a padded (dilated) convolution, the network up to the heads.
 */
export function convertTensorflow(sources: TensorflowSources): Uint8Array {
  return toOnnx(foldAffine(tensorflowToSsd(sources)));
}

/** The unfolded network, for tests and other exporters. */
export function tensorflowToSsd(sources: TensorflowSources): SsdNet {
  const pbName = sources.pbName ?? 'TensorFlow .pb';
  const pbtxtName = sources.pbtxtName ?? 'TensorFlow .pbtxt';
  const graph = readTextGraph(sources.pbtxt, pbtxtName);
  const weights = new Map(readGraphDef(sources.pb, pbName).map((n) => [n.name, n]));
  const nodes = new Map(graph.map((n) => [n.name, n]));
  const what = `${pbtxtName} + ${pbName}`;
  const fail = (message: string): never => {
    throw new ModelFormatError(`${what}: ${message}`);
  };

  const node = (name: string): TfNode =>
    nodes.get(name) ?? weights.get(name) ?? fail(`node '${name}' is missing`);
  const constant = constantReader(node, fail);
  const floats = (name: string): Float32Array => Float32Array.from(constant(name).values);
  const isConstant = (name: string) => ['Const', 'Dequantize'].includes(node(name).op);

  const input = graph.find((n) => n.op === 'Placeholder') ?? fail('no Placeholder input node');
  const net = new SsdNet(input.name, [3, RES10_SIZE, RES10_SIZE], what);
  const built = new Map<string, string>([[input.name, input.name]]);
  // SpaceToBatchND nodes waiting for the convolution they pad: input, pads, dilation.
  const spaceToBatch = new Map<
    string,
    { input: string; pad: [number, number]; dilation: [number, number] }
  >();

  const tensor = (name: string): string => {
    const done = built.get(name);
    if (done !== undefined) return done;
    const result = build(node(name));
    built.set(name, result);
    return result;
  };

  const build = (n: TfNode): string => {
    const perChannel = (values: Float32Array, x: string) =>
      values.length === 1 ? new Float32Array(net.shape(x)[0]).fill(values[0]) : values;
    switch (n.op) {
      case 'FusedBatchNorm': {
        // OpenCV reads the fourth input as the variance, whatever its name.
        const x = tensor(n.inputs[0]);
        const [gamma, beta, mean, variance] = n.inputs.slice(1).map(floats);
        const eps = numberAttr(n.attr.epsilon) ?? 1e-3;
        const scale = gamma.map((g, c) => g / Math.sqrt(variance[c] + eps));
        const bias = beta.map((b, c) => b - mean[c] * scale[c]);
        return net.add(n.name, { kind: 'affine', input: x, scale, bias });
      }
      case 'Mul':
      case 'BiasAdd':
      case 'Add':
      case 'AddV2': {
        const constIndex = n.inputs.findIndex(isConstant);
        if (constIndex < 0) {
          if (n.op === 'Mul') fail(`Mul '${n.name}' of two tensors is not supported`);
          return net.add(n.name, { kind: 'add', inputs: [tensor(n.inputs[0]), tensor(n.inputs[1])] });
        }
        const x = tensor(n.inputs[1 - constIndex]);
        const values = perChannel(floats(n.inputs[constIndex]), x);
        const ones = new Float32Array(values.length).fill(1);
        const zeros = new Float32Array(values.length);
        return net.add(n.name, {
          kind: 'affine',
          input: x,
          scale: n.op === 'Mul' ? values : ones,
          bias: n.op === 'Mul' ? zeros : values,
        });
      }
      case 'Relu':
        return net.add(n.name, { kind: 'relu', input: tensor(n.inputs[0]) });
      case 'SpaceToBatchND': {
        const block = constant(n.inputs[1]).values;
        const paddings = constant(n.inputs[2]).values;
        // OpenCV's importer pads symmetrically by the leading paddings; the trailing ones and the
        // crops of BatchToSpaceND only make the shape divisible by the block.
        spaceToBatch.set(n.name, {
          input: tensor(n.inputs[0]),
          pad: [paddings[0], paddings[2]],
          dilation: [block[0], block[1]],
        });
        return n.name;
      }
      case 'BatchToSpaceND':
        return tensor(n.inputs[0]);
      case 'Conv2D': {
        const w = constant(n.inputs[1]);
        if (w.dims.length !== 4) fail(`Conv2D '${n.name}' weights have dims [${w.dims}]`);
        const [kh, kw, cin, cout] = w.dims;
        const weight = new Float32Array(w.values.length);
        for (let y = 0; y < kh; y++)
          for (let x = 0; x < kw; x++)
            for (let i = 0; i < cin; i++)
              for (let o = 0; o < cout; o++)
                weight[((o * cin + i) * kh + y) * kw + x] = w.values[((y * kw + x) * cin + i) * cout + o];
        const strides = listAttr(n.attr.strides, [1, 1, 1, 1]);
        const dil = listAttr(n.attr.dilations, [1, 1, 1, 1]);
        const source = tensor(n.inputs[0]);
        const padded = spaceToBatch.get(source);
        const x = padded ? padded.input : source;
        const dilations: [number, number] = padded ? padded.dilation : [dil[1], dil[2]];
        let pads: Pads = padded ? [padded.pad[0], padded.pad[1], padded.pad[0], padded.pad[1]] : [0, 0, 0, 0];
        if (stringAttr(n.attr.padding) === 'SAME') {
          const [, h, wd] = net.shape(x);
          pads = samePads([h, wd], [kh, kw], [strides[1], strides[2]], dilations);
        }
        return net.add(n.name, {
          kind: 'conv',
          input: x,
          weight,
          dims: [cout, cin, kh, kw],
          bias: new Float32Array(cout),
          strides: [strides[1], strides[2]],
          pads,
          dilations,
        });
      }
      case 'MaxPool': {
        const x = tensor(n.inputs[0]);
        const k = listAttr(n.attr.ksize, []);
        const s = listAttr(n.attr.strides, []);
        const [, h, w] = net.shape(x);
        const pads: Pads =
          stringAttr(n.attr.padding) === 'SAME'
            ? samePads([h, w], [k[1], k[2]], [s[1], s[2]], [1, 1])
            : [0, 0, 0, 0];
        return net.add(n.name, {
          kind: 'maxpool',
          input: x,
          kernel: [k[1], k[2]],
          strides: [s[1], s[2]],
          pads,
        });
      }
      case 'L2Normalize': {
        const axes = Array.from(constant(n.inputs[1]).values);
        if (axes.length !== 1 || axes[0] !== 3)
          fail(`L2Normalize '${n.name}' over axes [${axes}]; only channels (3) is supported`);
        return net.add(n.name, { kind: 'l2norm', input: tensor(n.inputs[0]), eps: 1e-10 });
      }
      default:
        return fail(`operation ${n.op} ('${n.name}') is not supported by this converter`);
    }
  };

  const detection = graph.find((n) => n.op === 'DetectionOutput') ?? fail('no DetectionOutput node');
  const [locName, confName, priorName] = detection.inputs;
  net.loc.push(...headSources(locName, node).map(tensor));
  net.conf.push(...headSources(confName, node).map(tensor));
  for (const p of node(priorName).inputs.filter((i) => node(i).op === 'PriorBox')) {
    const pb = node(p);
    net.priors.push(priorSpec(pb, net.shape(tensor(pb.inputs[0]))[1]));
  }
  const a = detection.attr;
  net.detection = {
    numClasses: numberAttr(a.num_classes) ?? 0,
    backgroundLabel: numberAttr(a.background_label_id) ?? 0,
    nmsThreshold: numberAttr(a.nms_threshold) ?? 0.45,
    topK: numberAttr(a.top_k) ?? 400,
    keepTopK: numberAttr(a.keep_top_k) ?? 200,
    confidenceThreshold: numberAttr(a.confidence_threshold) ?? 0.01,
    codeType: stringAttr(a.code_type) ?? 'CENTER_SIZE',
    shareLocation: (a.share_location as { b?: boolean } | undefined)?.b ?? true,
  };
  if (net.loc.length !== net.priors.length || net.conf.length !== net.priors.length) {
    fail(
      `${net.loc.length} location heads, ${net.conf.length} confidence heads and ${net.priors.length} PriorBox layers`,
    );
  }
  assertRes10Head(net.priors, net.detection, what);
  return net;
}

/**
 * The weights of a binary GraphDef by node name, dequantised as OpenCV does: for tools that
 * re-export them (e.g. tests writing a Caffe model from the TensorFlow weights).
 */
export function readTensorflowWeights(pb: Uint8Array, what = 'TensorFlow .pb'): (name: string) => TfTensor {
  const nodes = new Map(readGraphDef(pb, what).map((n) => [n.name, n]));
  const fail = (message: string): never => {
    throw new ModelFormatError(`${what}: ${message}`);
  };
  return constantReader((name) => nodes.get(name) ?? fail(`node '${name}' is missing`), fail);
}

function constantReader(
  node: (name: string) => TfNode,
  fail: (m: string) => never,
): (name: string) => TfTensor {
  const constant = (name: string): TfTensor => {
    const n = node(name);
    if (n.op === 'Const') return tensorAttr(n.attr.value) ?? fail(`Const '${name}' has no value`);
    if (n.op === 'Dequantize') return dequantize(n, constant, fail);
    if (n.op === 'Identity') return constant(n.inputs[0]);
    return fail(`'${name}' (${n.op}) is not a constant`);
  };
  return constant;
}

/** The tensors flattened into a head: follows Flatten/Softmax/Reshape back to ConcatV2. */
function headSources(name: string, node: (name: string) => TfNode): string[] {
  let n = node(name);
  while (['Flatten', 'Softmax', 'Reshape'].includes(n.op)) n = node(n.inputs[0]);
  if (n.op !== 'ConcatV2')
    throw new ModelFormatError(`head '${name}' does not end in a ConcatV2 of flattened tensors`);
  return n.inputs
    .filter((i) => node(i).op !== 'Const')
    .map((i) => {
      const flat = node(i);
      return flat.op === 'Flatten' || flat.op === 'Reshape' ? flat.inputs[0] : i;
    });
}

function priorSpec(n: TfNode, featureSize: number): PriorBoxSpec {
  const list = (attr: TfAttr | undefined) => Array.from(tensorAttr(attr)?.values ?? []);
  return {
    featureSize,
    minSize: numberAttr(n.attr.min_size) ?? 0,
    maxSize: numberAttr(n.attr.max_size) ?? 0,
    aspectRatios: list(n.attr.aspect_ratio),
    flip: (n.attr.flip as { b?: boolean } | undefined)?.b ?? true,
    clip: (n.attr.clip as { b?: boolean } | undefined)?.b ?? false,
    step: numberAttr(n.attr.step) ?? 0,
    offset: numberAttr(n.attr.offset) ?? 0.5,
    variance: list(n.attr.variance),
  };
}

/** TensorFlow's SAME padding (the extra pixel, if any, goes at the end). */
function samePads(
  size: [number, number],
  kernel: [number, number],
  strides: [number, number],
  dilations: [number, number],
): Pads {
  const one = (i: number) => {
    const out = Math.ceil(size[i] / strides[i]);
    const total = Math.max((out - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - size[i], 0);
    return [Math.floor(total / 2), total - Math.floor(total / 2)];
  };
  const [t, b] = one(0);
  const [l, r] = one(1);
  return [t, l, b, r];
}

/** Dequantize as OpenCV's TensorFlow importer does (MIN_FIRST, min snapped to the step grid). */
function dequantize(n: TfNode, constant: (name: string) => TfTensor, fail: (m: string) => never): TfTensor {
  const mode = stringAttr(n.attr.mode) ?? 'MIN_COMBINED';
  if (mode !== 'MIN_FIRST') fail(`Dequantize '${n.name}' uses mode ${mode}; only MIN_FIRST is supported`);
  const q = constant(n.inputs[0]);
  if (!(q.values instanceof Uint8Array)) fail(`Dequantize '${n.name}' input is not uint8`);
  const min = constant(n.inputs[1]).values[0];
  const max = constant(n.inputs[2]).values[0];
  const scale = Math.fround((max - min) / 255);
  if (!(scale >= 0)) fail(`Dequantize '${n.name}' has range [${min}, ${max}]`);
  const offset = scale > 0 ? Math.fround(scale * roundHalfEven(min / scale)) : min;
  return { dtype: 1, dims: q.dims, values: Float32Array.from(q.values, (v) => v * scale + offset) };
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function tensorAttr(attr: TfAttr | undefined): TfTensor | undefined {
  return attr && 'tensor' in attr ? attr.tensor : undefined;
}
function numberAttr(attr: TfAttr | undefined): number | undefined {
  if (!attr) return undefined;
  if ('i' in attr) return attr.i;
  if ('f' in attr) return attr.f;
  return undefined;
}
function stringAttr(attr: TfAttr | undefined): string | undefined {
  return attr && 's' in attr ? attr.s : undefined;
}
function listAttr(attr: TfAttr | undefined, fallback: number[]): number[] {
  return attr && 'list' in attr && attr.list.i.length > 0 ? attr.list.i : fallback;
}
