import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  backend_util,
  type Conv2DBackpropFilterAttrs,
  type Conv2DBackpropInputAttrs,
  type KernelConfig,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { assertChannelsLast, callKernel, Temporaries } from './call.js';

/** Pads as `[[0,0],[top,bottom],[left,right],[0,0]]` for the wasm convolutions' explicit padding. */
type Explicit = backend_util.ExplicitPadding;
type Conv4 = [number, number, number, number];

/**
 * The filter gradient sum over n,oh,ow of x[n, oh*s+kh-top, ow*s+kw-left, :] * dy[n,oh,ow,:] is a stride-1
 * convolution of (transposed) x with (transposed) dy dilated by the stride. Returns x without the rows and
 * columns past the last window (they are never read: a negative far pad) and the pads of that convolution.
 */
export function filterGradSource(
  backend: BackendWasm,
  temps: Temporaries,
  x: TensorInfo,
  info: backend_util.Conv2DInfo,
): { x: TensorInfo; pad: Explicit } {
  const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw } = info;
  const { inHeight: h, inWidth: w, outHeight: oh, outWidth: ow } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const bottom = kh + (oh - 1) * sh - h - top;
  const right = kw + (ow - 1) * sw - w - left;
  const pad: Explicit = [
    [0, 0],
    [top, Math.max(bottom, 0)],
    [left, Math.max(right, 0)],
    [0, 0],
  ];
  if (bottom >= 0 && right >= 0) return { x, pad };
  const size = [x.shape[0], h + Math.min(bottom, 0), w + Math.min(right, 0), x.shape[3]];
  return { x: temps.keep(callKernel(backend, 'Slice', { x }, { begin: [0, 0, 0, 0], size })), pad };
}

/**
 * dW[kh,kw,ci,co] as one XNNPACK convolution: x transposed to [ci,H,W,n] (batch ci, channels n) convolved with
 * dy transposed to [OH,OW,n,co] (an OHxOW filter, dilated by the stride); output [ci,KH,KW,co].
 */
function conv2DBackpropFilter(args: {
  inputs: { x: TensorInfo; dy: TensorInfo };
  backend: BackendWasm;
  attrs: Conv2DBackpropFilterAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  assertChannelsLast('Conv2DBackpropFilter', attrs.dataFormat);
  const info = backend_util.computeConv2DInfo(
    inputs.x.shape as Conv4,
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const temps = new Temporaries(backend);
  const { x, pad } = filterGradSource(backend, temps, inputs.x, info);
  const xT = temps.keep(callKernel(backend, 'Transpose', { x }, { perm: [3, 1, 2, 0] }));
  const dyT = temps.keep(callKernel(backend, 'Transpose', { x: inputs.dy }, { perm: [1, 2, 0, 3] }));
  const dilations = [info.strideHeight, info.strideWidth];
  const grad = temps.keep(
    callKernel(backend, 'Conv2D', { x: xT, filter: dyT }, { strides: 1, pad, dataFormat: 'NHWC', dilations }),
  );
  const out = callKernel(backend, 'Transpose', { x: grad }, { perm: [1, 2, 0, 3] });
  temps.dispose();
  return out;
}

/**
 * Spreads dy to stride 1: every pixel followed by stride-1 zeros (a no-op for stride 1), the transposed
 * convolution then being an ordinary one. The zeros after the last pixel stay: they count as padding, and
 * cutting them off would cost a strided copy as large as the result.
 */
function zeroInsert(
  backend: BackendWasm,
  temps: Temporaries,
  dy: TensorInfo,
  sh: number,
  sw: number,
): TensorInfo {
  if (sh === 1 && sw === 1) return dy;
  const [n, oh, ow, c] = dy.shape;
  const spread = temps.keep(callKernel(backend, 'Reshape', { x: dy }, { shape: [n, oh, 1, ow, 1, c] }));
  const paddings = [
    [0, 0],
    [0, 0],
    [0, sh - 1],
    [0, 0],
    [0, sw - 1],
    [0, 0],
  ];
  const padded = temps.keep(callKernel(backend, 'PadV2', { x: spread }, { paddings, constantValue: 0 }));
  return temps.keep(callKernel(backend, 'Reshape', { x: padded }, { shape: [n, oh * sh, ow * sw, c] }));
}

/**
 * The input gradient: a stride-1 convolution (`kernelName`: Conv2D or DepthwiseConv2dNative) of the
 * zero-inserted dy with `flipped`, the spatially flipped filter, padded so that the result is exactly
 * inHeight x inWidth; a negative pad (surplus trailing zeros, or pads wider than the filter) becomes a crop.
 */
export function transposedConvolution(
  backend: BackendWasm,
  temps: Temporaries,
  dy: TensorInfo,
  flipped: TensorInfo,
  info: backend_util.Conv2DInfo,
  kernelName: 'Conv2D' | 'DepthwiseConv2dNative',
): TensorInfo {
  const { filterHeight: kh, filterWidth: kw, outHeight: oh, outWidth: ow, inHeight: h, inWidth: w } = info;
  const top = kh - 1 - info.padInfo.top;
  const left = kw - 1 - info.padInfo.left;
  const bottom = h + kh - 1 - top - oh * info.strideHeight;
  const right = w + kw - 1 - left - ow * info.strideWidth;
  const pad: Explicit = [
    [0, 0],
    [Math.max(top, 0), Math.max(bottom, 0)],
    [Math.max(left, 0), Math.max(right, 0)],
    [0, 0],
  ];
  const spread = zeroInsert(backend, temps, dy, info.strideHeight, info.strideWidth);
  const attrs = { strides: 1, pad, dataFormat: 'NHWC', dilations: 1 };
  const y = callKernel(backend, kernelName, { x: spread, filter: flipped }, attrs);
  if (y.shape[1] === h && y.shape[2] === w) return y;
  temps.keep(y);
  const begin = [0, Math.max(-top, 0), Math.max(-left, 0), 0];
  return callKernel(backend, 'Slice', { x: y }, { begin, size: [y.shape[0], h, w, y.shape[3]] });
}

/**
 * dx = stride-1 convolution of the zero-inserted dy with the flipped filter, its in/out channels swapped.
 * Replaces tfjs-backend-wasm's own kernel, a scalar loop about 10x slower than XNNPACK's convolution.
 */
function conv2DBackpropInput(args: {
  inputs: { dy: TensorInfo; filter: TensorInfo };
  backend: BackendWasm;
  attrs: Conv2DBackpropInputAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, filter } = inputs;
  assertChannelsLast('Conv2DBackpropInput', attrs.dataFormat);
  const info = backend_util.computeConv2DInfo(
    attrs.inputShape,
    filter.shape as Conv4,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const temps = new Temporaries(backend);
  const flipped = temps.keep(callKernel(backend, 'Reverse', { x: filter }, { dims: [0, 1] }));
  const swapped = temps.keep(callKernel(backend, 'Transpose', { x: flipped }, { perm: [0, 1, 3, 2] }));
  const out = transposedConvolution(backend, temps, dy, swapped, info, 'Conv2D');
  temps.dispose();
  return out;
}

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as KernelConfig['kernelFunc'],
};

export const conv2DBackpropInputConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropInput',
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInput as unknown as KernelConfig['kernelFunc'],
};
