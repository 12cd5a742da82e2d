/**
 * At most `capacity` holders at a time; the others wait in arrival order. Checks are CPU-bound on
 * one thread: more at once only makes each slower, so extra requests wait for a turn instead.
 */
export class Semaphore {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly capacity: number) {}

  get load(): { running: number; waiting: number; capacity: number } {
    return { running: this.running, waiting: this.waiting.length, capacity: this.capacity };
  }

  async acquire(): Promise<void> {
    if (this.running < this.capacity) {
      this.running++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    // A waiting holder takes over the slot, so the running count stays as it is.
    if (next) next();
    else this.running--;
  }
}
