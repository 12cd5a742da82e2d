import { existsSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { missing, sharedPath } from '@face-liveness/core/testing';
import { describe, expect, it } from 'vitest';
import { cli, installRes10, RES10_PB, RES10_PBTXT, temporaryStore } from './in-process.js';

const IMAGES = sharedPath('data', 'faceapi-testdata', 'examples', 'images');
const absent = missing(RES10_PB, RES10_PBTXT, IMAGES);

describe.skipIf(absent !== undefined)(`face-liveness models / detect ${absent ?? ''}`, () => {
  const tmp = temporaryStore();

  it('detect uses BlazeFace while res10 is not installed, and says so', async () => {
    const store = process.env.FACE_LIVENESS_HOME;
    process.env.FACE_LIVENESS_HOME = join(tmp.dir, 'store-without-res10');
    try {
      const result = await cli('detect', '--verbose', '--json', join(IMAGES, 'bbt2.jpg'));
      expect(result.code).toBe(0);
      expect(result.err).toMatch(/face detector: blazeface \(res10 is not installed/);
      expect(JSON.parse(result.out).faces.length).toBeGreaterThan(0);
      const res10 = await cli('detect', '--detector', 'res10', join(IMAGES, 'bbt2.jpg'));
      expect(res10.code).toBe(1);
      expect(res10.err).toMatch(/'res10-ssd' is not installed.*models install res10/);
    } finally {
      process.env.FACE_LIVENESS_HOME = store;
    }
  });

  it('converts, and refuses to overwrite without --force', async () => {
    const out = join(tmp.dir, 'res10.onnx');
    const args = [
      'models',
      'convert',
      '--from',
      'tensorflow',
      '--pb',
      RES10_PB,
      '--pbtxt',
      RES10_PBTXT,
      '--out',
      out,
    ];
    expect((await cli(...args)).code).toBe(0);
    expect(existsSync(out)).toBe(true);
    const again = await cli(...args);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/exists; pass --force/);
    expect((await cli(...args, '--force')).code).toBe(0);
    const int8 = join(tmp.dir, 'res10-int8.onnx');
    const calibration = sharedPath('data', 'seed-sample', 'real');
    const quantized = await cli(...args.slice(0, -1), int8, '--int8', '--calibration', calibration);
    expect(quantized.code, quantized.err).toBe(0);
    expect(statSync(int8).size).toBeLessThan(statSync(out).size / 3);
  });

  it('says what to pass when install gets no files, and what is missing', async () => {
    const none = await cli('models', 'install', 'res10');
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/--pb opencv_face_detector_uint8\.pb --pbtxt/);
    expect(none.err).not.toMatch(/\n\s+at /);
    const gone = await cli(
      'models',
      'install',
      'res10',
      '--pb',
      join(tmp.dir, 'nope.pb'),
      '--pbtxt',
      RES10_PBTXT,
    );
    expect(gone.err).toMatch(/cannot read --pb .*nope\.pb: no such file/);
  });

  it('installs into the store, lists it, and detect uses it; bad images give JSON error lines and exit 1', async () => {
    expect((await cli('models', 'list')).out).toMatch(/no models installed/);
    expect((await installRes10()).code).toBe(0);
    expect((await cli('models', 'list')).out).toMatch(/^res10-ssd\t.*res10-ssd\.onnx\tsha256 [0-9a-f]{16}/);

    const corrupt = join(tmp.dir, 'corrupt.jpg');
    await writeFile(corrupt, 'not a JPEG');
    const result = await cli(
      'detect',
      '--json',
      join(IMAGES, 'bbt2.jpg'),
      join(tmp.dir, 'missing.jpg'),
      corrupt,
    );
    expect(result.code).toBe(1);
    const [ok, bad, undecodable] = result.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(ok).toMatchObject({ image: join(IMAGES, 'bbt2.jpg'), width: 675, height: 469 });
    expect(ok.faces.length).toBeGreaterThanOrEqual(3);
    for (const face of ok.faces) {
      expect(face.box).toHaveLength(4);
      expect(face.score).toBeGreaterThanOrEqual(0.5);
    }
    expect(bad.error).toMatch(/no such file/);
    expect(undecodable).toMatchObject({
      image: corrupt,
      error: expect.stringMatching(/cannot decode image/),
    });
    expect(result.err).toMatch(/2 of 3 images could not be read/);
    expect(result.err).not.toMatch(/\n\s+at /);
  });

  it('installs an int8 model calibrated on a folder, and detect --int8 uses it', async () => {
    const noCalibration = await installRes10('--int8');
    expect(noCalibration.err).toMatch(/--int8 needs --calibration DIR/);
    const calibration = sharedPath('data', 'seed-sample', 'real');
    const install = await installRes10('--int8', '--calibration', calibration);
    expect(install.code, install.err).toBe(0);
    expect(install.out).toMatch(/^installed res10-ssd-int8\t.*\(int8, calibrated on /);
    const result = await cli('detect', '--int8', '--json', join(IMAGES, 'bbt2.jpg'));
    expect(result.code, result.err).toBe(0);
    expect(JSON.parse(result.out).faces.length).toBeGreaterThanOrEqual(3);
  });
});
