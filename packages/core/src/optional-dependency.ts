import { FaceLivenessError } from './errors.js';

/** `@scope/name/sub` -> `@scope/name`, `name/sub` -> `name`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return parts.slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
}

/**
 * Imports an optional peer dependency of a package (training, conversion and drawing depend on
 * such). When it is not installed, throws an error that names the package to install and the
 * feature that needs it, instead of Node's bare ERR_MODULE_NOT_FOUND. Pass `load` (`() =>
 * import(specifier)` written in the calling package) so that the package is resolved from the
 * package that depends on it, not from core: installs that do not hoist (global, pnpm) differ.
 */
export async function importOptional<T>(
  specifier: string,
  feature: string,
  load: () => Promise<unknown> = () => import(specifier),
): Promise<T> {
  const name = packageOf(specifier);
  try {
    return (await load()) as T;
  } catch (error) {
    // Node names the package, vitest the whole specifier; a dependency of the package missing is another error.
    const [, notFound = ''] = /Cannot find (?:package|module) '([^']+)'/.exec((error as Error).message) ?? [];
    const missing =
      (error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' &&
      (notFound === name || notFound.startsWith(`${name}/`));
    if (!missing) throw error;
    throw new FaceLivenessError(
      'ERR_MISSING_DEPENDENCY',
      `${feature} needs the optional package ${name}: npm install ${name}`,
      { cause: error },
    );
  }
}
