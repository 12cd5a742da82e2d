// One generator per category. A case is a pure function of (seeds, caseSeed): its files, the CLI
// command it goes through, and what a correct program must do with it per target:
//   'refuse' - not media, or damaged beyond use: a verdict is a silent wrong answer;
//   'accept' - valid media: a refusal is a wrong answer;
//   'either' - may or may not still decode (most flipped bits go unnoticed by any decoder).
import { createHash } from 'node:crypto';
import { fixChunkCrc } from './png.mjs';
import { createRng } from './prng.mjs';
import { findSof, gifBomb, jpegWithSize, pngBomb, webpWithCanvas } from './seeds.mjs';

export const MEDIA_CATEGORIES = {
  'image-bitflip': 12,
  'image-byterun': 8,
  'image-truncate': 9,
  'image-header': 10,
  'image-bomb': 6,
  'video-mutate': 10,
  container: 8,
  text: 6,
  random: 6,
  empty: 2,
  control: 3,
};
export const MODEL_CATEGORIES = { 'model-onnx': 5, 'model-livenessnet': 5, manifest: 5 };

const IMAGE_KINDS = { jpeg: 'jpg', jpegProgressive: 'jpg', png: 'png', webp: 'webp' };
const ANY_EXT = [
  'jpg',
  'jpeg',
  'png',
  'webp',
  'gif',
  'tif',
  'mp4',
  'mov',
  'mkv',
  'webm',
  'avi',
  'txt',
  'bin',
];
const VIDEO_EXT = new Set(['mp4', 'mov', 'mkv', 'webm', 'avi']);

const same = (v) => ({ cli: v, service: v });

function bitflip(rng, bytes, max = 16) {
  const out = Buffer.from(bytes);
  const n = rng.int(1, max);
  for (let i = 0; i < n; i++) out[rng.int(0, out.length - 1)] ^= 1 << rng.int(0, 7);
  return { bytes: out, mutation: `bitflip x${n}` };
}

function byterun(rng, bytes) {
  const out = Buffer.from(bytes);
  const len = rng.int(1, 256);
  const at = rng.int(0, Math.max(0, out.length - len));
  const fill = rng.pick(['zero', 'ff', 'random', 'repeat']);
  const run =
    fill === 'random'
      ? rng.bytes(len)
      : Buffer.alloc(len, fill === 'zero' ? 0 : fill === 'ff' ? 255 : out[at]);
  run.copy(out, at, 0, Math.min(len, out.length - at));
  return { bytes: out, mutation: `byterun ${fill} ${len}@${at}` };
}

function truncate(rng, bytes) {
  const at = rng.chance(0.4) ? rng.int(0, Math.min(1024, bytes.length - 1)) : rng.int(0, bytes.length - 1);
  return { bytes: bytes.subarray(0, at), mutation: `truncate at ${at} of ${bytes.length}` };
}

function imageCommand(rng) {
  return rng.weighted({ detect: 5, classify: 2, analyze: 3 });
}

function pickImage(rng, seeds) {
  const kind = rng.pick(Object.keys(IMAGE_KINDS));
  return { kind, bytes: seeds.images[kind], ext: IMAGE_KINDS[kind] };
}

function words(rng, n) {
  const vocabulary =
    'face liveness image video frame photo spoof live the a of and to print screen camera'.split(' ');
  return Array.from({ length: n }, () => rng.pick(vocabulary)).join(' ');
}

