import { FaceLivenessError } from './errors.js';

/**
 * An installed model that cannot be trusted: its file is missing, altered (sha256 mismatch) or
 * outside the store. Never a reason to fall back to another model: the message says how to
 * reinstall or remove it.
 */
export class ModelIntegrityError extends FaceLivenessError {
  constructor(message: string) {
    super('ERR_MODEL_INTEGRITY', message);
    this.name = 'ModelIntegrityError';
  }
}
