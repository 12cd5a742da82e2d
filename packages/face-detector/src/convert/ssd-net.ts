import { ModelFormatError } from '@face-liveness/core';
import { GraphBuilder } from '../onnx/graph-builder.js';
import type { DetectionOutputSpec, PriorBoxSpec } from '../res10/spec.js';

/** [top, left, bottom, right] zero padding. */
export type Pads = [number, number, number, number];

/** Convolution with OIHW weights (always carries a bias, zeros when the source has none). */
export interface ConvLayer {
  kind: 'conv';
  input: string;
  weight: Float32Array;
  dims: [out: number, channels: number, kh: number, kw: number];
  bias: Float32Array;
  strides: [number, number];
  pads: Pads;
  dilations: [number, number];
}
/** Per-channel `x * scale + bias`: BatchNorm, Scale, BiasAdd and Mul all become this. */
export interface AffineLayer {
  kind: 'affine';
  input: string;
  scale: Float32Array;
  bias: Float32Array;
}
export interface MaxPoolLayer {
  kind: 'maxpool';
  input: string;
  kernel: [number, number];
  strides: [number, number];
  pads: Pads;
}
/** L2 normalisation across channels: `x / sqrt(sum(x^2) + eps)`. */
export interface L2NormLayer {
  kind: 'l2norm';
  input: string;
  eps: number;
}
export type Layer =
  | ConvLayer
  | AffineLayer
  | MaxPoolLayer
  | L2NormLayer
  | { kind: 'relu'; input: string }
  | { kind: 'add'; inputs: [string, string] };

/** One SSD PriorBox layer, as Caffe and OpenCV define its parameters. */
export function inputsOf(layer: Layer): string[] {
  return layer.kind === 'add' ? layer.inputs : [layer.input];
}

/**
 * A framework-neutral SSD network in NCHW: the converters (TensorFlow, Caffe) describe the body with
 * it, then {@link toOnnx} writes the ONNX graph up to the heads. Layers are kept in insertion order,
 * which must be topological.
 */
export class SsdNet {
  readonly layers = new Map<string, Layer>();
  readonly loc: string[] = [];
  readonly conf: string[] = [];
  readonly priors: PriorBoxSpec[] = [];
  detection?: DetectionOutputSpec;
  private readonly shapes = new Map<string, [number, number, number]>();

  constructor(
    readonly input: string,
    inputShape: [channels: number, height: number, width: number],
    readonly what: string,
  ) {
    this.shapes.set(input, inputShape);
  }

  add(name: string, layer: Layer): string {
    if (this.layers.has(name) || name === this.input)
      throw new ModelFormatError(`${this.what}: layer '${name}' is defined twice`);
    for (const i of inputsOf(layer)) this.shape(i);
    this.layers.set(name, layer);
    this.shapes.set(name, this.outputShape(name, layer));
    return name;
  }

  /** [channels, height, width] of a tensor. */
  shape(name: string): [number, number, number] {
    const shape = this.shapes.get(name);
    if (!shape) throw new ModelFormatError(`${this.what}: tensor '${name}' is used before it is defined`);
    return shape;
  }

  private outputShape(name: string, layer: Layer): [number, number, number] {
    const fail = (why: string): never => {
      throw new ModelFormatError(`${this.what}: layer '${name}': ${why}`);
    };
    switch (layer.kind) {
      case 'conv':
      case 'maxpool': {
        const [c, h, w] = this.shape(layer.input);
        const [kh, kw] = layer.kind === 'conv' ? [layer.dims[2], layer.dims[3]] : layer.kernel;
        const [dh, dw] = layer.kind === 'conv' ? layer.dilations : [1, 1];
        if (layer.kind === 'conv' && layer.dims[1] !== c)
          fail(`weights expect ${layer.dims[1]} input channels, got ${c}`);
        const out = (size: number, k: number, d: number, s: number, p: number) =>
          Math.floor((size + p - d * (k - 1) - 1) / s) + 1;
        const oh = out(h, kh, dh, layer.strides[0], layer.pads[0] + layer.pads[2]);
        const ow = out(w, kw, dw, layer.strides[1], layer.pads[1] + layer.pads[3]);
        if (oh <= 0 || ow <= 0) fail(`output size ${oh}x${ow}`);
        return [layer.kind === 'conv' ? layer.dims[0] : c, oh, ow];
      }
      case 'affine': {
        const shape = this.shape(layer.input);
        if (layer.scale.length !== shape[0] || layer.bias.length !== shape[0]) {
          fail(`${layer.scale.length} scales for ${shape[0]} channels`);
        }
        return shape;
      }
      case 'add': {
        const [a, b] = layer.inputs.map((i) => this.shape(i));
        if (a.join() !== b.join()) fail(`adds tensors of shapes [${a}] and [${b}]`);
        return a;
      }
      default:
        return this.shape(layer.input);
    }
  }
}

