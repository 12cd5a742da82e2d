import { ModelFormatError } from '@face-liveness/core';
import { type PriorBoxSpec, RES10_SIZE } from '../res10/spec.js';
import { readCaffeModel } from './caffe-model.js';
import { assertRes10Head } from './res10-head.js';
import type { Pads } from './ssd-net.js';
import { foldAffine, SsdNet, toOnnx } from './ssd-net.js';
import type { TextMessage, TextScalar } from './text-format.js';
import { parseTextFormat, TextEnum } from './text-format.js';

export interface CaffeSources {
  /** The network definition (`deploy.prototxt`). */
  prototxt: string;
  /** The weights (`res10_300x300_ssd_iter_140000.caffemodel`). */
  caffemodel: Uint8Array;
  /** Names used in error messages. */
  prototxtName?: string;
  caffemodelName?: string;
}

/** Converts the Caffe form of the res10 SSD (the original project's files) to ONNX. */
export function convertCaffe(sources: CaffeSources): Uint8Array {
  return toOnnx(foldAffine(caffeToSsd(sources)));
}

/** Layers that only reshape the heads; {@link headSources} walks through them. */
const HEAD_TYPES = new Set([
  'Permute',
  'Flatten',
  'Concat',
  'Reshape',
  'Softmax',
  'PriorBox',
  'DetectionOutput',
]);

