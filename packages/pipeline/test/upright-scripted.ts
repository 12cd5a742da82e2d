import type { Box, DetectedFace, FaceDetectorLike, Frame } from '@face-liveness/core';

/**
 * A scripted face that shows which way is up, and a detector that reads it, for testing
 * orientation without models: the face is a filled box (grey `live * 255`, as in scripted.ts) with
 * a white band along its top. The detector finds the box of non-black pixels and, like BlazeFace,
 * finds it upright with a high score and on its side with a lower one (upside down: not at all).
 */
export function drawUpright(size: number, box: Box, live: number): Frame {
  const data = new Uint8Array(size * size * 3);
  const band = box[1] + (box[3] - box[1]) / 5;
  for (let y = box[1]; y < box[3]; y++) {
    data.fill(y < band ? 255 : Math.round(live * 255), (y * size + box[0]) * 3, (y * size + box[2]) * 3);
  }
  return { data, width: size, height: size };
}

export function uprightDetector(): FaceDetectorLike & { calls: number } {
  const detector = {
    calls: 0,
    async detect(frame: Frame): Promise<DetectedFace[]> {
      detector.calls++;
      const { data, width, height } = frame;
      const white = (x: number, y: number) => data[(y * width + x) * 3] === 255;
      let [x1, y1, x2, y2] = [width, height, 0, 0];
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          if (data[(y * width + x) * 3] === 0) continue;
          [x1, y1, x2, y2] = [Math.min(x1, x), Math.min(y1, y), Math.max(x2, x + 1), Math.max(y2, y + 1)];
        }
      }
      if (x2 <= x1) return [];
      const [cx, cy] = [Math.floor((x1 + x2) / 2), Math.floor((y1 + y2) / 2)];
      const box: Box = [x1, y1, x2, y2];
      if (white(cx, y1)) return [{ box, score: 0.95 }];
      if (white(x1, cy) || white(x2 - 1, cy)) return [{ box, score: 0.8 }];
      return [];
    },
    async close() {},
  };
  return detector;
}