function consumers(net: SsdNet): Map<string, string[]> {
  const users = new Map<string, string[]>();
  for (const [name, layer] of net.layers) {
    for (const i of inputsOf(layer)) users.set(i, [...(users.get(i) ?? []), name]);
  }
  for (const head of [...net.loc, ...net.conf]) users.set(head, [...(users.get(head) ?? []), '<output>']);
  return users;
}

/**
 * Folds per-channel affine layers into neighbouring convolutions where that is exact:
 * into the convolution that feeds them (sole consumer), and, for a pure scale, into every
 * convolution that reads them (zero padding stays zero after scaling).
 */
export function foldAffine(net: SsdNet): SsdNet {
  const alias = new Map<string, string>();
  const resolve = (name: string): string => alias.get(name) ?? name;
  const users = consumers(net);
  const layers = new Map<string, Layer>();
  const inputScale = new Map<string, Float32Array>();
  for (const [name, original] of net.layers) {
    let layer = renameInputs(original, resolve);
    if (layer.kind === 'affine') {
      const source = layers.get(layer.input);
      if ((source?.kind === 'conv' || source?.kind === 'affine') && users.get(layer.input)?.length === 1) {
        layers.set(layer.input, mergeAffine(source, layer));
        alias.set(name, layer.input);
        continue;
      }
      const readers = users.get(name) ?? [];
      const pureScale = layer.bias.every((b) => b === 0);
      if (pureScale && readers.length > 0 && readers.every((r) => net.layers.get(r)?.kind === 'conv')) {
        alias.set(name, layer.input);
        inputScale.set(name, layer.scale);
        continue;
      }
    }
    const scale = original.kind === 'conv' ? inputScale.get(original.input) : undefined;
    if (layer.kind === 'conv' && scale) layer = scaleConvInput(layer, scale);
    layers.set(name, layer);
  }
  const folded = new SsdNet(net.input, net.shape(net.input), net.what);
  for (const [name, layer] of layers) folded.add(name, layer);
  folded.loc.push(...net.loc.map(resolve));
  folded.conf.push(...net.conf.map(resolve));
  folded.priors.push(...net.priors);
  folded.detection = net.detection;
  return folded;
}

function renameInputs(layer: Layer, resolve: (name: string) => string): Layer {
  if (layer.kind === 'add') return { ...layer, inputs: [resolve(layer.inputs[0]), resolve(layer.inputs[1])] };
  return { ...layer, input: resolve(layer.input) };
}

function mergeAffine(source: ConvLayer | AffineLayer, affine: AffineLayer): Layer {
  const { scale, bias } = affine;
  const newBias = source.bias.map((b, c) => b * scale[c] + bias[c]);
  if (source.kind === 'affine') {
    return { ...source, scale: source.scale.map((s, c) => s * scale[c]), bias: newBias };
  }
  const perOut = source.weight.length / source.dims[0];
  const weight = source.weight.map((w, i) => w * scale[Math.floor(i / perOut)]);
  return { ...source, weight, bias: newBias };
}

function scaleConvInput(conv: ConvLayer, scale: Float32Array): ConvLayer {
  const [, inCh, kh, kw] = conv.dims;
  const k = kh * kw;
  const weight = conv.weight.map((w, i) => w * scale[Math.floor(i / k) % inCh]);
  return { ...conv, weight };
}

/**
 * Writes the network as ONNX: input `data` [1, C, H, W] (BGR minus mean), outputs `loc` [1, N, 4]
 * (raw box offsets) and `conf` [1, N, classes] (class probabilities, the softmax of the logits),
 * N priors in Caffe's order.
 */
