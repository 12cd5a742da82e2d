import { type Box, type DetectedFace, type FaceDetectorLike, type Frame, iou } from '@face-liveness/core';
import { BlazeFaceDetector, type BlazeFaceOptions } from './detector.js';

/**
 * Short range reliably finds faces at least this fraction of the frame's longer side wide (the
 * frame is letterboxed to 128 px; below about 10% a face is a dozen input pixels). When its
 * smallest face is narrower than this, or it finds none, there may be faces it cannot see.
 */
export const SHORT_RANGE_RELIABLE_FACE = 0.2;

/** Options of {@link BlazeFaceAutoRange.create}: BlazeFace's, without `range` and `model`. */
export type BlazeFaceAutoRangeOptions = Omit<BlazeFaceOptions, 'range' | 'model'>;

/**
 * BlazeFace with the range chosen per frame: short range first (3 ms, enough for a face close to
 * a webcam); full range as well when short range finds no face or only faces narrower than
 * {@link SHORT_RANGE_RELIABLE_FACE} of the longer side (a group photo, a room), its faces merged
 * with short range's. A frame with a near face costs what short range alone costs.
 */
export class BlazeFaceAutoRange implements FaceDetectorLike {
  private constructor(
    private readonly short: BlazeFaceDetector,
    private readonly full: BlazeFaceDetector,
  ) {}

  static async create(options: BlazeFaceAutoRangeOptions = {}): Promise<BlazeFaceAutoRange> {
    const short = await BlazeFaceDetector.create({ ...options, range: 'short' });
    try {
      return new BlazeFaceAutoRange(short, await BlazeFaceDetector.create({ ...options, range: 'full' }));
    } catch (error) {
      await short.close();
      throw error;
    }
  }

  /** Faces in `frame`, best score first (see the class). */
  async detect(frame: Frame): Promise<DetectedFace[]> {
    const near = await this.short.detect(frame);
    const reliable = SHORT_RANGE_RELIABLE_FACE * Math.max(frame.width, frame.height);
    if (near.length > 0 && near.every((f) => f.box[2] - f.box[0] >= reliable)) return near;
    const far = await this.full.detect(frame);
    // Both models see the large faces; full range's box is kept, short range adds what it alone
    // found (a face whose centre is in a full-range box, or overlapping one, is the same face).
    const merged = [...far, ...near.filter((n) => far.every((f) => !sameFace(f.box, n.box)))];
    return merged.sort((a, b) => b.score - a.score);
  }

  /** Releases both ONNX Runtime sessions. Safe to call twice. */
  async close(): Promise<void> {
    await Promise.all([this.short.close(), this.full.close()]);
  }
}

function sameFace(a: Box, b: Box): boolean {
  const cx = (b[0] + b[2]) / 2;
  const cy = (b[1] + b[3]) / 2;
  return iou(a, b) >= 0.3 || (a[0] <= cx && cx <= a[2] && a[1] <= cy && cy <= a[3]);
}
