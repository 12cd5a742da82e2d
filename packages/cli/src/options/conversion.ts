import { Flag } from './flag.js';

const GROUP = 'Model files:';
const flag = (flags: string, description: string) => new Flag(flags, description).helpGroup(GROUP);

export const from = () =>
  flag('--from <format>', 'tensorflow or caffe (default: inferred from the files given)').oneOf([
    'tensorflow',
    'caffe',
  ]);
export const pb = () => flag('--pb <file>', 'TensorFlow weights, opencv_face_detector_uint8.pb');
export const pbtxt = () => flag('--pbtxt <file>', 'TensorFlow text graph, opencv_face_detector.pbtxt');
export const prototxt = () => flag('--prototxt <file>', 'Caffe network, deploy.prototxt');
export const caffemodel = () =>
  flag('--caffemodel <file>', 'Caffe weights, res10_300x300_ssd_iter_140000.caffemodel');
export const calibration = () =>
  flag('--calibration <dir>', 'images like the ones to detect in (up to 32 used) to calibrate --int8');
export const fromUrl = () =>
  flag('--from-url', "download OpenCV's published files (checked by hash) instead of using local files");
export const force = () => flag('--force', 'replace the output if it exists');

/** The res10 source flags. */
export const res10Sources = () => [from(), pb(), pbtxt(), prototxt(), caffemodel()];

/** The res10 source flags and `--int8 --calibration`, as parsed. */
export interface Res10SourceFlags {
  from?: 'tensorflow' | 'caffe';
  pb?: string;
  pbtxt?: string;
  prototxt?: string;
  caffemodel?: string;
  int8?: boolean;
  calibration?: string;
}