const generators = {
  'image-bitflip'(rng, seeds) {
    const image = pickImage(rng, seeds);
    return {
      ...bitflip(rng, image.bytes),
      ext: image.ext,
      from: image.kind,
      command: imageCommand(rng),
      expect: same('either'),
    };
  },
  'image-byterun'(rng, seeds) {
    const image = pickImage(rng, seeds);
    return {
      ...byterun(rng, image.bytes),
      ext: image.ext,
      from: image.kind,
      command: imageCommand(rng),
      expect: same('either'),
    };
  },
  'image-truncate'(rng, seeds) {
    const image = pickImage(rng, seeds);
    // Cut before the end: a JPEG loses its EOI, a PNG its IEND, a WebP part of its RIFF body.
    return {
      ...truncate(rng, image.bytes),
      ext: image.ext,
      from: image.kind,
      command: imageCommand(rng),
      expect: same('refuse'),
    };
  },
  'image-header'(rng, seeds) {
    const image = pickImage(rng, seeds);
    const out = Buffer.from(image.bytes);
    let mutation;
    let expect = 'either';
    let limit = false;
    if (image.ext === 'jpg') {
      const sof = findSof(out);
      const what = rng.pick(['huge', 'zero', 'random', 'precision', 'components', 'soi', 'length']);
      mutation = `jpeg SOF ${what}`;
      if (what === 'huge') {
        out.writeUInt16BE(rng.int(20000, 65535), sof + 5);
        out.writeUInt16BE(rng.int(20000, 65535), sof + 7);
        expect = 'refuse';
        limit = true;
      } else if (what === 'zero') {
        out.writeUInt16BE(0, sof + (rng.chance(0.5) ? 5 : 7));
        expect = 'refuse';
      } else if (what === 'random') {
        out.writeUInt16BE(rng.int(1, 4000), sof + 5);
        out.writeUInt16BE(rng.int(1, 4000), sof + 7);
      } else if (what === 'precision') out[sof + 4] = rng.pick([0, 1, 7, 12, 16, 255]);
      else if (what === 'components') out[sof + 9] = rng.pick([0, 2, 5, 255]);
      else if (what === 'soi') {
        out[rng.int(0, 1)] = rng.int(0, 254);
        expect = 'refuse';
      } else out.writeUInt16BE(rng.int(0, 65535), sof + 2);
    } else if (image.ext === 'png') {
      const what = rng.pick([
        'huge',
        'random-dims',
        'dims-bad-crc',
        'color-type',
        'bit-depth',
        'idat-crc',
        'signature',
      ]);
      mutation = `png IHDR ${what}`;
      if (what === 'huge') {
        out.writeUInt32BE(rng.int(10000, 0x7fffffff), 16);
        out.writeUInt32BE(rng.int(10000, 0x7fffffff), 20);
        fixChunkCrc(out, 8);
        expect = 'refuse';
        limit = true;
      } else if (what === 'random-dims' || what === 'dims-bad-crc') {
        out.writeUInt32BE(rng.int(0, 2000), 16 + (rng.chance(0.5) ? 4 : 0));
        if (what === 'random-dims') fixChunkCrc(out, 8);
      } else if (what === 'color-type') {
        out[25] = rng.pick([1, 5, 7, 8, 255]);
        fixChunkCrc(out, 8);
        expect = 'refuse';
      } else if (what === 'bit-depth') {
        out[24] = rng.pick([0, 3, 5, 32, 255]);
        fixChunkCrc(out, 8);
        expect = 'refuse';
      } else if (what === 'idat-crc') {
        const idat = out.indexOf('IDAT', 0, 'latin1') - 4;
        const end = idat + 8 + out.readUInt32BE(idat);
        out[end + rng.int(0, 3)] ^= 1 << rng.int(0, 7);
      } else {
        out[rng.int(0, 7)] ^= 1 << rng.int(0, 7);
        expect = 'refuse';
      }
    } else {
      const what = rng.pick(['riff-size', 'fourcc', 'vp8-dims', 'chunk-size']);
      mutation = `webp ${what}`;
      if (what === 'riff-size') out.writeUInt32LE(rng.u32(), 4);
      else if (what === 'fourcc') {
        out[8 + rng.int(0, 3)] ^= 1 << rng.int(0, 7);
        expect = 'refuse';
      } else if (what === 'vp8-dims') {
        const vp8 = out.indexOf('VP8 ', 12, 'latin1');
        if (vp8 > 0) {
          out.writeUInt16LE(rng.int(0, 0x3fff), vp8 + 14);
          out.writeUInt16LE(rng.int(0, 0x3fff), vp8 + 16);
        }
      } else out.writeUInt32LE(rng.u32(), 16);
    }
    return {
      bytes: out,
      mutation,
      ext: image.ext,
      from: image.kind,
      command: imageCommand(rng),
      expect: same(expect),
      limit,
    };
  },
  'image-bomb'(rng, seeds) {
    const what = rng.pick([
      'png-declared',
      'png-deflate',
      'png-6000',
      'jpeg-sof',
      'gif',
      'webp-canvas',
      'video-4096',
    ]);
    const command = what === 'video-4096' ? 'analyze' : imageCommand(rng);
    const w = rng.int(10000, 65000);
    const h = rng.int(10000, 65000);
    switch (what) {
      case 'png-declared':
        return {
          bytes: pngBomb(w, h, 8),
          ext: 'png',
          mutation: `png ${w}x${h}, 8 rows of data`,
          command,
          expect: same('refuse'),
          limit: true,
        };
      case 'png-deflate':
        return {
          bytes: seeds.pngDeflateBomb,
          ext: 'png',
          mutation: 'png 20000x20000 that inflates to 50 MB',
          command,
          expect: same('refuse'),
          limit: true,
        };
      case 'png-6000':
        // 36 megapixels: under the CLI's 40 MP, over the service's 16 MP; its rows are all there.
        return {
          bytes: pngBomb(6000, 6000, 6000),
          ext: 'png',
          mutation: 'png 6000x6000 (36 MP)',
          command: 'detect',
          expect: { cli: 'accept', service: 'refuse' },
          limit: true,
        };
      case 'jpeg-sof': {
        const jpeg = jpegWithSize(seeds.images.jpeg, w, h);
        return {
          bytes: jpeg.subarray(0, rng.int(300, jpeg.length)),
          ext: 'jpg',
          mutation: `jpeg SOF ${w}x${h}`,
          command,
          expect: same('refuse'),
          limit: true,
        };
      }
      case 'gif':
        return {
          bytes: gifBomb(rng.int(10000, 65535), rng.int(10000, 65535)),
          ext: 'gif',
          mutation: 'gif, huge logical screen',
          command,
          expect: same('refuse'),
          limit: true,
        };
      case 'webp-canvas':
        return {
          bytes: webpWithCanvas(seeds.images.webp, rng.int(10000, 16384), rng.int(10000, 16384)),
          ext: 'webp',
          mutation: 'webp VP8X huge canvas',
          command,
          expect: same('refuse'),
        };
      default:
        return {
          bytes: seeds.bigVideo,
          ext: 'mp4',
          mutation: 'h264 4096x4096 frame (16.8 MP)',
          command,
          expect: { cli: 'accept', service: 'refuse' },
          limit: true,
        };
    }
  },
  'video-mutate'(rng, seeds) {
    const kind = rng.pick(['mp4', 'mkv']);
    const bytes = seeds.videos[kind];
    const how = rng.pick(['bitflip', 'byterun', 'truncate', 'box', 'box']);
    let result;
    if (how === 'bitflip') result = bitflip(rng, bytes, 64);
    else if (how === 'byterun') result = byterun(rng, bytes);
    else if (how === 'truncate') result = truncate(rng, bytes);
    else {
      const out = Buffer.from(bytes);
      if (kind === 'mp4') {
        const box = rng.pick(['ftyp', 'moov', 'mdat', 'trak', 'stsd', 'avcC', 'stsz', 'stco']);
        const at = out.indexOf(box, 0, 'latin1') - 4;
        const field = rng.pick(['size', 'type', 'body']);
        if (at >= 0) {
          if (field === 'size') out.writeUInt32BE(rng.pick([0, 1, 7, 0xffffffff, rng.u32()]), at);
          else if (field === 'type') out[at + 4 + rng.int(0, 3)] ^= 1 << rng.int(0, 7);
          else rng.bytes(16).copy(out, at + 8);
        }
        result = { bytes: out, mutation: `mp4 box ${box} ${field}` };
      } else {
        const at = rng.pick([0, 4, rng.int(0, 64)]);
        rng.bytes(rng.int(1, 8)).copy(out, at);
        result = { bytes: out, mutation: `mkv EBML header bytes @${at}` };
      }
    }
    return {
      ...result,
      ext: kind,
      from: kind,
      command: 'analyze',
      expect: same(how === 'truncate' && result.bytes.length < 2048 ? 'refuse' : 'either'),
    };
  },
  container(rng, seeds) {
    const what = rng.pick([
      'image-as-video',
      'video-as-image',
      'mkv-as-mp4',
      'png-as-webp',
      'video-then-jpeg',
      'jpeg-then-video',
    ]);
    const image = pickImage(rng, seeds);
    switch (what) {
      case 'image-as-video':
        return {
          bytes: image.bytes,
          ext: rng.pick(['mp4', 'mov', 'webm']),
          mutation: `${image.kind} named as a video`,
          command: 'analyze',
          expect: same('either'),
        };
      case 'video-as-image': {
        const command = imageCommand(rng);
        // detect and classify take images only: a video is not one, whatever its name says.
        return {
          bytes: seeds.videos.mp4,
          ext: rng.pick(['jpg', 'png']),
          mutation: 'mp4 named as an image',
          command,
          expect: { cli: command === 'analyze' ? 'either' : 'refuse', service: 'either' },
        };
      }
      case 'mkv-as-mp4':
        return {
          bytes: seeds.videos.mkv,
          ext: 'mp4',
          mutation: 'mkv named .mp4',
          command: 'analyze',
          expect: same('accept'),
        };
      case 'png-as-webp':
        return {
          bytes: seeds.images.png,
          ext: 'webp',
          mutation: 'png named .webp',
          command: imageCommand(rng),
          expect: same('accept'),
        };
      case 'video-then-jpeg':
        return {
          bytes: Buffer.concat([seeds.videos.mp4, image.bytes]),
          ext: 'mp4',
          mutation: `mp4 with a ${image.kind} appended`,
          command: 'analyze',
          expect: same('either'),
        };
      default:
        return {
          bytes: Buffer.concat([image.bytes, seeds.videos.mp4]),
          ext: image.ext,
          mutation: `${image.kind} with an mp4 appended`,
          command: imageCommand(rng),
          expect: same('either'),
        };
    }
  },
  text(rng) {
    const what = rng.pick([
      'words',
      'json',
      'html',
      'svg',
      'csv',
      'script',
      'jpeg-magic',
      'utf16',
      'data-uri',
    ]);
    const body = {
      words: () => Buffer.from(words(rng, rng.int(1, 400))),
      json: () => Buffer.from(JSON.stringify({ image: words(rng, 3), width: rng.int(0, 9999), faces: [] })),
      html: () => Buffer.from(`<!doctype html><html><body><img src="x.jpg">${words(rng, 20)}</body></html>`),
      svg: () =>
        Buffer.from(
          `<svg xmlns="http://www.w3.org/2000/svg" width="${rng.int(1, 5000)}" height="${rng.int(1, 5000)}"><circle r="40" cx="50" cy="50"/></svg>`,
        ),
      csv: () =>
        Buffer.from(
          `file,label\n${Array.from({ length: rng.int(1, 50) }, (_, i) => `${i}.jpg,real`).join('\n')}\n`,
        ),
      script: () => Buffer.from(`#!/bin/sh\necho ${words(rng, 5)}\n`),
      'jpeg-magic': () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(words(rng, 50))]),
      utf16: () => Buffer.from(`\ufeff${words(rng, 30)}`, 'utf16le'),
      'data-uri': () => Buffer.from(`data:image/jpeg;base64,${rng.bytes(300).toString('base64')}`),
    }[what]();
    const ext = rng.pick(ANY_EXT);
    return {
      bytes: body,
      ext,
      mutation: `text ${what}`,
      command: VIDEO_EXT.has(ext) ? 'analyze' : imageCommand(rng),
      expect: same('refuse'),
    };
  },
  random(rng) {
    const n = rng.chance(0.5) ? rng.int(1, 64) : rng.int(65, 65536);
    const ext = rng.pick(ANY_EXT);
    return {
      bytes: rng.bytes(n),
      ext,
      mutation: `${n} random bytes`,
      command: VIDEO_EXT.has(ext) ? 'analyze' : imageCommand(rng),
      expect: same('refuse'),
    };
  },
  empty(rng) {
    const ext = rng.pick(ANY_EXT);
    return {
      bytes: Buffer.alloc(0),
      ext,
      mutation: 'empty file',
      command: VIDEO_EXT.has(ext) ? 'analyze' : imageCommand(rng),
      expect: same('refuse'),
    };
  },
  control(rng, seeds) {
    if (rng.chance(0.3)) {
      const kind = rng.pick(['mp4', 'mkv']);
      return {
        bytes: seeds.videos[kind],
        ext: kind,
        mutation: 'unchanged',
        command: 'analyze',
        expect: same('accept'),
      };
    }
    const image = pickImage(rng, seeds);
    return {
      bytes: image.bytes,
      ext: image.ext,
      mutation: `unchanged ${image.kind}`,
      command: imageCommand(rng),
      expect: same('accept'),
    };
  },
  // Corrupt models go through the CLI only: each is one CLI call with the model's path or store.
  'model-onnx'(rng, seeds) {
    const base = rng.pick(['blazeface', 'res10']);
    const onnx = base === 'res10' ? seeds.res10 : seeds.onnx;
    const how = rng.pick(['truncate', 'bitflip', 'byterun', 'empty', 'text', 'image', 'other-kind']);
    let model;
    let expect = 'either';
    let detector = rng.pick([base, 'auto']);
    if (how === 'truncate') {
      model = truncate(rng, onnx);
      expect = 'refuse';
    } else if (how === 'bitflip') model = bitflip(rng, onnx, 32);
    else if (how === 'byterun') model = byterun(rng, onnx);
    else if (how === 'empty') {
      model = { bytes: Buffer.alloc(0), mutation: 'empty' };
      expect = 'refuse';
    } else if (how === 'text') {
      model = { bytes: Buffer.from(words(rng, 40)), mutation: 'text' };
      expect = 'refuse';
    } else if (how === 'image') {
      model = { bytes: seeds.images.jpeg, mutation: 'a JPEG' };
      expect = 'refuse';
    } else {
      // An intact model of the other kind than asked for: refused, or recognised with 'auto'.
      detector = base === 'res10' ? 'blazeface' : 'res10';
      model = { bytes: onnx, mutation: `${base} model given as ${detector}` };
      expect = 'refuse';
    }
    return {
      model: {
        files: { 'model.onnx': model.bytes },
        args: ['--detector', detector, '--detector-model', '{dir}/model.onnx'],
      },
      bytes: seeds.images.jpeg,
      ext: 'jpg',
      mutation: `onnx ${base} --detector ${detector}: ${model.mutation}`,
      command: 'detect',
      expect: { cli: expect },
    };
  },
  'model-livenessnet'(rng, seeds) {
    const json = seeds.livenessnet.modelJson;
    const weights = seeds.livenessnet.weights;
    const how = rng.pick([
      'json-truncate',
      'json-bitflip',
      'json-shape',
      'json-paths',
      'weights-truncate',
      'weights-bitflip',
      'weights-nan',
      'weights-missing',
      'weights-extra',
    ]);
    let files = { 'model.json': json, 'weights.bin': weights };
    let expect = 'refuse';
    let detail = '';
    if (how === 'json-truncate') files['model.json'] = truncate(rng, json).bytes;
    else if (how === 'json-bitflip') {
      const m = bitflip(rng, json, 4);
      files['model.json'] = m.bytes;
      detail = m.mutation;
      expect = 'either';
    } else if (how === 'json-shape') {
      const doc = JSON.parse(json);
      const ws = doc.weightsManifest[0].weights;
      const w = rng.pick(ws);
      w.shape = w.shape.map((d) => (rng.chance(0.5) ? d + rng.int(1, 8) : d));
      if (w.shape.every((d, i) => d === ws.find((x) => x.name === w.name).shape[i])) w.shape[0] += 1;
      detail = w.name;
      files['model.json'] = Buffer.from(JSON.stringify(doc));
    } else if (how === 'json-paths') {
      const doc = JSON.parse(json);
      doc.weightsManifest[0].paths = [
        rng.pick(['../../../etc/passwd', '/etc/passwd', 'missing.bin', '', 'weights.bin/..']),
      ];
      detail = doc.weightsManifest[0].paths[0];
      files['model.json'] = Buffer.from(JSON.stringify(doc));
    } else if (how === 'weights-truncate') files['weights.bin'] = truncate(rng, weights).bytes;
    else if (how === 'weights-bitflip') {
      // Flips in the mantissa or sign only: the weights stay finite numbers; the score must too.
      const out = Buffer.from(weights);
      for (let i = 0, n = rng.int(1, 32); i < n; i++)
        out[rng.int(0, out.length / 4 - 1) * 4 + rng.int(0, 1)] ^= 1 << rng.int(0, 7);
      files['weights.bin'] = out;
      expect = 'either';
    } else if (how === 'weights-nan') {
      const out = Buffer.from(weights);
      const n = rng.int(1, 16);
      for (let i = 0; i < n; i++)
        out.writeFloatLE(
          rng.pick([Number.NaN, Number.POSITIVE_INFINITY, -Number.POSITIVE_INFINITY]),
          rng.int(0, out.length / 4 - 1) * 4,
        );
      files['weights.bin'] = out;
      detail = `${n} weights set to NaN/Infinity`;
      // A model with non-finite weights may be refused, or may score: but never print a NaN score.
      expect = 'either';
    } else if (how === 'weights-missing') files = { 'model.json': json };
    else {
      files['weights.bin'] = Buffer.concat([weights, rng.bytes(rng.int(4, 4096))]);
      expect = 'either';
    }
    return {
      model: { files, args: ['-m', '{dir}'] },
      bytes: seeds.images.png,
      ext: 'png',
      mutation: `livenessnet ${how}${detail ? ` (${detail})` : ''}`,
      command: 'classify',
      expect: { cli: expect },
    };
  },
  manifest(rng, seeds) {
    // The store is only consulted for res10 (BlazeFace ships in its package): a res10 entry, and
    // --detector auto, which uses res10 when the store has it intact and BlazeFace when it has none.
    const entry = {
      name: 'res10-ssd',
      file: 'res10.onnx',
      sha256: createHash('sha256').update(seeds.res10).digest('hex'),
      source: 'fuzz',
      installedAt: '2026-01-01T00:00:00.000Z',
    };
    const good = { version: 1, models: { 'res10-ssd': entry } };
    const how = rng.pick([
      'intact',
      'truncate',
      'bitflip',
      'not-json',
      'sha',
      'escape',
      'missing-file',
      'version',
      'types',
      'model-altered',
      'no-entry',
      'array',
      'entry-name',
    ]);
    let onnx = seeds.res10;
    let manifest = good;
    let expect = 'refuse';
    if (how === 'intact') expect = 'accept';
    else if (how === 'sha') entry.sha256 = '0'.repeat(64);
    else if (how === 'escape')
      entry.file = rng.pick(['../outside.onnx', '/etc/passwd', 'a/../../x.onnx', 'C:\\x.onnx']);
    else if (how === 'missing-file') entry.file = 'nothing-here.onnx';
    else if (how === 'version') manifest = { ...good, version: rng.pick([0, 2, '1', null]) };
    else if (how === 'types')
      entry[rng.pick(['name', 'file', 'sha256', 'installedAt'])] = rng.pick([1, null, [], {}, '']);
    else if (how === 'model-altered') onnx = bitflip(rng, seeds.res10, 4).bytes;
    else if (how === 'no-entry') {
      manifest = { version: 1, models: {} };
      expect = 'accept'; // the packaged BlazeFace is used
    } else if (how === 'array') manifest = { version: 1, models: [] };
    else if (how === 'entry-name') {
      entry.name = rng.pick(['', 'x'.repeat(5000), 'other']);
      if (entry.name !== '') expect = 'either';
    }
    return {
      model: { store: true, onnx, manifest, how, expect },
      bytes: seeds.images.jpeg,
      ext: 'jpg',
      mutation: `manifest ${how}`,
      command: 'detect',
      expect: { cli: expect },
    };
  },
};