/** The unfolded network. */
export function caffeToSsd(sources: CaffeSources): SsdNet {
  const prototxtName = sources.prototxtName ?? 'Caffe .prototxt';
  const what = `${prototxtName} + ${sources.caffemodelName ?? 'Caffe .caffemodel'}`;
  const fail = (message: string): never => {
    throw new ModelFormatError(`${what}: ${message}`);
  };
  const proto = parseTextFormat(sources.prototxt, prototxtName);
  const layers = ((proto.layer ?? []) as TextMessage[]).filter((l) => !excludedFromTest(l));
  if (layers.length === 0) fail(`no 'layer' entries (old V1 'layers' prototxt files are not supported)`);
  const weights = readCaffeModel(sources.caffemodel, sources.caffemodelName ?? 'Caffe .caffemodel');

  const inputName = String(proto.input?.[0] ?? 'data');
  const inputDims = ((msg(proto.input_shape?.[0]).dim ?? proto.input_dim ?? []) as number[]).map(Number);
  if (inputDims.length === 4 && (inputDims[2] !== RES10_SIZE || inputDims[3] !== RES10_SIZE)) {
    fail(`input is ${inputDims[2]}x${inputDims[3]}; the res10 detector takes ${RES10_SIZE}x${RES10_SIZE}`);
  }
  const net = new SsdNet(inputName, [3, RES10_SIZE, RES10_SIZE], what);
  // Blob name -> the tensor that currently holds it (in-place layers overwrite blobs).
  const current = new Map<string, string>([[inputName, inputName]]);
  const producer = new Map<string, TextMessage>();
  const blob = (name: string): string =>
    current.get(name) ?? fail(`blob '${name}' is used before any layer produces it`);

  for (const layer of layers) {
    const name = String(layer.name?.[0]);
    const type = String(layer.type?.[0]);
    const bottoms = (layer.bottom ?? []).map(String);
    const tops = (layer.top ?? []).map(String);
    for (const t of tops) producer.set(t, layer);
    if (HEAD_TYPES.has(type)) {
      if (type === 'PriorBox')
        net.priors.push(priorSpec(msg(layer.prior_box_param?.[0]), net.shape(blob(bottoms[0]))[1]));
      if (type === 'DetectionOutput') net.detection = detectionSpec(msg(layer.detection_output_param?.[0]));
      continue;
    }
    if (type === 'Input') continue;
    const blobs = weights.get(name)?.blobs ?? [];
    const need = (count: number) => {
      if (blobs.length < count)
        fail(`layer '${name}' (${type}) needs ${count} weight blobs, the .caffemodel has ${blobs.length}`);
    };
    const x = bottoms.length ? blob(bottoms[0]) : fail(`layer '${name}' has no bottom`);
    let out: string;
    switch (type) {
      case 'Convolution': {
        const p = msg(layer.convolution_param?.[0]);
        if (num(p, 'group', 1) !== 1) fail(`grouped convolution '${name}' is not supported`);
        const biasTerm = p.bias_term?.[0] !== false;
        need(biasTerm ? 2 : 1);
        const [kh, kw] = pair(p, 'kernel_size', 'kernel_h', 'kernel_w', 0);
        const [sh, sw] = pair(p, 'stride', 'stride_h', 'stride_w', 1);
        const [ph, pw] = pair(p, 'pad', 'pad_h', 'pad_w', 0);
        const d = num(p, 'dilation', 1);
        const w = blobs[0];
        const cout = num(p, 'num_output', w.dims[0]);
        const cin = w.data.length / (cout * kh * kw);
        if (!Number.isInteger(cin))
          fail(`layer '${name}': ${w.data.length} weights for ${cout}x?x${kh}x${kw}`);
        out = net.add(name, {
          kind: 'conv',
          input: x,
          weight: w.data,
          dims: [cout, cin, kh, kw],
          bias: biasTerm ? blobs[1].data : new Float32Array(cout),
          strides: [sh, sw],
          pads: [ph, pw, ph, pw],
          dilations: [d, d],
        });
        break;
      }
      case 'BatchNorm': {
        need(3);
        const [mean, variance, factor] = blobs.map((b) => b.data);
        const eps = num(msg(layer.batch_norm_param?.[0]), 'eps', 1e-5);
        // Caffe stores running sums; the third blob is the factor that turns them into averages.
        const s = factor[0] === 0 ? 0 : 1 / factor[0];
        const scale = variance.map((v) => 1 / Math.sqrt(v * s + eps));
        out = net.add(name, { kind: 'affine', input: x, scale, bias: mean.map((m, c) => -m * s * scale[c]) });
        break;
      }
      case 'Scale': {
        if (bottoms.length > 1) fail(`Scale '${name}' with two bottoms is not supported`);
        const biasTerm = msg(layer.scale_param?.[0]).bias_term?.[0] === true;
        need(biasTerm ? 2 : 1);
        const scale = blobs[0].data;
        out = net.add(name, {
          kind: 'affine',
          input: x,
          scale,
          bias: biasTerm ? blobs[1].data : new Float32Array(scale.length),
        });
        break;
      }
      case 'ReLU':
        if (num(msg(layer.relu_param?.[0]), 'negative_slope', 0) !== 0)
          fail(`leaky ReLU '${name}' is not supported`);
        out = net.add(name, { kind: 'relu', input: x });
        break;
      case 'Pooling': {
        const p = msg(layer.pooling_param?.[0]);
        const pool = String(p.pool?.[0] ?? 'MAX');
        if (pool !== 'MAX' || p.global_pooling?.[0] === true)
          fail(`pooling '${name}' (${pool}) is not supported; only MAX`);
        const [kh, kw] = pair(p, 'kernel_size', 'kernel_h', 'kernel_w', 0);
        const [sh, sw] = pair(p, 'stride', 'stride_h', 'stride_w', 1);
        const [ph, pw] = pair(p, 'pad', 'pad_h', 'pad_w', 0);
        const [, h, w] = net.shape(x);
        out = net.add(name, {
          kind: 'maxpool',
          input: x,
          kernel: [kh, kw],
          strides: [sh, sw],
          pads: ceilModePads([h, w], [kh, kw], [sh, sw], [ph, pw]),
        });
        break;
      }
      case 'Eltwise': {
        const p = msg(layer.eltwise_param?.[0]);
        const op = String(p.operation?.[0] ?? 'SUM');
        if (op !== 'SUM' || bottoms.length !== 2 || (p.coeff ?? []).some((c) => c !== 1)) {
          fail(`Eltwise '${name}' must be a plain SUM of two blobs`);
        }
        out = net.add(name, { kind: 'add', inputs: [x, blob(bottoms[1])] });
        break;
      }
      case 'Normalize': {
        const p = msg(layer.norm_param?.[0]);
        if (p.across_spatial?.[0] !== false)
          fail(`Normalize '${name}' across spatial positions is not supported`);
        need(1);
        const channels = net.shape(x)[0];
        const s = blobs[0].data;
        const scale = s.length === 1 ? new Float32Array(channels).fill(s[0]) : s;
        const normed = net.add(`${name}/l2norm`, { kind: 'l2norm', input: x, eps: num(p, 'eps', 1e-10) });
        out = net.add(name, { kind: 'affine', input: normed, scale, bias: new Float32Array(channels) });
        break;
      }
      case 'Dropout':
      case 'Split':
        out = x;
        break;
      default:
        return fail(`layer '${name}' of type ${type} is not supported by this converter`);
    }
    for (const t of tops) current.set(t, out);
  }

  const detection = layers.find((l) => l.type?.[0] === 'DetectionOutput') ?? fail('no DetectionOutput layer');
  const [locBlob, confBlob] = (detection.bottom ?? []).map(String);
  const headBlobs = (top: string) => headSources(top, producer, fail).map(blob);
  net.loc.push(...headBlobs(locBlob));
  net.conf.push(...headBlobs(confBlob));
  if (net.loc.length !== net.priors.length || net.conf.length !== net.priors.length) {
    fail(
      `${net.loc.length} location heads, ${net.conf.length} confidence heads and ${net.priors.length} PriorBox layers`,
    );
  }
  assertRes10Head(net.priors, net.detection, what);
  return net;
}

