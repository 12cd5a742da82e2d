import type { FrameResult, MediaProgress } from '@face-liveness/pipeline';
import { SingleBar } from 'cli-progress';

const LINE_EVERY_MS = 5000;

/**
 * Progress of one video or camera on stderr: a bar for a video file on a terminal, else a line
 * every 5 s (cameras, logs); nothing with `quiet`.
 */
export function mediaProgress(isCamera: boolean, quiet?: boolean) {
  let bar: SingleBar | undefined;
  let lastLine = 0;
  return {
    update(result: FrameResult, progress: MediaProgress) {
      if (quiet) return;
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
      } else if (Date.now() - lastLine >= LINE_EVERY_MS) {
        lastLine = Date.now();
        const of = progress.total ? ` of ${progress.total}` : '';
        process.stderr.write(`frame ${progress.frames}${of}, ${progress.fps.toFixed(1)} FPS ${verdicts}\n`);
      }
    },
    /** Writes a line to stdout without tearing the bar. */
    print(line: string) {
      if (bar && process.stdout.isTTY) process.stderr.write('\r\x1b[2K');
      process.stdout.write(`${line}\n`);
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}
