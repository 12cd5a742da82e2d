import type { Command } from 'commander';
import { classifierFlags } from '../options/classifier.js';
import { addFlags } from '../options/flag.js';
import { attackTypeFrom, strict, valDataset } from '../options/input.js';
import { evaluationResult, json, noRoc, quiet, roc, scores, verbose } from '../options/output.js';
import { batchSize } from '../options/training.js';
import { lazy } from './lazy.js';

/** `face-liveness evaluate`: the original evaluation.py / evaluation_ens.py plus ISO/IEC 30107-3 metrics. */
export function registerEvaluate(program: Command): void {
  const cmd = program
    .command('evaluate')
    .description(
      'Evaluate a LivenessNet or ensemble on a folder with real/ and fake/: classification report, APCER/BPCER/ACER, EER, AUC, ROC',
    );
  addFlags(cmd, [
    valDataset(),
    ...classifierFlags(),
    batchSize(32),
    attackTypeFrom(),
    strict(),
    evaluationResult('none'),
    scores(),
    roc(),
    noRoc(),
    json('the report and metrics as one line, instead of the text'),
    quiet(),
    verbose(),
  ]).action(lazy(() => import('../actions/evaluate.js')));
}
