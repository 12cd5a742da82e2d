import { LivenessClassifier } from '../classifier.js';
import { loadCanvas } from '../plot.js';
import { selectTrainingBackend } from './backend.js';
import { loadTrainingData } from './data.js';
import { fit } from './fit.js';
import { type TrainOptions, type TrainResult, trainOutputs, trainSettings } from './options.js';
import { reportTraining } from './report.js';
import { closeSession, compileSession, openSession, sessionSaver } from './session.js';

/**
 * Trains LivenessNet as the original train_liveness.py does: augmented training crops, Adam with
 * time-based decay (lr / epochs), binary cross-entropy on the softmax, best-val_loss and
 * best-val_acc checkpoints, early stopping on val_loss; then saves the model, appends the
 * classification reports of the last and both best models to the evaluation file and draws the plot.
 * It writes only the model directory and the paths given (by default the plot, the reports and the
 * checkpoints go inside the model directory).
 */
export async function train(options: TrainOptions): Promise<TrainResult> {
  const settings = trainSettings(options);
  const outputs = trainOutputs(options);
  const callbacks = options.callbacks ?? {};
  // The plot is drawn last: without its canvas, stop before the epochs, not after them.
  await loadCanvas();
  await selectTrainingBackend({ backend: options.backend });
  const session = await openSession(options, outputs);
  try {
    const data = await loadTrainingData(options, session.metadata);
    const optimizer = await compileSession(session, settings, callbacks);
    const save = sessionSaver(session, optimizer, settings, {
      trainedOn: data.trainedOn,
      cropMargin: options.margin,
    });
    const classifier = LivenessClassifier.fromModel(session.model, session.metadata, { batchSize: 64 });
    const fitted = await fit(session, data, {
      settings,
      optimizer,
      augment: options.augment,
      predict: (frames) => classifier.predict(frames),
      checkpoints: outputs.checkpoints,
      save,
      callbacks,
    });
    const metadata = await save(outputs.model, session.startEpoch + fitted.logs.length);
    const reports = await reportTraining(classifier, data, fitted.history, outputs, {
      backend: options.backend,
      callbacks,
    });
    return {
      ...fitted,
      reports,
      modelPath: outputs.model,
      plotPath: outputs.plot,
      evaluationPath: outputs.evaluation,
      checkpoints: outputs.checkpoints,
      skipped: data.skipped,
      metadata,
    };
  } finally {
    closeSession(session);
  }
}
