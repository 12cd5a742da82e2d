import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  backend_util,
  type Conv2DBackpropFilterAttrs,
  type Conv2DBackpropInputAttrs,
  type KernelConfig,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { assertChannelsLast, callKernel, Temporaries } from './call.js';

/** Pads as `[[0,0],[top,bottom],[left,right],[0,0]]` for the wasm Conv2D kernel's explicit padding. */
type Explicit = backend_util.ExplicitPadding;

/**
 * dW[kh,kw,ci,co] = sum over n,oh,ow of x[n, oh*s+kh-top, ow*s+kw-left, ci] * dy[n,oh,ow,co].
 * That is a stride-1 convolution of x (transposed to [ci,H,W,n]: batch ci, channels n) with dy (transposed to
 * [OH,OW,n,co]: an OHxOW filter) dilated by the stride, so XNNPACK's convolution does the heavy work.
 */
function conv2DBackpropFilter(args: {
  inputs: { x: TensorInfo; dy: TensorInfo };
  backend: BackendWasm;
  attrs: Conv2DBackpropFilterAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, dy } = inputs;
  assertChannelsLast('Conv2DBackpropFilter', attrs.dataFormat);
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const {
    strideHeight: sh,
    strideWidth: sw,
    filterHeight: kh,
    filterWidth: kw,
    outHeight: oh,
    outWidth: ow,
  } = info;
  const { inHeight: h, inWidth: w, batchSize: n, inChannels: ci } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  // Rows/columns past the last window are never read; a negative far pad means: drop them from x.
  const bottom = kh + (oh - 1) * sh - h - top;
  const right = kw + (ow - 1) * sw - w - left;
  const temps = new Temporaries(backend);
  let xUsed = x;
  if (bottom < 0 || right < 0) {
    xUsed = temps.keep(
      callKernel(
        backend,
        'Slice',
        { x },
        { begin: [0, 0, 0, 0], size: [n, h + Math.min(bottom, 0), w + Math.min(right, 0), ci] },
      ),
    );
  }
  const xT = temps.keep(callKernel(backend, 'Transpose', { x: xUsed }, { perm: [3, 1, 2, 0] }));
  const dyT = temps.keep(callKernel(backend, 'Transpose', { x: dy }, { perm: [1, 2, 0, 3] }));
  const pad: Explicit = [
    [0, 0],
    [top, Math.max(bottom, 0)],
    [left, Math.max(right, 0)],
    [0, 0],
  ];
  const grad = temps.keep(
    callKernel(
      backend,
      'Conv2D',
      { x: xT, filter: dyT },
      { strides: 1, pad, dataFormat: 'NHWC', dilations: [sh, sw] },
    ),
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
 * Pads that make a stride-1 convolution of the zero-inserted dy with the flipped filter produce exactly
 * inHeight x inWidth. A negative pad (surplus trailing zeros, or pads wider than the filter) becomes a crop.
 */
function transposedPads(info: backend_util.Conv2DInfo): { pad: Explicit; crop: [number, number] } {
  const { filterHeight: kh, filterWidth: kw, outHeight: oh, outWidth: ow, inHeight: h, inWidth: w } = info;
  const top = kh - 1 - info.padInfo.top;
  const left = kw - 1 - info.padInfo.left;
  const bottom = h + kh - 1 - top - oh * info.strideHeight;
  const right = w + kw - 1 - left - ow * info.strideWidth;
  return {
    pad: [
      [0, 0],
      [Math.max(top, 0), Math.max(bottom, 0)],
      [Math.max(left, 0), Math.max(right, 0)],
      [0, 0],
    ],
    crop: [Math.max(-top, 0), Math.max(-left, 0)],
  };
}

/** Cuts the inHeight x inWidth window out of a result that negative pads made too large. */
function cropTo(
  backend: BackendWasm,
  temps: Temporaries,
  y: TensorInfo,
  crop: [number, number],
  h: number,
  w: number,
): TensorInfo {
  if (y.shape[1] === h && y.shape[2] === w) return y;
  temps.keep(y);
  return callKernel(
    backend,
    'Slice',
    { x: y },
    { begin: [0, crop[0], crop[1], 0], size: [y.shape[0], h, w, y.shape[3]] },
  );
}

/**
 * dx = stride-1 convolution of the zero-inserted dy with the spatially flipped filter, its in/out channels swapped.
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
    filter.shape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const temps = new Temporaries(backend);
  const spread = zeroInsert(backend, temps, dy, info.strideHeight, info.strideWidth);
  const flipped = temps.keep(callKernel(backend, 'Reverse', { x: filter }, { dims: [0, 1] }));
  const swapped = temps.keep(callKernel(backend, 'Transpose', { x: flipped }, { perm: [0, 1, 3, 2] }));
  const { pad, crop } = transposedPads(info);
  const y = callKernel(
    backend,
    'Conv2D',
    { x: spread, filter: swapped },
    { strides: 1, pad, dataFormat: 'NHWC', dilations: 1 },
  );
  const out = cropTo(backend, temps, y, crop, info.inHeight, info.inWidth);
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
