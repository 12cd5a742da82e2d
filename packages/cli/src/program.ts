import { isFaceLivenessError } from '@face-liveness/core';
import { Command, CommanderError } from 'commander';
import { registerDoctor } from './commands/doctor.js';
import { commands } from './commands/index.js';
import { version } from './version.js';

/** Builds the `face-liveness` program with every subcommand registered. */
export function buildProgram(): Command {
  const program = new Command('face-liveness')
    .description('Tell a live face from a printed photo or a screen replay.')
    .version(version)
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  for (const register of commands) register(program);
  registerDoctor(program);
  return program;
}

/**
 * Runs the CLI and returns the exit code: 0 on success, 1 when the input was unusable (the message
 * says what to fix; no stack trace), 2 for a usage mistake. Unexpected errors keep their stack.
 */
export async function run(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : 2;
    }
    if (isFaceLivenessError(error)) {
      process.stderr.write(`face-liveness: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
