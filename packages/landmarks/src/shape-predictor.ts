import { readFile } from 'node:fs/promises';
import { assertFrame, type Box, type Frame, InvalidInputError, ModelFormatError } from '@face-liveness/core';
import { type DetectorKind, fromDetectorBox } from './box-mapping.js';
import { DlibDecodeError } from './dlib-serialize.js';
import { type LeafSum, leafSum } from './leaf-sum.js';
import { type Cascade, parseShapePredictor, type ShapePredictorModel } from './model.js';

/** A landmark in pixels; integer coordinates are pixel centres (dlib's convention). */
export type Point = [x: number, y: number];

const f32 = Math.fround;

/**
 * dlib's `shape_predictor` in TypeScript: the same cascade of regression trees, the same float32
 * arithmetic and the same pixel sampling, so that it returns what dlib returns (before dlib
 * rounds the points to integers).
 *
 * ```ts
 * const sp = await ShapePredictor.load('/usr/share/dlib/shape_predictor_68_face_landmarks.dat');
 * const points = sp.predict(frame, [x1, y1, x2, y2]);
 * ```
 */
export class ShapePredictor {
  /** Number of landmarks per face. */
  readonly numParts: number;
  /** The model; with SIMD its leaf values live in WebAssembly memory. */
  readonly model: ShapePredictorModel;
  private readonly shape: Float32Array;
  private readonly simd?: { sum: LeafSum; list: Int32Array; listAt: number; leafAt: Uint32Array };
  private readonly features: Float32Array;
  private readonly refMeanX: number;
  private readonly refMeanY: number;
  private readonly refSigma: number;

  /** Wraps a parsed model; see {@link ShapePredictor.load} to read a file. */
  constructor(model: ShapePredictorModel) {
    this.numParts = model.numParts;
    const dim = model.initialShape.length;
    let maxFeatures = 0;
    let maxTrees = 0;
    let leafFloats = 0;
    for (const c of model.cascades) {
      maxFeatures = Math.max(maxFeatures, c.anchorIdx.length);
      maxTrees = Math.max(maxTrees, c.splitStart.length - 1);
      leafFloats += c.leafValues.length;
    }
    this.features = new Float32Array(maxFeatures);
    // WebAssembly memory: the shape, the list of chosen leaves, then every leaf (moved, not copied
    // for good: the model is rebuilt on views of it). SIMD needs whole float32x4 vectors.
    const listAt = dim * 4;
    const leavesAt = listAt + Math.ceil(maxTrees / 4) * 16;
    const memory =
      dim % 4 === 0
        ? new WebAssembly.Memory({ initial: Math.ceil((leavesAt + leafFloats * 4) / 65536) })
        : undefined;
    const sum = memory && leafSum(memory);
    if (memory && sum) {
      let at = leavesAt;
      const leafAt = new Uint32Array(model.cascades.length);
      const cascades = model.cascades.map((c, i) => {
        const leafValues = new Float32Array(memory.buffer, at, c.leafValues.length);
        leafValues.set(c.leafValues);
        leafAt[i] = at;
        at += c.leafValues.byteLength;
        return { ...c, leafValues };
      });
      this.model = { ...model, cascades };
      this.shape = new Float32Array(memory.buffer, 0, dim);
      this.simd = { sum, list: new Int32Array(memory.buffer, listAt, maxTrees), listAt, leafAt };
    } else {
      this.model = model;
      this.shape = new Float32Array(dim);
    }
    // The reference (mean) shape never changes: its part of dlib's similarity fit is precomputed,
    // in double as dlib does it.
    const ref = model.initialShape;
    const n = this.numParts;
    let mx = 0;
    let my = 0;
    for (let i = 0; i < n; i++) {
      mx += ref[2 * i];
      my += ref[2 * i + 1];
    }
    mx /= n;
    my /= n;
    let sigma = 0;
    for (let i = 0; i < n; i++) sigma += (ref[2 * i] - mx) ** 2 + (ref[2 * i + 1] - my) ** 2;
    this.refMeanX = mx;
    this.refMeanY = my;
    this.refSigma = sigma / n;
  }

