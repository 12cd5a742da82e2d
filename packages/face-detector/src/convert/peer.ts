import { FaceLivenessError } from '@face-liveness/core';

/**
 * Loads an optional peer dependency of the convert entry (protobufjs, onnx-proto). A static import
 * would fail at link time with ERR_MODULE_NOT_FOUND from deep inside this package; a runtime-only
 * install deserves an error that says what to install.
 */
export async function importPeer<T>(name: string): Promise<T> {
  let module: { default?: T };
  try {
    module = await import(name);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if (code !== 'ERR_MODULE_NOT_FOUND' || !message.includes(`'${name}'`)) throw error;
    throw new FaceLivenessError(
      'ERR_MISSING_DEPENDENCY',
      `@face-liveness/face-detector/convert needs the package ${name} (an optional peer dependency, ` +
        `needed only to convert models): run \`npm install ${name}\``,
      { cause: error },
    );
  }
  return (module.default ?? module) as T;
}
