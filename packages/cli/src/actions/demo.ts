import { analyzeMedia, openMedia } from '@face-liveness/pipeline';
import { interruptible } from '../interrupt.js';
import { type EngineFlags, openEngine } from '../options/engine.js';
import { type SessionFlags, sessionOptions } from '../options/session.js';
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

export async function action(flags: DemoFlags): Promise<void> {
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
    process.stdout.write(`${flags.json ? toJson(summaryLine(summary)) : describeRun(summary, flags.out)}\n`);
  } finally {
    progress.stop();
    dispose();
    await engine.close();
  }
}