  /**
   * Reads a dlib `shape_predictor` .dat file (or its bytes), e.g. dlib's 68-point
   * `shape_predictor_68_face_landmarks.dat` or its 5-point model.
   * @throws ModelFormatError when the file is truncated or is not a dlib shape predictor.
   */
  static async load(source: string | Uint8Array): Promise<ShapePredictor> {
    const name = typeof source === 'string' ? source : 'the shape predictor bytes';
    let bytes: Uint8Array;
    if (typeof source === 'string') {
      try {
        bytes = await readFile(source);
      } catch (error) {
        throw new InvalidInputError(`cannot read shape predictor ${source}: ${(error as Error).message}`, {
          cause: error,
        });
      }
    } else {
      bytes = source;
    }
    try {
      return new ShapePredictor(parseShapePredictor(bytes));
    } catch (error) {
      if (!(error instanceof DlibDecodeError)) throw error;
      const what = error.truncated
        ? `is truncated (${error.message}, at byte ${error.offset} of ${bytes.length})`
        : `is not a dlib shape_predictor file (${error.message}, at byte ${error.offset})`;
      throw new ModelFormatError(
        `${name} ${what}; use a shape predictor saved by dlib, e.g. /usr/share/dlib/shape_predictor_68_face_landmarks.dat from apt-get install libdlib-data`,
        { cause: error },
      );
    }
  }

  /**
   * The landmarks of the face in `box` (left, top, right, bottom; right/bottom exclusive, so a
   * dlib rectangle [l, t, r, b] is the box [l, t, r + 1, b + 1]). Fractional boxes are allowed.
   * Pixel intensities are dlib's for an RGB image: (R + G + B) / 3, truncated.
   */
  predict(frame: Frame, box: Box): Point[] {
    const out = new Float64Array(2 * this.numParts);
    this.predictInto(frame, box, out);
    const points: Point[] = [];
    for (let i = 0; i < this.numParts; i++) points.push([out[2 * i], out[2 * i + 1]]);
    return points;
  }

  /**
   * Landmarks from a face detector's box: the box is mapped onto dlib's HOG-detector box
   * ({@link fromDetectorBox}), the shape predicted, then `refine` more times re-predicted from
   * the box the model's mean shape fits best onto the points ({@link ShapePredictor.boxFromShape}),
   * which takes out most of the detector's framing. Default `refine` 1.
   */
  predictFromDetector(frame: Frame, box: Box, detector: DetectorKind, refine = 1): Point[] {
    let points = this.predict(frame, fromDetectorBox(box, detector));
    for (let i = 0; i < refine; i++) points = this.predict(frame, this.boxFromShape(points));
    return points;
  }

  /**
   * The square box (dlib's HOG boxes are square) onto which the model's mean shape fits the
   * points best, in least squares: an estimate of the box dlib's detector would give this face.
   */
  boxFromShape(points: readonly Point[]): Box {
    const ref = this.model.initialShape;
    const n = this.numParts;
    if (points.length !== n) throw new InvalidInputError(`expected ${n} points, got ${points.length}`);
    let mx = 0;
    let my = 0;
    for (const [x, y] of points) {
      mx += x;
      my += y;
    }
    mx /= n;
    my /= n;
    let num = 0;
    for (let i = 0; i < n; i++) {
      num +=
        (ref[2 * i] - this.refMeanX) * (points[i][0] - mx) +
        (ref[2 * i + 1] - this.refMeanY) * (points[i][1] - my);
    }
    const size = num / (n * this.refSigma);
    const x0 = mx - size * this.refMeanX;
    const y0 = my - size * this.refMeanY;
    return [x0, y0, x0 + size + 1, y0 + size + 1];
  }

  /** {@link ShapePredictor.predict} without allocation: writes x0, y0, x1, y1, ... into `out`. */
  predictInto(frame: Frame, box: Box, out: Float64Array): void {
    assertFrame(frame);
    if (box.length !== 4 || !box.every(Number.isFinite) || !(box[2] > box[0] && box[3] > box[1])) {
      throw new InvalidInputError(`face box [${box.join(', ')}] must be 4 finite numbers x1 < x2, y1 < y2`);
    }
    if (out.length < 2 * this.numParts) {
      throw new InvalidInputError(`output array has ${out.length} numbers; it needs ${2 * this.numParts}`);
    }
    const shape = this.shape;
    shape.set(this.model.initialShape);
    // dlib's unnormalizing_tform(rect): (0,0) -> top-left corner, (1,1) -> bottom-right corner,
    // where dlib's rectangle is inclusive.
    const left = box[0];
    const top = box[1];
    const width = box[2] - 1 - left;
    const height = box[3] - 1 - top;
    const { cascades } = this.model;
    for (let c = 0; c < cascades.length; c++) {
      this.sampleFeatures(frame, cascades[c], left, top, width, height);
      this.applyTrees(cascades[c], c);
    }
    for (let i = 0; i < shape.length; i += 2) {
      out[i] = width * shape[i] + left;
      out[i + 1] = height * shape[i + 1] + top;
    }
  }

