import type {
  BlinkDetectorLike,
  Box,
  ClassifierLike,
  DetectedFace,
  FaceDetectorLike,
  Frame,
  LandmarkerLike,
  Point,
} from '@face-liveness/core';

/**
 * Small deterministic components (plain objects of core's interfaces) for testing scheduling,
 * tracking and fusion without models. A scene is a list of faces per frame; each face is drawn as a
 * filled box whose grey level is the P(live) the scripted classifier reads back from its crop.
 */
export interface ScriptedFace {
  box: Box;
  /** P(live) that the classifier gives this face, in [0, 1]. */
  live: number;
}

const SIZE = 320;

/** Renders one frame: a black background with each face's box filled with grey `live * 255`. */
export function drawFrame(faces: readonly ScriptedFace[]): Frame {
  const data = new Uint8Array(SIZE * SIZE * 3);
  for (const { box, live } of faces) {
    const v = Math.round(live * 255);
    for (let y = Math.max(0, Math.round(box[1])); y < Math.min(SIZE, Math.round(box[3])); y++) {
      for (let x = Math.max(0, Math.round(box[0])); x < Math.min(SIZE, Math.round(box[2])); x++) {
        data.fill(v, (y * SIZE + x) * 3, (y * SIZE + x) * 3 + 3);
      }
    }
  }
  return { data, width: SIZE, height: SIZE };
}

/** A detector that returns each frame's scripted faces, counting its calls. */
export function scriptedDetector(scene: Map<Frame, readonly ScriptedFace[]>) {
  const detector = {
    calls: 0,
    closed: 0,
    async detect(frame: Frame): Promise<DetectedFace[]> {
      detector.calls++;
      await new Promise((done) => setTimeout(done, 1)); // detection finishes later, as a real one does
      return (scene.get(frame) ?? []).map((f) => ({ box: [...f.box] as Box, score: 0.9 }));
    },
    async close() {
      detector.closed++;
    },
  } satisfies FaceDetectorLike & Record<string, unknown>;
  return detector;
}

/** 68 points spread over the box (enough for eye aspect ratios and for the box to follow them). */
export function scriptedLandmarker(): LandmarkerLike & { closed: number } {
  const landmarker = {
    closed: 0,
    predict(_frame: Frame, box: Box): Point[] {
      const points: Point[] = [];
      for (let i = 0; i < 68; i++) {
        points.push([
          box[0] + ((i % 17) / 16) * (box[2] - box[0]),
          box[1] + (Math.floor(i / 17) / 3) * (box[3] - box[1]),
        ]);
      }
      return points;
    },
    async close() {
      landmarker.closed++;
    },
  };
  return landmarker;
}

/** P(live) = the mean grey level of the crop's centre pixel row, / 255. */
export function scriptedClassifier(threshold = 0.5): ClassifierLike & { closed: number; calls: number } {
  const classifier = {
    closed: 0,
    calls: 0,
    threshold,
    cropMargin: 0,
    classify(crop: Frame) {
      classifier.calls++;
      const y = Math.floor(crop.height / 2);
      const x = Math.floor(crop.width / 2);
      return { score: crop.data[(y * crop.width + x) * 3] / 255 };
    },
    async close() {
      classifier.closed++;
    },
  };
  return classifier;
}

/** A blink counter that blinks at the given timestamps (ms), with the eyes always observable. */
export function scriptedBlinks(atMs: readonly number[]): () => BlinkDetectorLike {
  return () => ({
    update: (_points, timestampMs) => ({
      blinks: atMs.filter((t) => t <= timestampMs).length,
      ear: 0.3,
      observable: true,
    }),
  });
}

/** A scene: `count` frames with `facesAt(i)` in frame i; returns the frames and the script. */
export function scene(count: number, facesAt: (i: number) => ScriptedFace[]) {
  const script = new Map<Frame, readonly ScriptedFace[]>();
  const frames: Frame[] = [];
  for (let i = 0; i < count; i++) {
    const faces = facesAt(i);
    const frame = drawFrame(faces);
    script.set(frame, faces);
    frames.push(frame);
  }
  return { frames, script };
}
