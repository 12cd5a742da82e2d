import { appendFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { FaceLivenessError } from '@face-liveness/core';
import {
  evaluateModel,
  type SkippedImage,
  writeRocPlot,
  writeScores,
} from '@face-liveness/livenessnet/evaluate';
import type { ClassifierFlags } from '../options/classifier.js';
import { evaluationJson, evaluationText } from '../print/evaluation.js';
import { openClassifier } from './classifier.js';

// The reason readFaceCrops gives a frame without a face: a skip, not a failure.
const NO_FACE = 'no face found';

interface EvaluateFlags extends ClassifierFlags {
  valDataset: string;
  evaluationResult?: string;
  batchSize: number;
  scores?: string;
  json?: boolean;
  roc: string | false;
  attackTypeFrom: 'name' | 'subfolder';
  strict?: boolean;
}

export async function action(flags: EvaluateFlags): Promise<void> {
  const classifier = await openClassifier(flags);
  const skipped: SkippedImage[] = [];
  try {
    const result = await evaluateModel(classifier.model, flags.valDataset, {
      batchSize: flags.batchSize,
      attackTypeFrom: flags.attackTypeFrom,
      detector: classifier.detector,
      margin: classifier.margin,
      onError: flags.strict ? 'fail' : 'skip',
      onSkip: (s) => {
        skipped.push(s);
        process.stderr.write(`warning: skipped ${s.path}: ${s.reason}\n`);
      },
    });
    if (flags.scores) await writeScores(flags.scores, result.samples);
    if (flags.roc !== false) await writeRocPlot(flags.roc, result);
    const text = evaluationText(flags.model, flags.valDataset, result);
    if (flags.evaluationResult) await appendFile(flags.evaluationResult, `${text}\n`);
    if (flags.json) process.stdout.write(`${evaluationJson(flags.model, flags.valDataset, result)}\n`);
    else process.stdout.write(`${text}${flags.roc === false ? '' : `ROC plot: ${resolve(flags.roc)}\n`}`);
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
    await classifier.close();
  }
}
