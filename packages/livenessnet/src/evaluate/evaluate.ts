import { writeFile } from 'node:fs/promises';
import type { Box, Frame } from '@face-liveness/core';
import { InvalidInputError } from '@face-liveness/core';
import type { ClassificationReport } from '../classification-report.js';
import { classificationReport, formatClassificationReport } from '../classification-report.js';
import type { LivenessModelLike } from '../classifier.js';
import type { CropSourceOptions, DatasetItem, SkippedImage } from '../dataset.js';
import { listDataset, readFaceCrops } from '../dataset.js';
import { renderRocPlot } from '../plot.js';
import type { PadMetrics, ScoredSample } from './pad-metrics.js';
import { attackTypeOf, padMetrics, rocCurve } from './pad-metrics.js';

/** Options of {@link evaluateModel}. */
export interface EvaluateOptions
  extends Pick<CropSourceOptions, 'detector' | 'margin' | 'onError' | 'onSkip' | 'minSide'> {
  /** Crops per inference call (`-b`). Default 32. */
  batchSize?: number;
  /** Where attack types come from (see `attackTypeOf`). Default `name`. */
  attackTypeFrom?: 'name' | 'subfolder';
  /** Decision threshold on P(live); default the model's. */
  threshold?: number;
  /** After each batch: images scored or skipped so far, of all the dataset's. */
  onProgress?: (done: number, total: number) => void;
  /**
   * P(live) of a face the detector found, in its frame, instead of the model's score of its crop:
   * for classifiers that frame the face themselves (e.g. MiniFASNet's `classifyFace`).
   */
  scoreFace?: (frame: Frame, box: Box) => Promise<number>;
}

/** Everything `face-liveness evaluate` reports. */
export interface EvaluationResult {
  /** One per usable image: path, true label, P(live), attack type. */
  samples: ScoredSample[];
  report: ClassificationReport;
  /** scikit-learn-style report, 6 digits. */
  reportText: string;
  metrics: PadMetrics;
  /** Pooled APCER (all attacks) at the threshold, the ROC plot's operating point. */
  pooledApcer: number;
  roc: { apcer: number; tpr: number; threshold: number }[];
  skipped: SkippedImage[];
}

/**
 * Scores every image of a dataset folder (`real/`, `fake/`) with a model or ensemble, streaming
 * in batches, and computes the classification report and the ISO/IEC 30107-3 metrics.
 */
export async function evaluateModel(
  model: LivenessModelLike,
  dataDir: string,
  options: EvaluateOptions = {},
): Promise<EvaluationResult> {
  const { batchSize = 32, attackTypeFrom = 'name' } = options;
  const threshold = options.threshold ?? model.threshold;
  if (!Number.isInteger(batchSize) || batchSize <= 0)
    throw new InvalidInputError(`batch size must be a positive integer, got ${batchSize}`);
  if (!(threshold >= 0 && threshold <= 1))
    throw new InvalidInputError(`threshold must be in [0, 1], got ${threshold}`);
  const items = await listDataset(dataDir);
  const skipped: SkippedImage[] = [];
  const samples: ScoredSample[] = [];
  const truth: number[] = [];
  const predicted: number[] = [];
  let pending: { item: DatasetItem; crop: Frame }[] = [];
  const record = (item: DatasetItem, score: number) => {
    samples.push({
      image: item.path,
      label: item.label,
      score,
      ...(item.label === 'real' ? {} : { attackType: attackTypeOf(item.relativePath, attackTypeFrom) }),
    });
    truth.push(model.classNames.indexOf(item.label));
    predicted.push(score >= threshold ? model.classNames.indexOf('real') : model.classNames.indexOf('fake'));
  };
  const progress = () => options.onProgress?.(samples.length + skipped.length, items.length);
  const flush = async () => {
    const results = await model.classifyBatch(pending.map((p) => p.crop));
    pending.forEach(({ item }, i) => record(item, results[i].score));
    progress();
    pending = [];
  };
  const onSkip = (s: SkippedImage) => {
    skipped.push(s);
    options.onSkip?.(s);
    progress();
  };
  for await (const entry of readFaceCrops(items, { ...options, decoder: model.decoder, onSkip })) {
    if (options.scoreFace && entry.found) {
      // One at a time: a batch of whole frames would hold a lot of memory.
      record(entry.item, await options.scoreFace(entry.found.frame, entry.found.box));
      progress();
      continue;
    }
    pending.push(entry);
    if (pending.length === batchSize) await flush();
  }
  if (pending.length) await flush();
  if (!samples.some((s) => s.label === 'real') || !samples.some((s) => s.label !== 'real')) {
    throw new InvalidInputError(`${dataDir}: every image of one class was skipped; nothing to evaluate`);
  }
  const report = classificationReport(truth, predicted, model.classNames);
  const metrics = padMetrics(samples, threshold);
  const attacks = samples.filter((s) => s.label !== 'real');
  return {
    samples,
    report,
    reportText: formatClassificationReport(report, 6),
    metrics,
    pooledApcer: attacks.filter((s) => s.score >= threshold).length / attacks.length,
    roc: rocCurve(samples),
    skipped,
  };
}

/** Writes one JSON line per sample: `{"image", "label", "score"}` (score = P(live)). */
export async function writeScores(path: string, samples: readonly ScoredSample[]): Promise<void> {
  const lines = samples.map((s) => JSON.stringify({ image: s.image, label: s.label, score: s.score }));
  await writeFile(path, `${lines.join('\n')}\n`);
}

/** Writes the ROC curve of an evaluation as PNG. */
export async function writeRocPlot(path: string, result: EvaluationResult): Promise<void> {
  const { metrics } = result;
  await writeFile(
    path,
    await renderRocPlot(
      result.roc,
      { apcer: result.pooledApcer, bpcer: metrics.bpcer, threshold: metrics.threshold },
      metrics.auc,
    ),
  );
}
