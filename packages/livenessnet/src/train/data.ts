import { resolve } from 'node:path';
import { type LoadedDataset, loadDataset, type SkippedImage } from '../dataset.js';
import type { LivenessMetadata } from '../metadata.js';
import type { TrainOptions } from './options.js';

/** The data step's result. */
export interface TrainingData {
  train: LoadedDataset;
  validation: LoadedDataset;
  /** Unusable images of both sets. */
  skipped: SkippedImage[];
  /** `validation DIR (n real, m fake)`. */
  validationName: string;
  /** Both sets, as the saved model's `trainedOn` records them. */
  trainedOn: string;
}

function describeData(name: string, dir: string, data: LoadedDataset): string {
  const count = (label: string) => data.items.filter((item) => item.label === label).length;
  return `${name} ${resolve(dir)} (${count('real')} real, ${count('fake')} fake)`;
}

/**
 * The data step: reads the training and validation face crops (cropping full frames when a detector
 * is given) at the model's input size, decoded as the model's images are.
 */
export async function loadTrainingData(
  options: TrainOptions,
  metadata: LivenessMetadata,
): Promise<TrainingData> {
  const callbacks = options.callbacks ?? {};
  const skipped: SkippedImage[] = [];
  const read = (dir: string, which: 'train' | 'validation') =>
    loadDataset(dir, {
      ...metadata.inputSize,
      detector: options.detector,
      margin: options.margin,
      onError: options.onError,
      decoder: metadata.preprocessing.decoder,
      onSkip: (s) => {
        skipped.push(s);
        callbacks.onSkip?.(s);
      },
      onProgress: (done, total) => callbacks.onLoadProgress?.(which, done, total),
    });
  const train = await read(options.trainDir, 'train');
  const validation = await read(options.valDir, 'validation');
  const validationName = describeData('validation', options.valDir, validation);
  return {
    train,
    validation,
    skipped,
    validationName,
    trainedOn: `${describeData('train', options.trainDir, train)}; ${validationName}`,
  };
}
