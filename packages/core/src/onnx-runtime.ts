/**
 * Call before creating an ONNX Runtime session. onnxruntime-node 1.30's telemetry reads
 * /proc/self/cmdline and matches it with a regular expression that recurses about 200 bytes of
 * stack per byte: a process started with a long argument list (300 image paths, ~20 KB) segfaults
 * in `InferenceSession.create` (a worker thread's 4 MB stack; the main thread's near 60 KB).
 * Turning the telemetry off avoids it; a value the user set is kept. Native code reads the real
 * environment: this must run on the main thread (a worker's process.env is a copy), before any
 * worker that creates sessions is started.
 */
export function prepareOnnxRuntime(): void {
  process.env.ORT_DISABLE_TELEMETRY ??= '1';
}