  /**
   * dlib's extract_feature_pixel_values: each feature pixel, stored relative to an anchor point
   * of the mean shape, is moved with the similarity transform that best maps the mean shape onto
   * the current shape, then looked up (nearest pixel; 0 outside the image).
   */
  private sampleFeatures(
    frame: Frame,
    cascade: Cascade,
    left: number,
    top: number,
    width: number,
    height: number,
  ): void {
    const shape = this.shape;
    const ref = this.model.initialShape;
    const n = this.numParts;
    let mx = 0;
    let my = 0;
    for (let i = 0; i < n; i++) {
      mx += shape[2 * i];
      my += shape[2 * i + 1];
    }
    mx /= n;
    my /= n;
    // Umeyama's least-squares similarity (dlib's find_similarity_transform), in closed form for
    // 2-D: the SVD of the 2x2 covariance reduces to its rotation and reflection parts.
    let c00 = 0;
    let c01 = 0;
    let c10 = 0;
    let c11 = 0;
    const rmx = this.refMeanX;
    const rmy = this.refMeanY;
    for (let i = 0; i < n; i++) {
      const tx = shape[2 * i] - mx;
      const ty = shape[2 * i + 1] - my;
      const fx = ref[2 * i] - rmx;
      const fy = ref[2 * i + 1] - rmy;
      c00 += tx * fx;
      c01 += tx * fy;
      c10 += ty * fx;
      c11 += ty * fy;
    }
    const scale = 1 / (n * this.refSigma);
    let m00: number;
    let m01: number;
    let m10: number;
    let m11: number;
    const det = c00 * c11 - c01 * c10;
    if (det >= 0) {
      m00 = f32((c00 + c11) * scale);
      m01 = f32((c01 - c10) * scale);
      m10 = -m01;
      m11 = m00;
    } else {
      m00 = f32((c00 - c11) * scale);
      m01 = f32((c01 + c10) * scale);
      m10 = m01;
      m11 = -m00;
    }

    const { data } = frame;
    const fw = frame.width;
    const maxX = fw - 1;
    const maxY = frame.height - 1;
    const anchors = cascade.anchorIdx;
    const deltas = cascade.deltas;
    const features = this.features;
    for (let i = 0; i < anchors.length; i++) {
      const a = anchors[i] * 2;
      const dx = deltas[2 * i];
      const dy = deltas[2 * i + 1];
      // float32 as in dlib: matrix<float,2,2> * vector<float,2> + location(shape)
      const sx = f32(f32(f32(m00 * dx) + f32(m01 * dy)) + shape[a]);
      const sy = f32(f32(f32(m10 * dx) + f32(m11 * dy)) + shape[a + 1]);
      // to pixels in double, then dlib's point conversion: floor(v + 0.5)
      const px = Math.floor(width * sx + left + 0.5);
      const py = Math.floor(height * sy + top + 0.5);
      if (px >= 0 && px <= maxX && py >= 0 && py <= maxY) {
        const o = (py * fw + px) * 3;
        features[i] = ((data[o] + data[o + 1] + data[o + 2]) / 3) | 0;
      } else {
        features[i] = 0;
      }
    }
  }

  /** Runs every tree of the cascade on the sampled pixels and adds the chosen leaves (float32). */
  private applyTrees(cascade: Cascade, index: number): void {
    const shape = this.shape;
    const dim = shape.length;
    const features = this.features;
    const simd = this.simd;
    const { splitStart, splitIdx1, splitIdx2, splitThresh, leafStart, leafValues } = cascade;
    const numTrees = splitStart.length - 1;
    for (let t = 0; t < numTrees; t++) {
      const base = splitStart[t];
      const numSplits = splitStart[t + 1] - base;
      let i = 0;
      while (i < numSplits) {
        const s = base + i;
        i = features[splitIdx1[s]] - features[splitIdx2[s]] > splitThresh[s] ? 2 * i + 1 : 2 * i + 2;
      }
      const leaf = leafStart[t] + i - numSplits;
      if (simd) {
        simd.list[t] = simd.leafAt[index] + leaf * dim * 4;
      } else {
        const offset = leaf * dim;
        for (let k = 0; k < dim; k++) shape[k] += leafValues[offset + k];
      }
    }
    simd?.sum(0, simd.listAt, numTrees, dim * 4);
  }
}
