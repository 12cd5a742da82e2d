import { analyzeMedia } from '@face-liveness/pipeline';
import type { Command } from 'commander';
import { interruptible } from '../interrupt.js';
import { type EngineFlags, engineFlags, openEngine } from '../options/engine.js';
import { addFlags } from '../options/flag.js';
import { fps, maxWidth } from '../options/input.js';
import { json, report, verbose } from '../options/output.js';
import { type SessionFlags, sessionFlags, sessionOptions } from '../options/session.js';
import { eachInput } from '../print/each-input.js';
import { FrameReport } from '../print/frame-report.js';
import { describeSummary, summaryLine, toJson } from '../print/media-summary.js';

interface AnalyzeFlags extends EngineFlags, SessionFlags {
  json?: boolean;
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
    report(),
    verbose(),
  ]).action(async (inputs: string[], flags: AnalyzeFlags) => {
    const session = sessionOptions(flags);
    const engine = await openEngine(flags);
    const frames = flags.report ? new FrameReport(flags.report) : undefined;
    const { signal, dispose } = interruptible();
    try {
      const onError = (_input: string, error: Error) => frames?.fail(error.message);
      await eachInput(
        inputs,
        { json: flags.json, key: 'input', failure: 'inputs could not be analysed', signal, onError },
        async (input) => {
          frames?.begin(input);
          const summary = await analyzeMedia(engine, input, {
            session,
            fps: flags.fps,
            maxWidth: flags.maxWidth,
            signal,
            onFrame: frames && ((result) => frames.frame(result)),
          });
          frames?.end(summary);
          process.stdout.write(`${flags.json ? toJson(summaryLine(summary)) : describeSummary(summary)}\n`);
        },
      );
    } finally {
      dispose();
      await engine.close();
      await frames?.close();
    }
  });
}