/**
 * The case `index` of a run, from its own seed. `targets` is which targets the run uses:
 * corrupt models need the CLI, so a service-only run draws media categories only.
 */
export function makeCase(seeds, seed, index, targets) {
  const rng = createRng(seed);
  const categories = targets.includes('cli')
    ? { ...MEDIA_CATEGORIES, ...MODEL_CATEGORIES }
    : MEDIA_CATEGORIES;
  const category = rng.weighted(categories);
  const target = category in MODEL_CATEGORIES ? 'cli' : targets.length === 1 ? targets[0] : rng.pick(targets);
  const generated = generators[category](rng, seeds);
  if (category === 'manifest') finishManifest(rng, generated);
  // `limit`: over the pixel limit, so a refusal must say so (not 'cannot decode'); for the CLI
  // only when over its own 40 MP (the 36 MP PNG and the 16.8 MP video are under it).
  const limit = Boolean(generated.limit) && generated.expect[target] === 'refuse';
  return { index, seed, category, target, ...generated, expect: generated.expect[target], limit };
}

/** The manifest's text: written whole, cut, or with flipped bits. */
function finishManifest(rng, c) {
  const { model } = c;
  let text = `${JSON.stringify(model.manifest, null, 2)}\n`;
  if (model.how === 'truncate') text = text.slice(0, rng.int(0, text.length - 2));
  else if (model.how === 'not-json') text = rng.pick(['', 'null', '[]', '{', 'version: 1', '\u0000\u0000']);
  else if (model.how === 'bitflip') {
    text = bitflip(rng, Buffer.from(text), 3).bytes.toString('latin1');
    c.expect.cli = 'either';
  }
  model.files = { 'manifest.json': Buffer.from(text, 'latin1'), 'res10.onnx': model.onnx };
  model.args = ['--detector', 'auto'];
}
