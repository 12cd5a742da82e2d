import { InvalidInputError } from '@face-liveness/core';

/** Throws an `InvalidInputError` naming the option unless `value` is a number in [min, max]. */
export function checkRange(name: string, value: number, min: number, max: number): void {
  if (typeof value !== 'number' || !(value >= min && value <= max)) {
    throw new InvalidInputError(`${name} must be a number in [${min}, ${max}], got ${value}`);
  }
}