export function toOnnx(net: SsdNet, options: OnnxOptions = {}): Uint8Array {
  const g = new GraphBuilder('res10_ssd', 17);
  const [c, h, w] = net.shape(net.input);
  const names = new Map<string, string>([[net.input, g.addInput('data', [1, c, h, w])]]);
  const get = (name: string): string => names.get(name) as string;
  const quantizer = options.ranges ? new Quantizer(g, net, options.ranges) : undefined;
  const classes = net.detection?.numClasses ?? 2;
  // Two-class heads that are convolutions read only as outputs can end in a sigmoid instead.
  const users = consumers(net);
  const sigmoid =
    classes === 2 &&
    net.conf.every((n) => net.layers.get(n)?.kind === 'conv' && users.get(n)?.join() === '<output>');
  const pairHeads = new Set(sigmoid ? net.conf : []);
  for (const [name, original] of net.layers) {
    const layer = pairHeads.has(name) && original.kind === 'conv' ? logitDifferences(original) : original;
    let out: string;
    switch (layer.kind) {
      case 'conv': {
        const { W, B } = quantizer?.convWeights(name, layer) ?? {
          W: g.addFloatTensor(`${name}/W`, layer.dims, layer.weight),
          B: g.addFloatTensor(`${name}/B`, [layer.dims[0]], layer.bias),
        };
        [out] = g.addNode('Conv', [get(layer.input), W, B], {
          name,
          attributes: {
            kernel_shape: [layer.dims[2], layer.dims[3]],
            strides: layer.strides,
            pads: [layer.pads[0], layer.pads[1], layer.pads[2], layer.pads[3]],
            dilations: layer.dilations,
          },
        });
        break;
      }
      case 'affine': {
        const channels = layer.scale.length;
        const S = g.addFloatTensor(`${name}/scale`, [channels, 1, 1], layer.scale);
        const B = g.addFloatTensor(`${name}/bias`, [channels, 1, 1], layer.bias);
        const [scaled] = g.addNode('Mul', [get(layer.input), S], { name: `${name}/mul` });
        [out] = g.addNode('Add', [scaled, B], { name });
        break;
      }
      case 'maxpool':
        [out] = g.addNode('MaxPool', [get(layer.input)], {
          name,
          attributes: {
            kernel_shape: layer.kernel,
            strides: layer.strides,
            pads: [layer.pads[0], layer.pads[1], layer.pads[2], layer.pads[3]],
          },
        });
        break;
      case 'l2norm': {
        const [sum] = g.addNode('ReduceSumSquare', [get(layer.input)], {
          name: `${name}/sumsq`,
          attributes: { axes: [1], keepdims: 1 },
        });
        const eps = g.addFloatTensor(`${name}/eps`, [], [layer.eps]);
        const [sumEps] = g.addNode('Add', [sum, eps], { name: `${name}/add_eps` });
        const [norm] = g.addNode('Sqrt', [sumEps], { name: `${name}/norm` });
        [out] = g.addNode('Div', [get(layer.input), norm], { name });
        break;
      }
      case 'relu':
        [out] = g.addNode('Relu', [get(layer.input)], { name });
        break;
      case 'add':
        [out] = g.addNode('Add', [get(layer.inputs[0]), get(layer.inputs[1])], { name });
        break;
    }
    if (options.probes) {
      const [probe] = g.addNode('Identity', [out], { outputs: [`probe:${name}`] });
      g.addOutput(probe, [1, ...net.shape(name)]);
    }
    names.set(name, quantizer?.output(name, layer, out) ?? out);
  }
  const heads = (tensors: string[], width: number, prefix: string): string => {
    const shape = g.addInt64Tensor(`${prefix}/shape`, [3], [1, -1, width]);
    const flat = tensors.map((t, i) => {
      const [nhwc] = g.addNode('Transpose', [get(t)], {
        name: `${prefix}/perm_${i}`,
        attributes: { perm: [0, 2, 3, 1] },
      });
      return g.addNode('Reshape', [nhwc, shape], { name: `${prefix}/flat_${i}` })[0];
    });
    return g.addNode('Concat', flat, { name: `${prefix}/concat`, attributes: { axis: 1 } })[0];
  };
  const count = net.priors.reduce((n, p) => n + p.featureSize ** 2 * priorsPerCell(p), 0);
  const loc = heads(net.loc, 4, 'mbox_loc');
  g.addNode('Identity', [loc], { outputs: ['loc'] });
  const conf = heads(net.conf, classes, 'mbox_conf');
  if (sigmoid) g.addNode('Sigmoid', [conf], { outputs: ['conf'] });
  else g.addNode('Softmax', [conf], { outputs: ['conf'], attributes: { axis: 2 } });
  g.addOutput('loc', [1, count, 4]);
  g.addOutput('conf', [1, count, classes]);
  return g.toBytes('face-liveness res10 converter');
}

/**
 * A two-class head rewritten to output (l0 - l1, l1 - l0) instead of the logits (l0, l1): their
 * sigmoids are the softmax of the logits, and ONNX Runtime's Sigmoid over the concatenated heads
 * costs a tenth of its Softmax over 8892 pairs.
 */
function logitDifferences(conv: ConvLayer): ConvLayer {
  const per = conv.weight.length / conv.dims[0];
  const weight = new Float32Array(conv.weight.length);
  const bias = new Float32Array(conv.bias.length);
  for (let o = 0; o < conv.dims[0]; o += 2) {
    for (let i = 0; i < per; i++) {
      weight[o * per + i] = conv.weight[o * per + i] - conv.weight[(o + 1) * per + i];
      weight[(o + 1) * per + i] = -weight[o * per + i];
    }
    bias[o] = conv.bias[o] - conv.bias[o + 1];
    bias[o + 1] = -bias[o];
  }
  return { ...conv, weight, bias };
}

