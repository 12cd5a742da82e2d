import { appendFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { FaceLivenessError } from '@face-liveness/core';
import {
  evaluateModel,
  type SkippedImage,
  writeRocPlot,
  writeScores,
} from '@face-liveness/livenessnet/evaluate';
import { type ClassifierFlags, MIN_CROP_SIDE } from '../options/classifier.js';
import { progressCallback } from '../print/batch-progress.js';
import { evaluationJson, evaluationText } from '../print/evaluation.js';
import { evaluationModel, openClassifiers } from './classifier.js';

// The reason readFaceCrops gives a frame without a face: a skip, not a failure.
const NO_FACE = 'no face found';

interface EvaluateFlags extends ClassifierFlags {
  valDataset: string;
  evaluationResult?: string;
  batchSize: number;
  scores?: string;
  json?: boolean;
  roc?: string | false;
  quiet?: boolean;
  attackTypeFrom: 'name' | 'subfolder';
  strict?: boolean;
}

/** `--roc FILE`; else beside `--scores FILE` (scores.jsonl: scores.roc.png); else none (never into the current folder unasked). */
function rocPath(flags: EvaluateFlags): string | undefined {
  if (flags.roc === false) return undefined;
  if (flags.roc !== undefined) return flags.roc;
  return (
    flags.scores && join(dirname(flags.scores), `${basename(flags.scores, extname(flags.scores))}.roc.png`)
  );
}

export async function action(flags: EvaluateFlags): Promise<void> {
  const classifiers = await openClassifiers(flags);
  const skipped: SkippedImage[] = [];
  const progress = progressCallback('images', flags.quiet);
  const { engine } = classifiers;
  // The engine frames each face for each classifier (classifyFace, own margins); a single crop model batches crops.
  const perFace = engine && (classifiers.list.length > 1 || classifiers.list.some((c) => c.classifyFace));
  try {
    const result = await evaluateModel(evaluationModel(classifiers), flags.valDataset, {
      batchSize: flags.batchSize,
      attackTypeFrom: flags.attackTypeFrom,
      detector: engine?.components.detector,
      margin: flags.margin ?? classifiers.list[0].cropMargin,
      minSide: MIN_CROP_SIDE,
      onError: flags.strict ? 'fail' : 'skip',
      onSkip: (s) => {
        skipped.push(s);
        if (s.reason !== NO_FACE) progress.fail();
        progress.print(`warning: skipped ${s.path}: ${s.reason}`, true);
      },
      onProgress: progress.onProgress,
      scoreFace: perFace ? (frame, box) => engine.scoreFace(frame, box) : undefined,
    });
    progress.stop();
    const roc = rocPath(flags);
    if (flags.scores) await writeScores(flags.scores, result.samples);
    if (roc) await writeRocPlot(roc, result);
    const text = evaluationText(flags.model, flags.valDataset, result);
    if (flags.evaluationResult) await appendFile(flags.evaluationResult, `${text}\n`);
    if (flags.json) process.stdout.write(`${evaluationJson(flags.model, flags.valDataset, result)}\n`);
    else process.stdout.write(`${text}${roc ? `ROC plot: ${resolve(roc)}\n` : ''}`);
    const unreadable = skipped.filter((s) => s.reason !== NO_FACE).length;
    process.stderr.write(
      `${result.samples.length} ok, ${unreadable} failed, ${skipped.length - unreadable} without a face\n`,
    );
    if (unreadable > 0) {
      throw new FaceLivenessError(
        'ERR_INPUT_FAILED',
        `${unreadable} of ${result.samples.length + skipped.length} images could not be read (named above; the metrics leave them out)`,
      );
    }
  } finally {
    progress.stop();
    await classifiers.close();
  }
}
