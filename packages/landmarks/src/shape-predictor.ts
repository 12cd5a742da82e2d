import { readFile } from 'node:fs/promises';
import {
  assertFrame,
  type Box,
  type Frame,
  InvalidInputError,
  ModelFormatError,
  ModelStore,
  type Point,
} from '@face-liveness/core';
import { type DetectorKind, fromDetectorBox } from './box-mapping.js';
import { DlibDecodeError } from './dlib-serialize.js';
import { type Cascade, parseShapePredictor, type ShapePredictorModel } from './model.js';
import { type ModelCache, modelCache, readCache, writeCache } from './model-cache.js';
import { type Placement, type WasmCascades, wasmCascades } from './wasm-cascade.js';

const f32 = Math.fround;

/** Options of {@link ShapePredictor.load}. */
export interface ShapePredictorLoadOptions {
  /**
   * Run the cascades in WebAssembly SIMD where available (default true); false runs the
   * JavaScript code, which gives the same points, several times slower.
   */
  webAssembly?: boolean;
  /**
   * Load a file through its parsed copy in the model store's `cache/` directory, and write that
   * copy after parsing when it is missing or stale (default true; bytes are always parsed).
   */
  cache?: boolean;
  /** The model store that holds the cache. Default: `new ModelStore()` (`$FACE_LIVENESS_HOME`). */
  store?: ModelStore;
}

/** What a predictor holds until it is closed: the model and its work arrays. */
interface Held {
  readonly model: ShapePredictorModel;
  readonly shape: Float32Array;
  readonly pixels: Int32Array;
  readonly features: Float32Array;
  readonly wasm?: WasmCascades;
}

/**
 * dlib's `shape_predictor` in TypeScript: the same cascade of regression trees, the same float32
 * arithmetic and the same pixel sampling, so that it returns what dlib returns (before dlib
 * rounds the points to integers).
 *
 * ```ts
 * const sp = await ShapePredictor.load('/usr/share/dlib/shape_predictor_68_face_landmarks.dat');
 * const points = sp.predict(frame, [x1, y1, x2, y2]);
 * await sp.close();
 * ```
 */
export class ShapePredictor {
  /** Number of landmarks per face. */
  readonly numParts: number;
  private held?: Held;
  private readonly placement: Placement = {
    m00: 0,
    m01: 0,
    m10: 0,
    m11: 0,
    left: 0,
    top: 0,
    width: 0,
    height: 0,
  };
  private readonly refMeanX: number;
  private readonly refMeanY: number;
  private readonly refSigma: number;