export interface OnnxOptions {
  /** Also output every layer's tensor as `probe:<layer>` (to calibrate quantisation). */
  probes?: boolean;
  /**
   * Observed [min, max] of layer outputs: write a QDQ int8 model (per-channel symmetric int8
   * weights, uint8 activations) that ONNX Runtime fuses into QLinearConv/QLinearAdd.
   */
  ranges?: Map<string, [number, number]>;
}

/**
 * Places QuantizeLinear/DequantizeLinear pairs so that ONNX Runtime's QDQ fusion applies: after
 * each layer output except those read only by a ReLU (the ReLU's own output is quantised with
 * zero point 0, which lets ORT drop the ReLU) and except the head outputs, which stay float;
 * max pooling keeps its input's parameters. Convolutions reading a quantised tensor get int8
 * weights and int32 biases.
 */
class Quantizer {
  private readonly params = new Map<string, { scale: number; zeroPoint: number }>();
  private readonly users: Map<string, string[]>;
  private readonly heads: Set<string>;

  constructor(
    private readonly g: GraphBuilder,
    private readonly net: SsdNet,
    private readonly ranges: Map<string, [number, number]>,
  ) {
    this.users = consumers(net);
    this.heads = new Set([...net.loc, ...net.conf]);
  }

  convWeights(name: string, conv: ConvLayer): { W: string; B: string } | undefined {
    const input = this.params.get(conv.input);
    if (!input) return undefined;
    const out = conv.dims[0];
    const per = conv.weight.length / out;
    const wScale = new Float32Array(out);
    const wq = new Int8Array(conv.weight.length);
    for (let o = 0; o < out; o++) {
      let max = 0;
      for (let i = o * per; i < (o + 1) * per; i++) max = Math.max(max, Math.abs(conv.weight[i]));
      const s = max > 0 ? max / 127 : 1;
      wScale[o] = s;
      for (let i = o * per; i < (o + 1) * per; i++)
        wq[i] = Math.max(-127, Math.min(127, Math.round(conv.weight[i] / s)));
    }
    const bScale = wScale.map((s) => s * input.scale);
    const bq = Int32Array.from(conv.bias, (b, o) => Math.round(b / bScale[o]));
    const dq = (
      suffix: string,
      q: Int8Array | Int32Array,
      dims: number[],
      scale: Float32Array,
      zero: Int8Array | Int32Array,
    ) =>
      this.g.addNode(
        'DequantizeLinear',
        [
          this.g.addIntTensor(`${name}/${suffix}_q`, dims, q),
          this.g.addFloatTensor(`${name}/${suffix}_scale`, [out], scale),
          this.g.addIntTensor(`${name}/${suffix}_zp`, [out], zero),
        ],
        { name: `${name}/${suffix}_dq`, attributes: { axis: 0 } },
      )[0];
    return {
      W: dq('W', wq, conv.dims, wScale, new Int8Array(out)),
      B: dq('B', bq, [out], bScale, new Int32Array(out)),
    };
  }

  /** The tensor consumers should read for `name`: a QDQ'd copy of `out` or `out` itself. */
  output(name: string, layer: Layer, out: string): string {
    const readers = this.users.get(name) ?? [];
    const readByReluOnly = readers.length === 1 && this.net.layers.get(readers[0])?.kind === 'relu';
    if (this.heads.has(name) || readByReluOnly) return out;
    let range = this.ranges.get(name);
    if (layer.kind === 'maxpool') range = this.ranges.get(layer.input) ?? range;
    if (!range) return out;
    const lo = Math.min(range[0], 0);
    const hi = Math.max(range[1], lo + 1e-6);
    const scale = (hi - lo) / 255;
    const zeroPoint = Math.max(0, Math.min(255, Math.round(-lo / scale)));
    const S = this.g.addFloatTensor(`${name}/q_scale`, [], [scale]);
    const Z = this.g.addIntTensor(`${name}/q_zp`, [], Uint8Array.of(zeroPoint));
    const [q] = this.g.addNode('QuantizeLinear', [out, S, Z], { name: `${name}/quantize` });
    const [dq] = this.g.addNode('DequantizeLinear', [q, S, Z], { name: `${name}/dequantize` });
    this.params.set(name, { scale, zeroPoint });
    return dq;
  }
}

/** Boxes per feature-map cell: min size, sqrt(min*max), then each aspect ratio (and its flip). */
export function priorsPerCell(p: Pick<PriorBoxSpec, 'maxSize' | 'aspectRatios' | 'flip'>): number {
  const ratios = p.aspectRatios.filter((r) => Math.abs(r - 1) > 1e-6).length;
  return 1 + (p.maxSize > 0 ? 1 : 0) + ratios * (p.flip ? 2 : 1);
}
