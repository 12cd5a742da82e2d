/**
 * A command's action that imports its implementation (and with it the libraries: tfjs, ONNX
 * Runtime, sharp...) only when the command runs, so that starting the CLI, --help and a refused
 * input stay cheap.
 */
export function lazy<A extends unknown[]>(
  load: () => Promise<{ action: (...args: A) => Promise<void> }>,
): (...args: A) => Promise<void> {
  return async (...args) => (await load()).action(...args);
}