  /**
   * Wraps a parsed model; see {@link ShapePredictor.load} to read a file.
   * @param options.webAssembly run the cascades in WebAssembly SIMD where available (default true);
   *   false runs the JavaScript code, which gives the same points, several times slower.
   */
  constructor(model: ShapePredictorModel, options: { webAssembly?: boolean } = {}) {
    this.numParts = model.numParts;
    const wasm = options.webAssembly === false ? undefined : wasmCascades(model);
    if (wasm) {
      this.held = {
        model: wasm.model,
        shape: wasm.shape,
        pixels: wasm.pixels,
        features: wasm.features,
        wasm,
      };
    } else {
      const maxFeatures = Math.max(0, ...model.cascades.map((c) => c.anchorIdx.length));
      this.held = {
        model,
        shape: new Float32Array(model.initialShape.length),
        pixels: new Int32Array(maxFeatures),
        features: new Float32Array(maxFeatures),
      };
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

  /** The model; with WebAssembly its leaf values may live in WebAssembly memory (moved, not copied). */
  get model(): ShapePredictorModel {
    return this.open().model;
  }

  /**
   * Reads a dlib `shape_predictor` .dat file (or its bytes), e.g. dlib's 68-point
   * `shape_predictor_68_face_landmarks.dat` or its 5-point model. A file is parsed once: later
   * loads read the parsed copy cached in the model store (see {@link ShapePredictorLoadOptions});
   * a cache that is missing, stale or damaged is rebuilt, and one that cannot be written is done
   * without.
   * @throws ModelFormatError when the file is truncated or is not a dlib shape predictor.
   */
  static async load(
    source: string | Uint8Array,
    options: ShapePredictorLoadOptions = {},
  ): Promise<ShapePredictor> {
    if (typeof source !== 'string') {
      return new ShapePredictor(parse(source, 'the shape predictor bytes'), options);
    }
    let cache: ModelCache | undefined;
    try {
      cache =
        options.cache === false ? undefined : await modelCache(source, options.store ?? new ModelStore());
    } catch (error) {
      throw cannotRead(source, error);
    }
    const cached = cache && (await readCache(cache, options.webAssembly !== false));
    if (cached) return new ShapePredictor(cached, options);
    const sp = new ShapePredictor(parse(await readSource(source), source), options);
    if (cache) await writeCache(cache, sp.model);
    return sp;
  }

  /** Releases the model and its WebAssembly memory; using the predictor afterwards throws. */
  async close(): Promise<void> {
    this.held = undefined;
  }

  private open(): Held {
    if (!this.held) throw new InvalidInputError('the ShapePredictor was used after close()');
    return this.held;
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
   * ({@link fromDetectorBox}), then predicted from as {@link ShapePredictor.predictFromStart}
   * does. Default `refine` 1.
   */
  predictFromDetector(frame: Frame, box: Box, detector: DetectorKind, refine = 1): Point[] {
    return this.predictFromStart(frame, fromDetectorBox(box, detector), refine);
  }

  /**
   * The shape predicted from the dlib-style box `start`, then `refine` more times re-predicted from
   * the box the model's mean shape fits best onto the points ({@link ShapePredictor.boxFromShape}),
   * which takes out most of the start's framing. Default `refine` 1.
   */
  predictFromStart(frame: Frame, start: Box, refine = 1): Point[] {
    let points = this.predict(frame, start);
    for (let i = 0; i < refine; i++) points = this.predict(frame, this.boxFromShape(points));
    return points;
  }

  /**
   * The square box (dlib's HOG boxes are square) onto which the model's mean shape fits the
   * points best, in least squares: an estimate of the box dlib's detector would give this face.
   */
  boxFromShape(points: readonly Point[]): Box {
    const ref = this.open().model.initialShape;
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
    const held = this.open();
    const { shape, model, wasm } = held;
    shape.set(model.initialShape);
    // dlib's unnormalizing_tform(rect): (0,0) -> top-left corner, (1,1) -> bottom-right corner,
    // where dlib's rectangle is inclusive.
    const p = this.placement;
    const left = box[0];
    const top = box[1];
    const width = box[2] - 1 - left;
    const height = box[3] - 1 - top;
    p.left = left;
    p.top = top;
    p.width = width;
    p.height = height;
    const { cascades } = model;
    for (let c = 0; c < cascades.length; c++) {
      this.fitSimilarity(held);
      if (wasm) wasm.positions(c, p, frame.width, frame.height);
      else this.pixelOffsets(held, cascades[c], frame);
      this.lookUpPixels(held, frame, cascades[c].anchorIdx.length);
      if (wasm) wasm.trees(c);
      else this.applyTrees(held, cascades[c]);
    }
    for (let i = 0; i < shape.length; i += 2) {
      out[i] = width * shape[i] + left;
      out[i + 1] = height * shape[i + 1] + top;
    }
  }

  /**
   * The similarity transform that best maps the mean shape onto the current shape (dlib's
   * find_similarity_transform, in double, then cast to float as dlib's matrix<float,2,2>).
   */
  private fitSimilarity({ shape, model }: Held): void {
    const ref = model.initialShape;
    const n = this.numParts;
    let mx = 0;
    let my = 0;
    for (let i = 0; i < n; i++) {
      mx += shape[2 * i];
      my += shape[2 * i + 1];
    }
    mx /= n;
    my /= n;
    // Umeyama's least-squares similarity, in closed form for 2-D: the SVD of the 2x2 covariance
    // reduces to its rotation and reflection parts.
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
    const p = this.placement;
    if (c00 * c11 - c01 * c10 >= 0) {
      p.m00 = f32((c00 + c11) * scale);
      p.m01 = f32((c01 - c10) * scale);
      p.m10 = -p.m01;
      p.m11 = p.m00;
    } else {
      p.m00 = f32((c00 - c11) * scale);
      p.m01 = f32((c01 + c10) * scale);
      p.m10 = p.m01;
      p.m11 = -p.m00;
    }
  }

  /**
   * dlib's extract_feature_pixel_values, the JavaScript twin of cascade.wat's `positions`: each
   * feature pixel, stored relative to an anchor point of the mean shape, is moved with the
   * similarity transform; its pixel index (y * width + x) goes into `pixels` (-1 outside the image).
   */
  private pixelOffsets({ shape, pixels }: Held, cascade: Cascade, frame: Frame): void {
    const { m00, m01, m10, m11, left, top, width, height } = this.placement;
    const fw = frame.width;
    const maxX = fw - 1;
    const maxY = frame.height - 1;
    const anchors = cascade.anchorIdx;
    const deltas = cascade.deltas;
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
      pixels[i] = px >= 0 && px <= maxX && py >= 0 && py <= maxY ? py * fw + px : -1;
    }
  }

  /** The feature pixels' intensities: dlib's (R + G + B) / 3 truncated, 0 outside the image. */
  private lookUpPixels({ pixels, features }: Held, frame: Frame, n: number): void {
    const { data } = frame;
    for (let i = 0; i < n; i++) {
      const o = 3 * pixels[i];
      features[i] = o < 0 ? 0 : ((data[o] + data[o + 1] + data[o + 2]) / 3) | 0;
    }
  }

  /** The JavaScript twin of cascade.wat's `trees`: walks every tree, adds the chosen leaves (float32). */
  private applyTrees({ shape, features }: Held, cascade: Cascade): void {
    const dim = shape.length;
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
      const offset = (leafStart[t] + i - numSplits) * dim;
      for (let k = 0; k < dim; k++) shape[k] += leafValues[offset + k];
    }
  }
}

function cannotRead(source: string, error: unknown): InvalidInputError {
  return new InvalidInputError(`cannot read shape predictor ${source}: ${(error as Error).message}`, {
    cause: error,
  });
}

async function readSource(source: string): Promise<Uint8Array> {
  try {
    return await readFile(source);
  } catch (error) {
    throw cannotRead(source, error);
  }
}

/** The model in dlib's bytes; `name` says where they came from in the error. */
function parse(bytes: Uint8Array, name: string): ShapePredictorModel {
  try {
    return parseShapePredictor(bytes);
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
