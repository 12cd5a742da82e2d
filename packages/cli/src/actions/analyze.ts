import { cameraDevice, isImagePath, probeImage, probeVideo } from '@face-liveness/core';
import type { LivenessEngine } from '@face-liveness/pipeline';
import { interruptible } from '../interrupt.js';
import { type EngineFlags, openEngine } from '../options/engine.js';
import { type SessionFlags, sessionOptions } from '../options/session.js';
import { eachInput } from '../print/each-input.js';
import { FrameReport } from '../print/frame-report.js';
import { mediaProgress } from '../print/media-progress.js';
import { describeSummary, summaryLine, toJson } from '../print/media-summary.js';

interface AnalyzeFlags extends EngineFlags, SessionFlags {
  json?: boolean;
  jsonl?: boolean;
  quiet?: boolean;
  report?: string;
  fps?: number;
  maxWidth?: number;
}

export async function action(inputs: string[], flags: AnalyzeFlags): Promise<void> {
  const session = sessionOptions(flags);
  let engine: LivenessEngine | undefined;
  const frames = flags.report ? new FrameReport(flags.report) : undefined;
  const { signal, dispose } = interruptible();
  try {
    let begun = '';
    const onError = (input: string, error: Error) => {
      // An input refused by the header check never began its report entry.
      if (begun !== input) frames?.begin(input);
      frames?.fail(error.message);
    };
    const json = flags.json || flags.jsonl;
    // Videos show their own frame progress, which a bar over the inputs would tear.
    const perInput = flags.quiet || inputs.some((i) => !isImagePath(i));
    await eachInput(
      inputs,
      {
        json,
        quiet: perInput,
        key: 'input',
        failure: 'inputs could not be analysed',
        signal,
        onError,
        // Headers only: a run of refused inputs loads no model.
        check: async (input) => {
          if (cameraDevice(input)) return;
          await (isImagePath(input) ? probeImage(input) : probeVideo(input));
        },
        prepare: async () => {
          engine = await openEngine(flags);
        },
      },
      async (input, print) => {
        begun = input;
        frames?.begin(input);
        const progress = mediaProgress(cameraDevice(input) !== undefined, flags.quiet);
        try {
          // Imported here, not above: a run of refused inputs loads no library but core.
          const { analyzeMedia } = await import('@face-liveness/pipeline');
          const summary = await analyzeMedia(engine as LivenessEngine, input, {
            session,
            fps: flags.fps,
            maxWidth: flags.maxWidth,
            signal,
            onFrame: (result, _frame, p) => {
              frames?.frame(result);
              if (flags.jsonl) progress.print(toJson({ input, frame: result }));
              if (p.total !== 1) progress.update(result, p);
            },
          });
          progress.stop();
          frames?.end(summary);
          print(json ? toJson(summaryLine(summary)) : describeSummary(summary));
        } finally {
          progress.stop();
        }
      },
    );
  } finally {
    dispose();
    await engine?.close();
    await frames?.close();
  }
}
