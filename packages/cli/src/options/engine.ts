import type { LivenessEngine, LivenessEngineOptions } from '@face-liveness/pipeline';
import type { Option } from 'commander';
import { margin } from './classifier.js';
import {
  confidence,
  type DetectorFlags,
  detectorChoice,
  detectorKind,
  detectorModel,
  minFaceSize,
  noDetectorThread,
  sayChosen,
  threads,
} from './detector.js';
import { noLandmarks, shapePredictor } from './landmarks.js';
import {
  classifierModel,
  ensemble,
  ensemblePath,
  height,
  inputSize,
  type ModelFlags,
  model,
  width,
} from './model.js';

/** The engine's flags; `demo` keeps the original demo.py's `-d` (detector) and `-p` (shape predictor). */
export function engineFlags(demo = false): Option[] {
  return [
    model(),
    width(),
    height(),
    ensemble(),
    ensemblePath(),
    margin(),
    minFaceSize(60),
    detectorKind(),
    detectorModel(demo ? '-d' : undefined),
    confidence(),
    threads(),
    noDetectorThread(),
    shapePredictor(demo ? '-p' : undefined),
    noLandmarks(),
  ];
}

/** Flags of {@link openEngine}: the model, detector, landmark and classification families. */
export interface EngineFlags extends ModelFlags, DetectorFlags {
  detectorThread: boolean;
  shapePredictor?: string;
  landmarks: boolean;
  minFaceSize: number;
  margin?: number;
}

function engineOptions(flags: EngineFlags): LivenessEngineOptions {
  const { detector, range } = detectorChoice(flags.detector);
  return {
    detectorKind: detector,
    detectorRange: range,
    detectorModel: flags.detectorModel,
    minDetectionConfidence: flags.confidence,
    threads: flags.threads,
    detectorThread: flags.detectorThread,
    landmarkModel: flags.shapePredictor,
    landmarker: flags.landmarks ? undefined : null,
    classifierModel: classifierModel(flags),
    inputSize: inputSize(flags),
    minFaceSize: flags.minFaceSize,
    cropMargin: flags.margin,
  };
}

/** Loads the engine the flags describe; under `--verbose`, says which face detector and classifier it runs and why. */
export async function openEngine(flags: EngineFlags): Promise<LivenessEngine> {
  const { createLivenessEngine } = await import('@face-liveness/pipeline');
  const engine = await createLivenessEngine(engineOptions(flags));
  sayChosen(flags, 'face detector', engine.info.detector);
  sayChosen(flags, 'classifier', engine.info.classifier);
  return engine;
}
