import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  backend_util,
  type DepthwiseConv2dNativeBackpropFilterAttrs,
  type DepthwiseConv2dNativeBackpropInputAttrs,
  type KernelConfig,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { callKernel, heapF32, Temporaries } from './call.js';
import { filterGradSource, transposedConvolution } from './conv2d-grad.js';

// With channel multiplier 1 and no dilation (the usual depthwise layer) the gradients are depthwise
// convolutions again and run on XNNPACK; other cases use the plain loops below (about 5 ns per multiply-add).

type Conv4 = [number, number, number, number];

/** Visits every (dy pixel, filter tap) pair whose input pixel lies inside x, with the flat offsets of each. */
function forEachTap(
  info: backend_util.Conv2DInfo,
  visit: (xOffset: number, dyOffset: number, wOffset: number) => void,
): void {
  const {
    batchSize,
    inHeight,
    inWidth,
    inChannels,
    outHeight,
    outWidth,
    outChannels,
    filterHeight,
    filterWidth,
  } = info;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  for (let b = 0; b < batchSize; b++) {
    for (let yr = 0; yr < outHeight; yr++) {
      for (let yc = 0; yc < outWidth; yc++) {
        const dyOffset = ((b * outHeight + yr) * outWidth + yc) * outChannels;
        for (let fr = 0; fr < filterHeight; fr++) {
          const xr = yr * strideHeight + fr * dilationHeight - top;
          if (xr < 0 || xr >= inHeight) continue;
          for (let fc = 0; fc < filterWidth; fc++) {
            const xc = yc * strideWidth + fc * dilationWidth - left;
            if (xc < 0 || xc >= inWidth) continue;
            visit(
              ((b * inHeight + xr) * inWidth + xc) * inChannels,
              dyOffset,
              (fr * filterWidth + fc) * outChannels,
            );
          }
        }
      }
    }
  }
}

/** Geometry of the depthwise convolution x (xShape) * filter (filterShape) that a gradient kernel inverts. */
function geometry(
  xShape: number[],
  filterShape: number[],
  attrs: DepthwiseConv2dNativeBackpropFilterAttrs | DepthwiseConv2dNativeBackpropInputAttrs,
): { info: backend_util.Conv2DInfo; channels: number; multiplier: number } {
  const info = backend_util.computeConv2DInfo(
    xShape as Conv4,
    filterShape as Conv4,
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    true,
  );
  return { info, channels: info.inChannels, multiplier: info.outChannels / info.inChannels };
}

const composable = (info: backend_util.Conv2DInfo, multiplier: number) =>
  multiplier === 1 && info.dilationHeight === 1 && info.dilationWidth === 1;

/**
 * dW[kh,kw,c] summed over n,oh,ow: a depthwise convolution of x as [1,H,W,n*c] with dy as an OHxOW filter
 * [OH,OW,n*c,1] dilated by the stride, then a sum over n of its [KH,KW,n,c] result.
 */
function composedFilterGrad(
  backend: BackendWasm,
  xIn: TensorInfo,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo {
  const temps = new Temporaries(backend);
  const { x, pad } = filterGradSource(backend, temps, xIn, info);
  const [n, h, w, c] = x.shape;
  const [, oh, ow] = dy.shape;
  const xT = temps.keep(callKernel(backend, 'Transpose', { x }, { perm: [1, 2, 0, 3] }));
  const xFlat = temps.keep(callKernel(backend, 'Reshape', { x: xT }, { shape: [1, h, w, n * c] }));
  const dyT = temps.keep(callKernel(backend, 'Transpose', { x: dy }, { perm: [1, 2, 0, 3] }));
  const dyFlat = temps.keep(callKernel(backend, 'Reshape', { x: dyT }, { shape: [oh, ow, n * c, 1] }));
  const dilations = [info.strideHeight, info.strideWidth];
  const perImage = temps.keep(
    callKernel(
      backend,
      'DepthwiseConv2dNative',
      { x: xFlat, filter: dyFlat },
      { strides: 1, pad, dilations },
    ),
  );
  const { filterHeight: kh, filterWidth: kw } = info;
  const split = temps.keep(callKernel(backend, 'Reshape', { x: perImage }, { shape: [kh, kw, n, c] }));
  const summed = temps.keep(callKernel(backend, 'Sum', { x: split }, { axis: [2], keepDims: false }));
  const out = callKernel(backend, 'Reshape', { x: summed }, { shape: [kh, kw, c, 1] });
  temps.dispose();
  return out;
}

function depthwiseBackpropFilter(args: {
  inputs: { x: TensorInfo; dy: TensorInfo };
  backend: BackendWasm;
  attrs: DepthwiseConv2dNativeBackpropFilterAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, dy } = inputs;
  const { info, channels, multiplier } = geometry(x.shape, attrs.filterShape, attrs);
  if (composable(info, multiplier)) return composedFilterGrad(backend, x, dy, info);
  const acc = new Float64Array(info.filterHeight * info.filterWidth * info.outChannels);
  const out = backend.makeOutput(attrs.filterShape, 'float32');
  const xs = heapF32(backend, x);
  const dys = heapF32(backend, dy);
  forEachTap(info, (xo, dyo, wo) => {
    for (let c = 0; c < channels; c++) {
      const xv = xs[xo + c];
      for (let q = 0; q < multiplier; q++) acc[wo + c * multiplier + q] += xv * dys[dyo + c * multiplier + q];
    }
  });
  heapF32(backend, out).set(acc);
  return out;
}

function depthwiseBackpropInput(args: {
  inputs: { dy: TensorInfo; filter: TensorInfo };
  backend: BackendWasm;
  attrs: DepthwiseConv2dNativeBackpropInputAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, filter } = inputs;
  const { info, channels, multiplier } = geometry(attrs.inputShape, filter.shape, attrs);
  if (composable(info, multiplier)) {
    const temps = new Temporaries(backend);
    const flipped = temps.keep(callKernel(backend, 'Reverse', { x: filter }, { dims: [0, 1] }));
    const out = transposedConvolution(backend, temps, dy, flipped, info, 'DepthwiseConv2dNative');
    temps.dispose();
    return out;
  }
  const acc = new Float64Array(attrs.inputShape.reduce((a, b) => a * b, 1));
  const out = backend.makeOutput(attrs.inputShape, 'float32');
  const dys = heapF32(backend, dy);
  const ws = heapF32(backend, filter);
  forEachTap(info, (xo, dyo, wo) => {
    for (let c = 0; c < channels; c++) {
      let sum = 0;
      for (let q = 0; q < multiplier; q++) sum += dys[dyo + c * multiplier + q] * ws[wo + c * multiplier + q];
      acc[xo + c] += sum;
    }
  });
  heapF32(backend, out).set(acc);
  return out;
}

export const depthwiseBackpropFilterConfig: KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropFilter',
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropFilter as unknown as KernelConfig['kernelFunc'],
};

export const depthwiseBackpropInputConfig: KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropInput',
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropInput as unknown as KernelConfig['kernelFunc'],
};
