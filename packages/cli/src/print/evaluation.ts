import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { type EvaluationResult, formatPadMetrics } from '@face-liveness/livenessnet/evaluate';

/** `-m` as given, with each path made absolute (names such as minifasnet stay names). */
function describeModel(model: string): string {
  return model
    .split(',')
    .map((m) => (existsSync(m) ? resolve(m) : m))
    .join(',');
}

/** The report `evaluate` prints and appends to `-ev`: what was evaluated when, the classification report, the PAD metrics. */
export function evaluationText(model: string | undefined, dataset: string, result: EvaluationResult): string {
  const header = `model ${model ? describeModel(model) : 'livenessnet (store)'} on ${resolve(dataset)}, ${new Date().toISOString()}`;
  return `${header}\n${result.reportText}\n${formatPadMetrics(result.metrics)}`;
}

/** `evaluate --json`: the result without the per-image scores and the ROC points. */
export function evaluationJson(model: string | undefined, dataset: string, result: EvaluationResult): string {
  const { samples, roc, ...rest } = result;
  return JSON.stringify({
    model: model ?? 'livenessnet',
    dataset: resolve(dataset),
    images: samples.length,
    ...rest,
  });
}
