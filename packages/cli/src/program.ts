import { Command, CommanderError } from 'commander';
import { commands } from './commands/index.js';
import { FlagError } from './options/flag.js';
import { version } from './version.js';

/**
 * A command that defines itself together with its implementation (doctor): registered here by
 * name only, and defined and run, with the libraries it imports, when it is asked for.
 */
function deferred(
  program: Command,
  name: string,
  description: string,
  load: () => Promise<(program: Command) => void>,
): void {
  program
    .command(name)
    .description(description)
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (_flags: unknown, stub: Command) => {
      const real = new Command(program.name()).exitOverride().showHelpAfterError('(add --help for usage)');
      (await load())(real);
      await real.parseAsync([name, ...stub.args], { from: 'user' });
    });
}

/** Builds the `face-liveness` program with every subcommand registered; loads no library. */
export function buildProgram(): Command {
  const program = new Command('face-liveness')
    .description('Tell a live face from a printed photo or a screen replay.')
    .version(version)
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  for (const register of commands) register(program);
  deferred(
    program,
    'doctor',
    'Check what is installed and what is missing, each with its fix; exit 0 only when `analyze` can run',
    async () => (await import('./commands/doctor.js')).registerDoctor,
  );
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
    const { isFaceLivenessError } = await import('@face-liveness/core');
    if (error instanceof FlagError || isFaceLivenessError(error)) {
      process.stderr.write(`face-liveness: ${(error as Error).message}\n`);
      // Flags that do not go together are a usage mistake, like a bad value commander refuses.
      return error instanceof FlagError ? 2 : 1;
    }
    throw error;
  }
}
