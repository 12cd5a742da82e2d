import type { Command } from 'commander';
import { registerAnalyze } from './analyze.js';
import { registerChallenge } from './challenge.js';
import { registerClassify } from './classify.js';
import { registerDemo } from './demo.js';
import { registerDetect } from './detect.js';
import { registerEvaluate } from './evaluate.js';
import { registerExtract } from './extract.js';
import { registerLandmarks } from './landmarks.js';
import { registerModels } from './models.js';
import { registerQuality } from './quality.js';
import { registerSynth } from './synth.js';
import { registerTrain } from './train.js';

/** A subcommand module adds itself to the program. One line per module below. */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [
  registerAnalyze,
  registerChallenge,
  registerClassify,
  registerDemo,
  registerDetect,
  registerEvaluate,
  registerExtract,
  registerLandmarks,
  registerModels,
  registerQuality,
  registerSynth,
  registerTrain,
];
