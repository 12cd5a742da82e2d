import { createWriteStream, type WriteStream } from 'node:fs';
import { FaceLivenessError, isFaceLivenessError } from '@face-liveness/core';
import { createLivenessPipeline, type RunSummary, runPipeline } from '@face-liveness/pipeline';
import type { Command } from 'commander';
import {
  abortOnSigint,
  addPipelineOptions,
  number,
  type PipelineFlags,
  pipelineOptions,
} from './pipeline-options.js';

interface AnalyzeFlags extends PipelineFlags {
  json?: boolean;
  report?: string;
  fps?: number;
  maxWidth?: number;
}

/** JSON with numbers rounded to 4 decimals (scores, times) and NaN as null. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    typeof v === 'number' ? (Number.isFinite(v) ? Math.round(v * 1e4) / 1e4 : null) : v,
  );
}

/** One line per input for `--json`: the summary without the per-frame detail. */
export function summaryLine(summary: RunSummary): Record<string, unknown> {
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
    })),
  };
}

/** Human-readable lines: the input's verdict, then one line per face track. */
export function describeSummary(summary: RunSummary): string {
  const head = `${summary.input}: ${summary.verdict}, ${summary.frames} frame${summary.frames === 1 ? '' : 's'}`;
  if (summary.tracks.length === 0) return `${head}, no face found`;
  const faces = summary.tracks.map(
    (t) =>
      `  face #${t.id}: ${t.verdict} (mean P(live) ${Number.isNaN(t.score) ? '-' : t.score.toFixed(3)}, ` +
      `${t.blinks} blinks, ${t.frames} frames) - ${t.reason}`,
  );
  return [head, ...faces].join('\n');
}

// The per-frame report is streamed to disk, so a long video does not grow in memory.
function write(stream: WriteStream, text: string): Promise<void> {
  return new Promise((done, fail) => {
    if (stream.write(text)) done();
    else stream.once('drain', done).once('error', fail);
  });
}

async function analyze(inputs: string[], flags: AnalyzeFlags): Promise<void> {
  const pipeline = await createLivenessPipeline(pipelineOptions(flags));
  const report = flags.report ? createWriteStream(flags.report) : undefined;
  const { signal, dispose } = abortOnSigint();
  let failed = 0;
  try {
    if (report) await write(report, '{"inputs":[');
    for (const [i, input] of inputs.entries()) {
      if (signal.aborted) break;
      const pending: Promise<void>[] = [];
      let first = true;
      if (report) await write(report, `${i ? ',' : ''}{"input":${JSON.stringify(input)},"frames":[`);
      try {
        const summary = await runPipeline(pipeline, input, {
          fps: flags.fps,
          maxWidth: flags.maxWidth,
          signal,
          onFrame: report
            ? (result) => {
                pending.push(write(report, `${first ? '' : ',\n'}${toJson(result)}`));
                first = false;
              }
            : undefined,
        });
        await Promise.all(pending);
        if (report) await write(report, `],"summary":${toJson(summaryLine(summary))}}`);
        process.stdout.write(`${flags.json ? toJson(summaryLine(summary)) : describeSummary(summary)}\n`);
      } catch (error) {
        if (!isFaceLivenessError(error)) throw error;
        failed++;
        await Promise.all(pending);
        if (report) await write(report, `],"error":${JSON.stringify(error.message)}}`);
        if (flags.json) process.stdout.write(`${toJson({ input, error: error.message })}\n`);
        else process.stderr.write(`face-liveness: ${error.message}\n`);
      }
    }
    if (report) await write(report, ']}\n');
  } finally {
    dispose();
    await pipeline.close();
    if (report) await new Promise((done) => report.end(done));
  }
  if (failed)
    throw new FaceLivenessError(
      'ERR_INPUT_FAILED',
      `${failed} of ${inputs.length} inputs could not be analysed`,
    );
}

export function registerAnalyze(program: Command): void {
  const cmd = program
    .command('analyze')
    .description('Judge the faces of videos and images: one verdict per face track, per input')
    .argument('<inputs...>', 'video files, image files or cameras (0, /dev/video0)')
    .option('--json', 'print one JSON line per input: {"input","frames","fps","tracks":[...]}')
    .option(
      '--report <file.json>',
      'write every frame’s result (boxes, scores, landmarks, verdicts) to this file',
    )
    .option('--fps <n>', 'resample videos to this frame rate', number('--fps'))
    .option('--max-width <px>', 'downscale wider videos to this width', number('--max-width', true));
  addPipelineOptions(cmd).action((inputs: string[], flags: AnalyzeFlags) => analyze(inputs, flags));
}
