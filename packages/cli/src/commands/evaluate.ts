import { appendFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InvalidInputError } from '@face-liveness/core';
import {
  evaluateModel,
  formatPadMetrics,
  writeRocPlot,
  writeScores,
} from '@face-liveness/livenessnet/evaluate';
import type { Command } from 'commander';
import { addModelOptions, type ModelFlags, openModelAndDetector } from './liveness-options.js';
import { number } from './pipeline-options.js';

interface EvaluateFlags extends ModelFlags {
  valDataset: string;
  evaluationResult?: string;
  batchSize: number;
  scores?: string;
  json?: boolean;
  roc: string | false;
  attackTypeFrom: 'name' | 'subfolder';
  strict?: boolean;
}

/** `face-liveness evaluate`: the original evaluation.py / evaluation_ens.py plus ISO/IEC 30107-3 metrics. */
export function registerEvaluate(program: Command): void {
  addModelOptions(
    program
      .command('evaluate')
      .description(
        'Evaluate a LivenessNet or ensemble on a folder with real/ and fake/: classification report, APCER/BPCER/ACER, EER, AUC, ROC',
      )
      .requiredOption(
        '--dv, --val-dataset <dir>',
        'data: real/ and fake/ subfolders (-dv as in the original)',
      ),
  )
    .option('--ev, --evaluation-result <file>', 'append the report to this file (-ev)')
    .option('-b, --batch-size <n>', 'images per inference call', number('--batch-size', true), 32)
    .option('--scores <jsonl>', 'write {"image","label","score"} per image (score = P(live))')
    .option('--json', 'print the metrics as JSON instead of text')
    .option('--roc <png>', 'ROC plot to write', 'roc.png')
    .option('--no-roc', 'do not write the ROC plot')
    .option(
      '--attack-type-from <source>',
      'attack type of fake/ images: name (keywords in the path) or subfolder',
      'name',
    )
    .option(
      '--strict',
      'stop at the first unreadable image or frame without a face (default: skip it with a warning)',
    )
    .action(async (flags: EvaluateFlags) => {
      if (flags.attackTypeFrom !== 'name' && flags.attackTypeFrom !== 'subfolder') {
        throw new InvalidInputError(
          `--attack-type-from must be name or subfolder, got '${flags.attackTypeFrom}'`,
        );
      }
      const { model, detector, margin, close } = await openModelAndDetector(flags);
      try {
        const result = await evaluateModel(model, flags.valDataset, {
          batchSize: flags.batchSize,
          attackTypeFrom: flags.attackTypeFrom,
          detector,
          margin,
          onError: flags.strict ? 'fail' : 'skip',
          onSkip: (s) => process.stderr.write(`warning: skipped ${s.path}: ${s.reason}\n`),
        });
        if (flags.scores) await writeScores(flags.scores, result.samples);
        if (flags.roc !== false) await writeRocPlot(flags.roc, result);
        const header = `model ${flags.model ? resolve(flags.model) : 'livenessnet (store)'} on ${resolve(flags.valDataset)}, ${new Date().toISOString()}`;
        const text = `${header}\n${result.reportText}\n${formatPadMetrics(result.metrics)}`;
        if (flags.evaluationResult) await appendFile(flags.evaluationResult, `${text}\n`);
        if (flags.json) {
          const { samples, roc, ...rest } = result;
          process.stdout.write(
            `${JSON.stringify({ model: flags.model ?? 'livenessnet', dataset: resolve(flags.valDataset), images: samples.length, ...rest })}\n`,
          );
        } else {
          process.stdout.write(text);
          if (flags.roc !== false) process.stdout.write(`ROC plot: ${resolve(flags.roc)}\n`);
        }
      } finally {
        await close();
      }
    });
}
