import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { BackendName } from '../backend/index.js';
import { classificationReport, formatClassificationReport } from '../classification-report.js';
import { LivenessClassifier } from '../classifier.js';
import { DATASET_CLASSES } from '../dataset.js';
import { type History, renderTrainingPlot } from '../plot.js';
import type { TrainingData } from './data.js';
import type { ModelReport, TrainCallbacks, TrainOutputs } from './options.js';

function argmaxRows(probabilities: Float32Array, classes: number): Int32Array {
  const out = new Int32Array(probabilities.length / classes);
  for (let i = 0; i < out.length; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++)
      if (probabilities[i * classes + c] > probabilities[i * classes + best]) best = c;
    out[i] = best;
  }
  return out;
}

/**
 * The report step, as the original: the classification report (argmax, as Keras' `predict` then
 * `argmax`) of the last model and of both checkpoints on the validation set, each shown through
 * `onMessage`, all appended to the evaluation file; then the loss/accuracy plot.
 */
export async function reportTraining(
  last: LivenessClassifier,
  data: TrainingData,
  history: History,
  outputs: TrainOutputs,
  options: { backend?: BackendName; callbacks: TrainCallbacks },
): Promise<ModelReport[]> {
  const reports: ModelReport[] = [];
  const reportOn = async (name: ModelReport['name'], path: string, model: LivenessClassifier) => {
    const rows = await model.predict(data.validation.frames);
    const predicted = argmaxRows(rows, DATASET_CLASSES.length);
    const report = classificationReport(data.validation.labels, predicted, DATASET_CLASSES);
    const text = `${name} model ${path} on ${data.validationName}, ${new Date().toISOString()}\n${formatClassificationReport(report, 6)}`;
    reports.push({ name, path, report, text });
    options.callbacks.onMessage?.(text);
  };
  await reportOn('last', outputs.model, last);
  for (const [name, path] of [
    ['best_loss', outputs.checkpoints.bestLoss],
    ['best_acc', outputs.checkpoints.bestAcc],
  ] as const) {
    const best = await LivenessClassifier.load(path, { backend: options.backend });
    try {
      await reportOn(name, path, best);
    } finally {
      await best.close();
    }
  }
  await mkdir(dirname(outputs.evaluation), { recursive: true });
  await appendFile(outputs.evaluation, `${reports.map((r) => r.text).join('\n')}\n`);
  await mkdir(dirname(outputs.plot), { recursive: true });
  await writeFile(outputs.plot, await renderTrainingPlot(history));
  return reports;
}
