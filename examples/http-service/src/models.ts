import { createLivenessEngine, type LivenessEngineOptions } from '@face-liveness/pipeline';
import type { FastifyBaseLogger } from 'fastify';
import { type CheckerOptions, LivenessChecker } from './checker.js';

/** How long the service waits before trying again to load models that failed to load. */
export const RELOAD_AFTER_MS = 30_000;

/**
 * Loads the process's one engine in the background, so that the service answers /healthz (alive)
 * while /readyz says it is not ready yet; models that cannot be loaded (a store not mounted yet)
 * are tried again every {@link RELOAD_AFTER_MS} instead of ending the process.
 */
export class Models {
  /** Set once the models are loaded. */
  checker?: LivenessChecker;
  /** Set while the last attempt failed. */
  failed = false;
  private loading?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly engineOptions: LivenessEngineOptions | undefined,
    private readonly checkerOptions: CheckerOptions,
    private readonly log: FastifyBaseLogger,
  ) {
    this.load();
  }

  private load(): void {
    this.loading = createLivenessEngine(this.engineOptions).then(
      async (engine) => {
        if (this.closed) return engine.close();
        this.checker = new LivenessChecker(engine, this.checkerOptions);
        this.failed = false;
        this.log.info('models loaded');
      },
      (error: Error) => {
        this.failed = true;
        this.log.error(
          { err: error.message },
          `models cannot be loaded; trying again in ${RELOAD_AFTER_MS / 1000} s`,
        );
        if (!this.closed) this.timer = setTimeout(() => this.load(), RELOAD_AFTER_MS).unref();
      },
    );
  }

  /** Stops retrying and releases the models (after a load in progress, if any). */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.loading;
    await this.checker?.engine.close();
  }
}
