/** What to do after an epoch, per {@link EpochMonitor.update}. */
export interface EpochDecision {
  /** val_loss is the lowest so far: save the best_loss checkpoint. */
  saveBestLoss: boolean;
  /** val_acc is the highest so far: save the best_acc checkpoint. */
  saveBestAcc: boolean;
  /** val_loss has not improved for `patience` epochs. */
  stop: boolean;
}

/**
 * The original's Keras callbacks as one piece of bookkeeping: ModelCheckpoint(save_best_only) on
 * val_loss (min) and val_acc (max), EarlyStopping(val_loss, patience, min_delta 0). Improvement
 * means strictly better, as Keras.
 */
export class EpochMonitor {
  bestLoss = Number.POSITIVE_INFINITY;
  bestAcc = Number.NEGATIVE_INFINITY;
  private wait = 0;

  constructor(readonly patience: number) {}

  update(valLoss: number, valAcc: number): EpochDecision {
    const saveBestLoss = valLoss < this.bestLoss;
    const saveBestAcc = valAcc > this.bestAcc;
    if (saveBestLoss) {
      this.bestLoss = valLoss;
      this.wait = 0;
    } else {
      this.wait++;
    }
    if (saveBestAcc) this.bestAcc = valAcc;
    return { saveBestLoss, saveBestAcc, stop: this.wait >= this.patience };
  }
}
