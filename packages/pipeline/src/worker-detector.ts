import { Worker } from 'node:worker_threads';
import {
  assertFrame,
  FaceLivenessError,
  type Frame,
  InvalidInputError,
  ModelFormatError,
  ModelIntegrityError,
  ModelNotFoundError,
  prepareOnnxRuntime,
} from '@face-liveness/core';
import type { CreateFaceDetectorOptions, DetectedFace, FaceDetectorLike } from '@face-liveness/face-detector';

/** What the worker is created with: `createFaceDetector` options, the store as a directory. */
export interface DetectorThreadOptions extends Omit<CreateFaceDetectorOptions, 'store' | 'model'> {
  model?: string;
  storeDir?: string;
}

/** @internal Messages to the worker. */
export type DetectorRequest =
  | { type: 'detect'; id: number; data: Uint8Array; width: number; height: number }
  | { type: 'close' };

/** @internal Messages from the worker; id -1 answers the creation. */
export interface DetectorReply {
  id: number;
  faces?: DetectedFace[];
  name?: string;
  reason?: string;
  error?: { name: string; message: string; code?: string };
}

// The project's errors cross the thread boundary by name, so that the CLI still prints them plainly.
function revive(error: NonNullable<DetectorReply['error']>): Error {
  switch (error.name) {
    case 'InvalidInputError':
      return new InvalidInputError(error.message);
    case 'ModelNotFoundError':
      return new ModelNotFoundError(error.message);
    case 'ModelFormatError':
      return new ModelFormatError(error.message);
    case 'ModelIntegrityError':
      return new ModelIntegrityError(error.message);
    default:
      return error.code ? new FaceLivenessError(error.code, error.message) : new Error(error.message);
  }
}

/**
 * The project's face detector (`createFaceDetector`) running in a worker thread: `detect()` copies
 * the frame to the worker and returns at once, so the main thread keeps working (on the previous
 * frame's landmarks and crops, in the pipeline) while the detector runs on the other core.
 */
export class WorkerFaceDetector implements FaceDetectorLike {
  private nextId = 0;
  private readonly waiting = new Map<
    number,
    { done: (faces: DetectedFace[]) => void; fail: (e: Error) => void }
  >();
  private exited = false;

  private constructor(
    private readonly worker: Worker,
    /** Which detector the worker picked (`res10` or `blazeface`) and why. */
    readonly name: string,
    readonly reason: string,
  ) {
    worker.on('message', (reply: DetectorReply) => {
      const pending = this.waiting.get(reply.id);
      if (!pending) return;
      this.waiting.delete(reply.id);
      if (reply.error) pending.fail(revive(reply.error));
      else pending.done(reply.faces ?? []);
    });
    const failAll = (error: Error) => {
      this.exited = true;
      for (const pending of this.waiting.values()) pending.fail(error);
      this.waiting.clear();
    };
    worker.on('error', failAll);
    worker.on('exit', () => failAll(new Error('the face detector thread exited')));
  }

  /** Starts the worker and loads the detector in it; errors (a missing model...) are the same as in-thread. */
  static async create(options: DetectorThreadOptions = {}): Promise<WorkerFaceDetector> {
    // Here, on the main thread: the worker's process.env is a copy native code never reads
    // (`argv: []` would change nothing either: the telemetry reads the whole process's cmdline).
    prepareOnnxRuntime();
    // From src/ (tests) and from dist/ alike: the compiled worker lives in dist/.
    const worker = new Worker(new URL('../dist/detector-thread.js', import.meta.url), {
      workerData: options,
    });
    const ready = await new Promise<DetectorReply>((done, fail) => {
      worker.once('message', done);
      worker.once('error', fail);
    });
    if (ready.error) {
      await worker.terminate();
      throw revive(ready.error);
    }
    return new WorkerFaceDetector(worker, ready.name ?? 'unknown', ready.reason ?? '');
  }

  async detect(frame: Frame): Promise<DetectedFace[]> {
    assertFrame(frame);
    if (this.exited) throw new InvalidInputError('the face detector thread is closed');
    const id = this.nextId++;
    return new Promise((done, fail) => {
      this.waiting.set(id, { done, fail });
      const request: DetectorRequest = {
        type: 'detect',
        id,
        data: frame.data,
        width: frame.width,
        height: frame.height,
      };
      this.worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    if (this.exited) return;
    const exit = new Promise((done) => this.worker.once('exit', done));
    this.worker.postMessage({ type: 'close' } satisfies DetectorRequest);
    await exit;
  }
}
