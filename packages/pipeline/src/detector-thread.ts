// Worker-thread side of WorkerFaceDetector: owns the detector (its ONNX Runtime session) and
// answers one detection request at a time.
import { parentPort, workerData } from 'node:worker_threads';
import { ModelStore } from '@face-liveness/core';
import { createFaceDetector, type FaceDetectorLike } from '@face-liveness/face-detector';
import type { DetectorReply, DetectorRequest, DetectorThreadOptions } from './worker-detector.js';

const port = parentPort;
if (!port) throw new Error('detector-thread.js runs as a worker thread');

function describe(error: unknown): DetectorReply['error'] {
  const e = error as Error & { code?: string };
  return { name: e?.name ?? 'Error', message: e?.message ?? String(error), code: e?.code };
}

const options = workerData as DetectorThreadOptions;
let detector: FaceDetectorLike | undefined;
try {
  const { storeDir, ...rest } = options;
  const created = await createFaceDetector({
    ...rest,
    store: storeDir ? new ModelStore(storeDir) : undefined,
  });
  detector = created;
  port.postMessage({ id: -1, name: created.name, reason: created.reason } satisfies DetectorReply);
} catch (error) {
  port.postMessage({ id: -1, error: describe(error) } satisfies DetectorReply);
}

port.on('message', async (request: DetectorRequest) => {
  if (request.type === 'close') {
    await detector?.close();
    port.close();
    return;
  }
  try {
    if (!detector) throw new Error('the detector failed to load');
    const faces = await detector.detect({ data: request.data, width: request.width, height: request.height });
    port.postMessage({ id: request.id, faces } satisfies DetectorReply);
  } catch (error) {
    port.postMessage({ id: request.id, error: describe(error) } satisfies DetectorReply);
  }
});
