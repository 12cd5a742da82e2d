import * as tf from '@tensorflow/tfjs-core';

const BETA1 = 0.9;
const BETA2 = 0.999;
const KERAS_EPSILON = 1e-7;

/**
 * Keras 2's Adam, decay included: step t (counted from the start of training, carried over when
 * training resumes) uses lr / (1 + decay * t), and the update is
 * p -= lr_t * m / (sqrt(v) + 1e-7) with lr_t = lr * sqrt(1 - beta2^k) / (1 - beta1^k), k counting
 * the steps the moments m, v have seen (restored with them on resume, see `training-state.ts`; 0 when
 * they start afresh). tfjs puts epsilon inside the bias correction, so it is rescaled per step to
 * give Keras' update exactly.
 */
export class DecayedAdam extends tf.AdamOptimizer {
  constructor(
    readonly initialLearningRate: number,
    readonly decay: number,
    /** Optimizer steps already taken (a resumed model's recorded iterations). */
    public step = 0,
  ) {
    super(initialLearningRate, BETA1, BETA2, KERAS_EPSILON);
  }

  /** The learning rate of the next step. */
  get currentLearningRate(): number {
    return this.initialLearningRate / (1 + this.decay * this.step);
  }

  override applyGradients(variableGradients: Parameters<tf.AdamOptimizer['applyGradients']>[0]): void {
    this.learningRate = this.currentLearningRate;
    this.epsilon = KERAS_EPSILON / Math.sqrt(1 - BETA2 ** (this.iterations + 1));
    this.step++;
    super.applyGradients(variableGradients);
  }
}
