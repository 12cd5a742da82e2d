// `@face-liveness/livenessnet/synth`: synthetic print and replay attacks made from bona fide faces,
// to train on (not needed to classify).
export type { Rng } from '@face-liveness/core';
export { createRng, hashSeed } from '@face-liveness/core';
export type { AttackKind, RenderedAttack } from './attack.js';
export { ATTACK_KINDS, isAttackKind, renderAttack, synthesizeAttack } from './attack.js';
export type { SynthesizeDirectoryOptions, SynthesizeDirectorySummary } from './directory.js';
export { synthesizeDirectory } from './directory.js';
export { jitterPhotometric } from './photometric.js';
