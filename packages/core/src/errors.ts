/**
 * Errors that describe a user mistake or a bad input. The CLI prints their message without a
 * stack trace; anything else is a bug and keeps its stack.
 */
export class FaceLivenessError extends Error {
  /** Stable machine-readable code, e.g. `ERR_MODEL_NOT_FOUND`. */
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FaceLivenessError';
    this.code = code;
  }
}

/** An argument, option, file or frame that cannot be used as given. */
export class InvalidInputError extends FaceLivenessError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_INVALID_INPUT', message, options);
    this.name = 'InvalidInputError';
  }
}

/** A model that is not installed where it was looked for. The message says how to get it. */
export class ModelNotFoundError extends FaceLivenessError {
  constructor(message: string) {
    super('ERR_MODEL_NOT_FOUND', message);
    this.name = 'ModelNotFoundError';
  }
}

/** A model file that exists but cannot be read: truncated, foreign format, unsupported content. */
export class ModelFormatError extends FaceLivenessError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_MODEL_FORMAT', message, options);
    this.name = 'ModelFormatError';
  }
}

export function isFaceLivenessError(error: unknown): error is FaceLivenessError {
  return error instanceof FaceLivenessError;
}
