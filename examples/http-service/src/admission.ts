import type { FastifyReply, FastifyRequest } from 'fastify';

interface Held {
  checking: boolean;
  release: () => void;
}

/**
 * Counts the requests let in, from before their body is read until their check ends: this bounds
 * the uploads held in memory and the checks queued, and tells the shutdown when the models are
 * no longer needed. A check goes on after its client leaves, and keeps its place until it ends.
 */
export class Admission {
  private count = 0;
  private onIdle?: () => void;
  private readonly held = new WeakMap<FastifyRequest, Held>();

  constructor(readonly capacity: number) {}

  get admitted(): number {
    return this.count;
  }

  get full(): boolean {
    return this.count >= this.capacity;
  }

  /** Lets `request` in, unless the service is full. */
  enter(request: FastifyRequest, reply: FastifyReply): boolean {
    if (this.full) return false;
    this.count++;
    let released = false;
    const held: Held = {
      checking: false,
      release: () => {
        if (released) return;
        released = true;
        if (--this.count === 0) this.onIdle?.();
      },
    };
    this.held.set(request, held);
    // A client that leaves before its check starts (an aborted upload, a refusal) frees its place.
    reply.raw.once('close', () => held.checking || held.release());
    return true;
  }

  /** Runs the check of an admitted request; its place is freed when the check ends. */
  async check<T>(request: FastifyRequest, work: () => Promise<T>): Promise<T> {
    const held = this.held.get(request);
    if (held) held.checking = true;
    try {
      return await work();
    } finally {
      held?.release();
    }
  }

  /** Resolves once no admitted request is left. */
  idle(): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.onIdle = resolve;
    });
  }
}
