import type { FrameResult, MediaProgress } from '@face-liveness/pipeline';
import { SingleBar } from 'cli-progress';

/** Progress on stderr: a bar for a video file on a terminal, else a line a second (cameras, logs). */
export function mediaProgress(isCamera: boolean) {
  let bar: SingleBar | undefined;
  let lastLine = 0;
  return {
    update(result: FrameResult, progress: MediaProgress) {
      const verdicts = [...result.faces]
        .sort((a, b) => a.trackId - b.trackId)
        .map((f) => `#${f.trackId} ${f.verdict}`)
        .join(' ');
      if (!isCamera && progress.total && process.stderr.isTTY) {
        bar ??= new SingleBar({
          format: ' {bar} {percentage}% | {value}/{total} frames | {fps} FPS | {verdicts}',
          hideCursor: true,
        });
        if (progress.frames === 1) bar.start(progress.total, 0, { fps: '-', verdicts: '' });
        bar.setTotal(Math.max(progress.total, progress.frames));
        bar.update(progress.frames, { fps: progress.fps.toFixed(1), verdicts });
      } else if (Date.now() - lastLine >= 1000) {
        lastLine = Date.now();
        process.stderr.write(`frame ${progress.frames}, ${progress.fps.toFixed(1)} FPS ${verdicts}\n`);
      }
    },
    stop() {
      bar?.stop();
    },
  };
}
