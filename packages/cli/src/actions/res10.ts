import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { InvalidInputError } from '@face-liveness/core';
import {
  convertRes10Files,
  type Res10ConvertOptions,
  type Res10Files,
} from '@face-liveness/face-detector/convert';
import type { Res10SourceFlags } from '../options/conversion.js';

export const RES10_SOURCES =
  'pass --pb opencv_face_detector_uint8.pb --pbtxt opencv_face_detector.pbtxt (TensorFlow form), or ' +
  '--prototxt deploy.prototxt --caffemodel res10_300x300_ssd_iter_140000.caffemodel (Caffe form)';

/** True when any res10 source file is named. */
export function namesRes10Files(flags: Res10SourceFlags): boolean {
  return [flags.pb, flags.pbtxt, flags.prototxt, flags.caffemodel].some((f) => f !== undefined);
}

/** The res10 files the flags name; `--from` may be given or inferred from the files passed. */
export function res10Files(flags: Res10SourceFlags): Res10Files {
  const tf = flags.pb !== undefined || flags.pbtxt !== undefined;
  const caffe = flags.prototxt !== undefined || flags.caffemodel !== undefined;
  const from = flags.from ?? (tf && !caffe ? 'tensorflow' : caffe && !tf ? 'caffe' : undefined);
  if (from === 'tensorflow') {
    if (!flags.pb || !flags.pbtxt)
      throw new InvalidInputError('--from tensorflow needs both --pb FILE and --pbtxt FILE');
    return { from, pb: flags.pb, pbtxt: flags.pbtxt };
  }
  if (from === 'caffe') {
    if (!flags.prototxt || !flags.caffemodel) {
      throw new InvalidInputError('--from caffe needs both --prototxt FILE and --caffemodel FILE');
    }
    return { from, prototxt: flags.prototxt, caffemodel: flags.caffemodel };
  }
  throw new InvalidInputError(`which files to convert? ${RES10_SOURCES}`);
}

/** `--int8 --calibration DIR` as conversion options. */
export function convertOptions(flags: Res10SourceFlags): Res10ConvertOptions {
  if (flags.int8 && !flags.calibration) {
    throw new InvalidInputError(
      '--int8 needs --calibration DIR: a folder of images like those you will detect in',
    );
  }
  if (flags.calibration && !flags.int8) throw new InvalidInputError('--calibration is only used with --int8');
  return flags.int8 ? { int8Calibration: flags.calibration } : {};
}

/** `models convert`: the res10 ONNX written to `--out` (never half-written; replaced only with `--force`). */
export async function convertRes10(
  flags: Res10SourceFlags & { out: string; force?: boolean },
): Promise<{ file: string; bytes: number }> {
  const file = resolve(flags.out);
  if (existsSync(file) && !flags.force)
    throw new InvalidInputError(`${file} exists; pass --force to overwrite it`);
  const bytes = await convertRes10Files(res10Files(flags), convertOptions(flags));
  await mkdir(dirname(file), { recursive: true });
  await writeFile(`${file}.partial`, bytes);
  await rename(`${file}.partial`, file);
  return { file, bytes: bytes.length };
}
