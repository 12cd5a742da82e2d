// The libraries' names the flags offer, copied so that defining the flags (and --help, --version)
// loads no library; test/names.test.ts keeps them equal to the libraries' own.
export const DETECTOR_NAMES = ['res10', 'blazeface'] as const;
export const FUSION_POLICIES = ['passive', 'blink', 'original', 'fused'] as const;
/** The session's `orientation`: auto, or core's ROTATIONS. */
export const ORIENTATIONS = ['auto', '0', '90', '180', '270'] as const;
export const ATTACK_KINDS = ['print', 'replay'] as const;
export const ARCHITECTURES = [
  'livenessnet-v1',
  'livenessnet-v1-hsv',
  'livenessnet-v1-ycbcr',
  'livenessnet-v2',
  'livenessnet-v2-ycbcr',
  'livenessnet-ds',
] as const;
export const DEFAULT_ARCHITECTURE = 'livenessnet-v1';
export const LIVENESS_MODEL_NAME = 'livenessnet';
/** What `models install` installs (the CLI's own list; its installers are in actions/models.ts). */
export const INSTALLABLE_MODELS = ['res10', 'blazeface', 'blazeface-full'] as const;
