import { cameraDevice, isImagePath, probeImage, probeVideo } from '@face-liveness/core';
import { analyzeMedia, type LivenessEngine } from '@face-liveness/pipeline';
import type { Command } from 'commander';
import { interruptible } from '../interrupt.js';
import { type EngineFlags, engineFlags, openEngine } from '../options/engine.js';
import { addFlags } from '../options/flag.js';
import { fps, maxWidth } from '../options/input.js';
import { json, jsonl, quiet, report, verbose } from '../options/output.js';
import { type SessionFlags, sessionFlags, sessionOptions } from '../options/session.js';
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

/** `face-liveness analyze`: one verdict per face track of each input, with one engine for all of them. */
export function registerAnalyze(program: Command): void {
  const cmd = program
    .command('analyze')
    .description('Judge the faces of videos and images: one verdict per face track, per input')
    .argument('<inputs...>', 'video files, image files or cameras (0, /dev/video0)');
  addFlags(cmd, [
    ...engineFlags(),
    ...sessionFlags(),
    fps(),
    maxWidth(),
    json('one line per input, {"input","verdict","kind","frames","fps",...,"tracks":[...]}'),
    jsonl(
      '{"input","frame":{...}} per frame, then the --json line of the input; an interrupted run keeps what it did',
    ),
    quiet(),
    report(),
    verbose(),
  ]).action(async (inputs: string[], flags: AnalyzeFlags) => {
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
  });
}
