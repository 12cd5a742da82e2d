import type { HeadPose } from '@face-liveness/landmarks';
import type { FaceLandmarks } from '../options/landmarks.js';

const round = (v: number) => Math.round(v * 100) / 100;
const round1 = (v: number) => Math.round(v * 10) / 10;

/** One `landmarks` line: the face's box and its points, 2 decimals; in JSON also its head pose, degrees. */
export function landmarksLine(
  { image, box, points }: FaceLandmarks,
  json?: boolean,
  pose?: HeadPose,
): string {
  const rounded = points.map(([x, y]) => [round(x), round(y)]);
  if (json) {
    const p = pose && { yaw: round1(pose.yaw), pitch: round1(pose.pitch), roll: round1(pose.roll) };
    return JSON.stringify({ image, box: box.map(round), points: rounded, ...(p && { pose: p }) });
  }
  return `${image} [${box.map(round).join(', ')}]: ${rounded.map((p) => p.join(',')).join(' ')}`;
}
