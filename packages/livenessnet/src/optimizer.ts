import * as tf from '@tensorflow/tfjs-core';

/**
 * Adam with Keras 2's time-based decay: step t uses lr / (1 + decay * t), t counting optimizer
 * steps from the start of training (carried over when training resumes). Betas 0.9 / 0.999 and
 * epsilon 1e-7 as Keras.
 */
export class DecayedAdam extends tf.AdamOptimizer {
  constructor(
    readonly initialLearningRate: number,
    readonly decay: number,
    /** Optimizer steps already taken (a resumed model's recorded iterations). */
    public step = 0,
  ) {
    super(initialLearningRate, 0.9, 0.999, 1e-7);
  }

  /** The learning rate of the next step. */
  get currentLearningRate(): number {
    return this.initialLearningRate / (1 + this.decay * this.step);
  }

  override applyGradients(variableGradients: Parameters<tf.AdamOptimizer['applyGradients']>[0]): void {
    this.learningRate = this.currentLearningRate;
    this.step++;
    super.applyGradients(variableGradients);
  }
}
