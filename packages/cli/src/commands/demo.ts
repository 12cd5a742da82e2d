import { resolve } from 'node:path';
import { InvalidInputError } from '@face-liveness/core';
import { createLivenessPipeline, openMedia, type RunProgress, runPipeline } from '@face-liveness/pipeline';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { describeSummary, summaryLine, toJson } from './analyze.js';
import {
  abortOnSigint,
  addPipelineOptions,
  number,
  type PipelineFlags,
  pipelineOptions,
} from './pipeline-options.js';

interface DemoFlags extends PipelineFlags {
  videoFile: string;
  outVideoPath?: string;
  frameRate?: number;
  json?: boolean;
  landmarksOverlay?: boolean;
}

function progressReporter(isCamera: boolean) {
  let bar: SingleBar | undefined;
  let lastLine = 0;
  return {
    update(progress: RunProgress, verdicts: string) {
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

async function demo(flags: DemoFlags): Promise<void> {
  const options = pipelineOptions(flags);
  if (flags.outVideoPath && resolve(flags.outVideoPath) === resolve(flags.videoFile)) {
    throw new InvalidInputError(
      `the output ${flags.outVideoPath} is the input video; choose another file name`,
    );
  }
  // The input is opened first so that a wrong path or camera fails before the models load.
  const media = await openMedia(flags.videoFile, { cameraFps: flags.frameRate });
  const pipeline = await createLivenessPipeline(options);
  const progress = progressReporter(media.kind === 'camera');
  const { signal, dispose } = abortOnSigint();
  try {
    const summary = await runPipeline(pipeline, media, {
      output: flags.outVideoPath,
      outputFps: flags.frameRate,
      annotate: { landmarks: flags.landmarksOverlay },
      signal,
      onFrame: (result, _frame, p) =>
        progress.update(
          p,
          [...result.faces]
            .sort((a, b) => a.trackId - b.trackId)
            .map((f) => `#${f.trackId} ${f.verdict}`)
            .join(' '),
        ),
    });
    progress.stop();
    if (flags.json) {
      process.stdout.write(`${toJson(summaryLine(summary))}\n`);
    } else {
      const stopped = summary.aborted ? ' (stopped by Ctrl-C)' : '';
      process.stdout.write(
        `${summary.frames} frames at ${summary.processingFps.toFixed(1)} FPS${stopped}` +
          (flags.outVideoPath ? `; annotated video: ${flags.outVideoPath}` : '') +
          '\n',
      );
      process.stdout.write(`${describeSummary(summary)}\n`);
    }
  } finally {
    progress.stop();
    dispose();
    await pipeline.close();
  }
}

export function registerDemo(program: Command): void {
  const cmd = program
    .command('demo')
    .description(
      "The original demo: detect faces in a video or a camera, judge each live or fake, and write the annotated video (boxes, 'real: 0.98' / 'fake: 0.97', track ids, blinks, FPS)",
    )
    .option('-v, --video-file <file|camera>', 'video file, or a camera: 0, 1... or /dev/videoN', '0')
    .option(
      '-o, --out-video-path <file.mp4>',
      'write the annotated video here (H.264 MP4); nothing is written without it',
    )
    .option(
      '-f, --frame-rate <fps>',
      'frame rate of the output video (default: the input’s; 30 for a camera)',
      number('--frame-rate'),
    )
    .option('--landmarks-overlay', 'also draw the 68 landmarks')
    .option('--json', 'print the summary as one JSON line');
  addPipelineOptions(cmd).action((flags: DemoFlags) => demo(flags));
}
