import { Flag, POSITIVE_INTEGER } from './flag.js';
import { ATTACK_KINDS } from './names.js';

const GROUP = 'Attacks:';

export const attackKind = () =>
  new Flag('--kind <kind>', `${ATTACK_KINDS.join(', ')} or both`)
    .oneOf([...ATTACK_KINDS, 'both'])
    .default('both')
    .helpGroup(GROUP);

export const perImage = () =>
  new Flag('--per-image <n>', 'attacks per image and kind')
    .number(POSITIVE_INTEGER)
    .default(1)
    .helpGroup(GROUP);
