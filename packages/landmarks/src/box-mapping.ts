import { type Box, calibrateBox, DLIB_FROM_RES10, RES10_FROM_BLAZEFACE_SHORT } from '@face-liveness/core';

/** Detectors whose boxes {@link fromDetectorBox} knows how to map. */
export type DetectorKind = 'res10' | 'blazeface' | 'dlib';

/**
 * The box to give {@link ShapePredictor.predict} for a face box found by `detector`: res10 boxes
 * go through core's `DLIB_FROM_RES10`; raw short-range BlazeFace boxes first through
 * `RES10_FROM_BLAZEFACE_SHORT`; dlib boxes are returned unchanged.
 */
export function fromDetectorBox(box: Box, detector: DetectorKind): Box {
  switch (detector) {
    case 'dlib':
      return [...box];
    case 'res10':
      return calibrateBox(box, DLIB_FROM_RES10);
    case 'blazeface':
      return calibrateBox(calibrateBox(box, RES10_FROM_BLAZEFACE_SHORT), DLIB_FROM_RES10);
  }
}
