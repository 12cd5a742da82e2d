import type { Command } from 'commander';
import { registerAnalyze } from './analyze.js';
import { registerDemo } from './demo.js';
import { registerDetect } from './detect.js';
import { registerModels } from './models.js';
import { registerSynth } from './synth.js';

/** A subcommand module adds itself to the program. One line per module below. */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [
  registerAnalyze,
  registerDemo,
  registerDetect,
  registerModels,
  registerSynth,
];
