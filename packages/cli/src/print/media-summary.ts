import type { MediaSummary } from '@face-liveness/pipeline';

/** JSON with numbers rounded to 4 decimals (scores, times) and NaN as null. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    typeof v === 'number' ? (Number.isFinite(v) ? Math.round(v * 1e4) / 1e4 : null) : v,
  );
}

/** The `--json` line of an input: the summary without the per-frame detail. */
export function summaryLine(summary: MediaSummary): Record<string, unknown> {
  const { input, kind, frames, fps, width, height, processingFps, aborted, verdict, tracks } = summary;
  return {
    input,
    verdict,
    kind,
    frames,
    fps,
    width,
    height,
    processingFps,
    ...(aborted ? { aborted } : {}),
    rotation: summary.rotation,
    skippedFrames: summary.skippedFrames,
    skipReasons: summary.skipReasons,
    tracks: tracks.map((t) => ({
      id: t.id,
      verdict: t.verdict,
      reason: t.reason,
      frames: t.frames,
      classifiedFrames: t.classifiedFrames,
      score: t.score,
      minScore: t.minScore,
      maxScore: t.maxScore,
      blinks: t.blinks,
      meanFaceSize: t.meanFaceSize,
      firstSeenMs: t.firstSeenMs,
      lastSeenMs: t.lastSeenMs,
      ...(t.gatedFrames > 0 ? { gatedFrames: t.gatedFrames, gateReasons: t.gateReasons } : {}),
    })),
  };
}

/** `, 3 frames skipped (landmarks: ... x2; ...)`, or nothing. */
function describeSkips({ skippedFrames, skipReasons }: MediaSummary): string {
  if (skippedFrames === 0) return '';
  const reasons = Object.entries(skipReasons).map(([reason, n]) => `${reason} x${n}`);
  return `, ${skippedFrames} frame${skippedFrames === 1 ? '' : 's'} skipped (${reasons.join('; ')})`;
}

/** Human-readable lines: the input's verdict, then one line per face track. */
export function describeSummary(summary: MediaSummary): string {
  const turned = summary.rotation ? `, turned ${summary.rotation}° clockwise to find the faces upright` : '';
  const head = `${summary.input}: ${summary.verdict}, ${summary.frames} frame${summary.frames === 1 ? '' : 's'}${turned}${describeSkips(summary)}`;
  if (summary.tracks.length === 0) return `${head}, no face found`;
  const faces = summary.tracks.map(
    (t) =>
      `  face #${t.id}: ${t.verdict} (mean P(live) ${Number.isNaN(t.score) ? '-' : t.score.toFixed(3)}, ` +
      `${t.blinks} blinks, ${t.frames} frames${t.gatedFrames > 0 ? `, ${t.gatedFrames} gated for quality` : ''}) - ${t.reason}`,
  );
  return [head, ...faces].join('\n');
}

/** The demo's closing lines: speed, where the video went, then {@link describeSummary}. */
export function describeRun(summary: MediaSummary, output?: string): string {
  const stopped = summary.aborted ? ' (stopped by Ctrl-C)' : '';
  const video = output ? `; annotated video: ${output}` : '';
  return `${summary.frames} frames at ${summary.processingFps.toFixed(1)} FPS${stopped}${video}\n${describeSummary(summary)}`;
}
