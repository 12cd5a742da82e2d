import { type Box, cropFrame, type Frame, frameToBlob } from '@face-liveness/core';

/** Python's int() of a float: towards zero, and never -0. */
const int = (v: number) => Math.trunc(v) + 0;

/**
 * The pixels Silent-Face's `CropImage` takes for a face: the box (made `[x, y, w, h]` integers as
 * its detector wrapper does, `w = int(right - left + 1)`) scaled by `scale` around its centre, the
 * scale capped so the window fits the frame, and the window shifted back inside the frame rather
 * than clipped or padded, so the face keeps its place and proportions in the 80x80 input even at
 * the frame's edge. Returns `[x1, y1, x2, y2]` with x2/y2 exclusive (Silent-Face slices
 * `[top : bottom + 1]`).
 */
export function silentFaceWindow(width: number, height: number, box: Box, scale: number): Box {
  const x = int(box[0]);
  const y = int(box[1]);
  const w = int(box[2] - box[0] + 1);
  const h = int(box[3] - box[1] + 1);
  const s = Math.min((height - 1) / h, (width - 1) / w, scale);
  const cx = w / 2 + x;
  const cy = h / 2 + y;
  let x1 = cx - (w * s) / 2;
  let y1 = cy - (h * s) / 2;
  let x2 = cx + (w * s) / 2;
  let y2 = cy + (h * s) / 2;
  if (x1 < 0) {
    x2 -= x1;
    x1 = 0;
  }
  if (y1 < 0) {
    y2 -= y1;
    y1 = 0;
  }
  if (x2 > width - 1) {
    x1 -= x2 - width + 1;
    x2 = width - 1;
  }
  if (y2 > height - 1) {
    y1 -= y2 - height + 1;
    y2 = height - 1;
  }
  return [int(x1), int(y1), int(x2) + 1, int(y2) + 1];
}

/**
 * The network input for the face in `box`: Silent-Face's window, resized to size x size with
 * OpenCV's bilinear resize, planar BGR with raw 0..255 values (its models were trained on cv2
 * images without normalisation).
 */
export function silentFaceInput(frame: Frame, box: Box, scale: number, size: number): Float32Array {
  const window = silentFaceWindow(frame.width, frame.height, box, scale);
  return frameToBlob(cropFrame(frame, window), { width: size, height: size, channelOrder: 'bgr' });
}

/**
 * Where the face box lies in a crop made with `margin` per side (`cropFace` with `cropMargin`):
 * its centre part, 1 / (1 + 2 margin) of each side.
 */
export function boxInCrop(crop: Frame, margin: number): Box {
  const f = margin / (1 + 2 * margin);
  return [crop.width * f, crop.height * f, crop.width * (1 - f), crop.height * (1 - f)];
}
