import { type Command, Option, type OptionValues } from 'commander';

/** What a numeric flag accepts, in words for the error message. */
export interface NumberRule {
  test: (n: number) => boolean;
  what: string;
}

export const PROBABILITY: NumberRule = { test: (n) => n >= 0 && n <= 1, what: 'a number in [0, 1]' };
export const POSITIVE: NumberRule = { test: (n) => n > 0 && Number.isFinite(n), what: 'a positive number' };
export const NON_NEGATIVE: NumberRule = { test: (n) => n >= 0 && Number.isFinite(n), what: 'a number >= 0' };
export const POSITIVE_INTEGER: NumberRule = {
  test: (n) => Number.isInteger(n) && n >= 1,
  what: 'a positive integer',
};
export const INTEGER: NumberRule = { test: Number.isInteger, what: 'an integer' };

/**
 * A flag value or combination that cannot be used: printed like the libraries' InvalidInputError
 * (exit code 1, no usage dump), but the CLI's own, so that parsing flags loads no library.
 */
export class FlagError extends Error {}

/**
 * A command-line flag, defined once in this folder and added by each command that has it.
 * `originals` are further spellings the original Python scripts accepted (argparse took `-he`,
 * `-dv` or `--input_img_height`; commander knows only one-letter short flags), accepted here too.
 * Bad values are a {@link FlagError} naming the flag.
 */
export class Flag extends Option {
  /** Checks of this flag against the others, run before the command's action. */
  readonly checks: ((flags: OptionValues) => void)[] = [];

  constructor(
    flags: string,
    description: string,
    readonly originals: readonly string[] = [],
  ) {
    const shown = originals.filter((o) => /^-[^-]/.test(o));
    super(flags, shown.length ? `${description} [original: ${shown.join(', ')}]` : description);
  }

  /** Parses the value as a number that must follow `rule`. */
  number(rule: NumberRule): this {
    return this.argParser((value: string) => {
      const n = Number(value);
      if (value.trim() === '' || !rule.test(n)) {
        throw new FlagError(`${this.long} must be ${rule.what}, got '${value}'`);
      }
      return n;
    });
  }

  /** Runs `check` on all the command's flags before its action (e.g. flags that go in pairs). */
  checkedWith(check: (flags: OptionValues) => void): this {
    this.checks.push(check);
    return this;
  }

  /** Accepts only one of `values`. */
  oneOf(values: readonly string[]): this {
    return this.argParser((value: string) => {
      if (!values.includes(value)) {
        throw new FlagError(`${this.long} must be one of ${values.join(', ')}, got '${value}'`);
      }
      return value;
    });
  }
}

/** The arguments with the original spellings replaced by the flags they stand for (also in `--flag=value`). */
function respell(args: string[], spellings: ReadonlyMap<string, string>): string[] {
  const end = args.indexOf('--');
  return args.map((arg, i) => {
    if (end >= 0 && i >= end) return arg;
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg : arg.slice(0, eq);
    const flag = spellings.get(name);
    return flag === undefined ? arg : flag + (eq < 0 ? '' : arg.slice(eq));
  });
}

/** Adds the flags to `cmd`, makes it accept their original spellings and run their checks. Call once per command. */
export function addFlags(cmd: Command, flags: readonly Option[]): Command {
  const spellings = new Map<string, string>();
  const checks: ((flags: OptionValues) => void)[] = [];
  for (const flag of flags) {
    cmd.addOption(flag);
    if (flag instanceof Flag && flag.long) {
      for (const original of flag.originals) spellings.set(original, flag.long);
      checks.push(...flag.checks);
    }
  }
  if (checks.length > 0) {
    cmd.hook('preAction', (_program, action) => {
      for (const check of checks) check(action.opts());
    });
  }
  if (spellings.size > 0) {
    const parse = cmd.parseOptions.bind(cmd);
    cmd.parseOptions = (args) => parse(respell(args, spellings));
  }
  return cmd;
}
