import { Flag } from './flag.js';
import { LIVENESS_MODEL_NAME } from './names.js';

const GROUP = 'Model files:';
const flag = (flags: string, description: string) => new Flag(flags, description).helpGroup(GROUP);

export const install = () =>
  flag('--install [name]', `import into the model store (default name ${LIVENESS_MODEL_NAME})`);
export const channelOrder = () =>
  flag('--channel-order <order>', 'channel order the model was trained on: BGR (OpenCV) or RGB')
    .oneOf(['BGR', 'RGB'])
    .default('BGR');
export const classes = () =>
  flag('--classes <names>', 'labels of the outputs, comma separated (must include real)').default(
    'fake,real',
  );

/** Flags of `models import-keras`. */
export interface ImportFlags {
  out?: string;
  install?: string | boolean;
  force?: boolean;
  channelOrder: 'BGR' | 'RGB';
  classes: string;
  threshold?: number;
}
