import { analyzeMedia, openMedia } from '@face-liveness/pipeline';
import type { Command } from 'commander';
import { interruptible } from '../interrupt.js';
import { type EngineFlags, engineFlags, openEngine } from '../options/engine.js';
import { addFlags } from '../options/flag.js';
import { videoFile } from '../options/input.js';
import { frameRate, json, landmarksOverlay, out, quiet, verbose } from '../options/output.js';
import { type SessionFlags, sessionFlags, sessionOptions } from '../options/session.js';
import { mediaProgress } from '../print/media-progress.js';
import { describeRun, summaryLine, toJson } from '../print/media-summary.js';

interface DemoFlags extends EngineFlags, SessionFlags {
  videoFile: string;
  out?: string;
  frameRate?: number;
  json?: boolean;
  landmarksOverlay?: boolean;
  quiet?: boolean;
}

/** `face-liveness demo`: the original demo.py, its flags and its annotated video. */
export function registerDemo(program: Command): void {
  const cmd = program
    .command('demo')
    .description(
      "The original demo: detect faces in a video or a camera, judge each live or fake, and write the annotated video (boxes, 'real: 0.98' / 'fake: 0.97', track ids, blinks, FPS)",
    );
  addFlags(cmd, [
    videoFile(),
    out('file.mp4', 'write the annotated video here (H.264 MP4); nothing is written without it'),
    frameRate(),
    ...engineFlags(true),
    ...sessionFlags(),
    landmarksOverlay(),
    quiet(),
    json('the summary as one line, {"input","verdict","kind","frames",...,"tracks":[...]}'),
    verbose(),
  ]).action(async (flags: DemoFlags) => {
    const session = sessionOptions(flags);
    // The input is opened first so that a wrong path or camera fails before the models load.
    const media = await openMedia(flags.videoFile, { cameraFps: flags.frameRate });
    const engine = await openEngine(flags);
    const progress = mediaProgress(media.kind === 'camera', flags.quiet);
    const { signal, dispose } = interruptible();
    try {
      const summary = await analyzeMedia(engine, media, {
        session,
        output: flags.out,
        outputFps: flags.frameRate,
        annotate: { landmarks: flags.landmarksOverlay },
        signal,
        onFrame: (result, _frame, p) => progress.update(result, p),
      });
      progress.stop();
      process.stdout.write(
        `${flags.json ? toJson(summaryLine(summary)) : describeRun(summary, flags.out)}\n`,
      );
    } finally {
      progress.stop();
      dispose();
      await engine.close();
    }
  });
}
