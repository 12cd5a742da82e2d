// Copies a trained model directory with its decision threshold set (metadata `threshold`), e.g. the
// dev equal-error threshold that evaluate-ours.mjs reports, so classify/evaluate/pipeline use it.
//   node experiments/set-threshold.mjs --from RUN/model --to DIR --threshold T [--trained-on TEXT]
// (--trained-on replaces the metadata's description of the data, e.g. to drop temporary paths).
import { parseArgs } from 'node:util';
import { loadLivenessModel, selectBackend } from '@face-liveness/livenessnet';
import { saveLivenessModel } from '@face-liveness/livenessnet/train';

const { values: args } = parseArgs({
  options: {
    from: { type: 'string' },
    to: { type: 'string' },
    threshold: { type: 'string' },
    'trained-on': { type: 'string' },
  },
});
const threshold = Number(args.threshold);
if (!args.from || !args.to || !(threshold >= 0 && threshold <= 1)) {
  throw new Error('usage: --from MODEL_DIR --to DIR --threshold T (0..1)');
}
await selectBackend();
const { model, metadata } = await loadLivenessModel(args.from);
await saveLivenessModel(model, args.to, {
  ...metadata,
  threshold,
  trainedOn: args['trained-on'] ?? metadata.trainedOn,
});
model.dispose();
process.stdout.write(`${args.to}: threshold ${threshold}\n`);
