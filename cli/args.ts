// Argument parsers for commander options that must be numbers.
import { InvalidArgumentError } from 'commander';

export const positiveInt = (name: string) => (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a positive integer, got "${v}"`);
  return n;
};