function excludedFromTest(layer: TextMessage): boolean {
  const include = (layer.include ?? []) as TextMessage[];
  return include.length > 0 && include.every((rule) => String(rule.phase?.[0]) === 'TRAIN');
}

/** The conv blobs feeding a head: Concat of Flatten(Permute 0,2,3,1 (conv)), possibly behind Reshape/Softmax/Flatten. */
function headSources(top: string, producer: Map<string, TextMessage>, fail: (m: string) => never): string[] {
  let layer = producer.get(top);
  while (layer && ['Flatten', 'Softmax', 'Reshape'].includes(String(layer.type?.[0]))) {
    layer = producer.get(String(layer.bottom?.[0]));
  }
  if (!layer || layer.type?.[0] !== 'Concat') return fail(`head '${top}' is not a Concat of flattened blobs`);
  return (layer.bottom ?? []).map((b) => {
    const flat = producer.get(String(b));
    const perm = producer.get(String(flat?.bottom?.[0]));
    const order = (msg(perm?.permute_param?.[0]).order ?? []).map(Number).join();
    if (flat?.type?.[0] !== 'Flatten' || perm?.type?.[0] !== 'Permute' || order !== '0,2,3,1') {
      fail(`head input '${b}' must be Flatten(Permute(order 0,2,3,1))`);
    }
    return String(perm?.bottom?.[0]);
  });
}

function priorSpec(p: TextMessage, featureSize: number): PriorBoxSpec {
  const stepH = num(p, 'step_h', 0);
  return {
    featureSize,
    minSize: num(p, 'min_size', 0),
    maxSize: num(p, 'max_size', 0),
    aspectRatios: (p.aspect_ratio ?? []).map(Number),
    flip: p.flip?.[0] !== false,
    clip: p.clip?.[0] === true,
    step: num(p, 'step', stepH),
    offset: num(p, 'offset', 0.5),
    variance: (p.variance ?? [0.1]).map(Number),
  };
}

function detectionSpec(p: TextMessage) {
  const nms = msg(p.nms_param?.[0]);
  return {
    numClasses: num(p, 'num_classes', 0),
    backgroundLabel: num(p, 'background_label_id', 0),
    nmsThreshold: num(nms, 'nms_threshold', 0.3),
    topK: num(nms, 'top_k', -1),
    keepTopK: num(p, 'keep_top_k', -1),
    confidenceThreshold: num(p, 'confidence_threshold', 0),
    codeType: String(p.code_type?.[0] ?? 'CORNER'),
    shareLocation: p.share_location?.[0] !== false,
  };
}

/** Caffe pools with ceil(); ONNX with floor(): pad the end so that both give the same size. */
function ceilModePads(
  size: [number, number],
  kernel: [number, number],
  strides: [number, number],
  pads: [number, number],
): Pads {
  const extra = (i: number) => {
    let out = Math.ceil((size[i] + 2 * pads[i] - kernel[i]) / strides[i]) + 1;
    // Caffe drops a last window that would start inside the padding.
    if (pads[i] > 0 && (out - 1) * strides[i] >= size[i] + pads[i]) out--;
    return Math.max((out - 1) * strides[i] + kernel[i] - size[i] - 2 * pads[i], 0);
  };
  return [pads[0], pads[1], pads[0] + extra(0), pads[1] + extra(1)];
}

function msg(value: TextScalar | TextMessage | undefined): TextMessage {
  return value !== null && typeof value === 'object' && !(value instanceof TextEnum) ? value : {};
}

function num(m: TextMessage, field: string, fallback: number): number {
  const v = m[field]?.[0];
  return v === undefined ? fallback : Number(v);
}

/** A Caffe size given as `x` (one or two values) or as `x_h` + `x_w`. */
function pair(
  m: TextMessage,
  field: string,
  hField: string,
  wField: string,
  fallback: number,
): [number, number] {
  const values = (m[field] ?? []).map(Number);
  const h = num(m, hField, values[0] ?? fallback);
  const w = num(m, wField, values[1] ?? values[0] ?? fallback);
  return [h, w];
}
