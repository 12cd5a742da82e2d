import { type Box, scaleBox } from '@face-liveness/core';
import type { HeadPose } from '@face-liveness/landmarks';
import type { FrameQuality, QualityCheck } from '@face-liveness/pipeline';

/** One image's quality with its faces' poses, boxes in the file's own pixels. */
export interface ImageQuality {
  image: string;
  width: number;
  height: number;
  quality: FrameQuality;
  /** What to multiply the frame's coordinates by to get the file's pixels. */
  scale: number;
}

const r1 = (v: number) => Math.round(v * 10) / 10;
const r2 = (v: number) => Math.round(v * 100) / 100;
const poseOf = (p: HeadPose) => ({ yaw: r1(p.yaw), pitch: r1(p.pitch), roll: r1(p.roll) });
const boxOf = (box: Box, scale: number) => scaleBox(box, scale).map(r2);

/** A failed check as a sentence with its numbers: `too dark: face a light (brightness 41, at least 60)`. */
const failure = (c: QualityCheck) =>
  `${c.message} [${c.code}: ${c.value}, ${c.bound === 'min' ? 'at least' : 'at most'} ${c.limit}]`;

/**
 * `--json`: `{"image","width","height","ok","frame":[checks],"faces":[{"box","ok","pose"?,"checks"}]}`;
 * else `IMAGE: ok` or `IMAGE: N problems` followed by one indented line per failed check.
 */
export function qualityLines({ image, width, height, quality, scale }: ImageQuality, json?: boolean): string {
  const faces = quality.faces.map((f) => ({
    box: boxOf(f.box, scale),
    ok: f.ok,
    ...(f.pose ? { pose: poseOf(f.pose) } : {}),
    checks: f.checks,
  }));
  if (json) return JSON.stringify({ image, width, height, ok: quality.ok, frame: quality.frame, faces });
  const lines = quality.frame.filter((c) => !c.ok).map((c) => `  ${failure(c)}`);
  faces.forEach((f, i) => {
    for (const c of f.checks.filter((x) => !x.ok))
      lines.push(`  face ${i + 1} [${f.box.join(', ')}]: ${failure(c)}`);
  });
  const head = `${image}: ${quality.ok ? 'ok' : `${lines.length} problem${lines.length === 1 ? '' : 's'}`}`;
  const posed = faces.map((f, i) =>
    f.pose ? `  face ${i + 1}: yaw ${f.pose.yaw}°, pitch ${f.pose.pitch}°, roll ${f.pose.roll}°` : undefined,
  );
  return [head, ...lines, ...posed.filter((l) => l !== undefined)].join('\n');
}
