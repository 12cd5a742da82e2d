import { readFileSync } from 'node:fs';
import { ModelFormatError } from '@face-liveness/core';
import { missing } from '@face-liveness/core/testing';
import { describe, expect, it } from 'vitest';
import { convertTensorflow, parseTextFormat, TextEnum } from '../src/convert/index.js';
import { TF_PB, TF_PBTXT } from './res10-files.js';

describe('protobuf text format reader', () => {
  it('reads nested messages, repeated fields, lists, enums, escapes and comments', () => {
    const parsed = parseTextFormat(`
      # a comment
      name: "net \\"one\\"" # trailing comment
      input_shape { dim: 1 dim: 3 dim: 300 dim: 300 }
      layer < name: 'a' type: "Conv" param { lr_mult: 1.0 } >
      layer { name: "b" flip: true clip: False value: -1.5e-3 f: 2.0f code_type: CENTER_SIZE }
      order: [0, 2, 3, 1]
      s: "x" "y"
    `);
    expect(parsed.name).toEqual(['net "one"']);
    expect((parsed.input_shape[0] as { dim: number[] }).dim).toEqual([1, 3, 300, 300]);
    const [a, b] = parsed.layer as Record<string, unknown[]>[];
    expect(a.name).toEqual(['a']);
    expect(b).toMatchObject({ flip: [true], clip: [false], value: [-1.5e-3], f: [2] });
    expect(b.code_type[0]).toBeInstanceOf(TextEnum);
    expect(String(b.code_type[0])).toBe('CENTER_SIZE');
    expect(parsed.order).toEqual([0, 2, 3, 1]);
    expect(parsed.s).toEqual(['xy']);
  });

  it('reports malformed text with its line', () => {
    expect(() => parseTextFormat('a {\n b: 1\n', 'x.prototxt')).toThrow(/x\.prototxt: missing '}'/);
    expect(() => parseTextFormat('a: 1\nb: "open\n', 'y.pbtxt')).toThrow(
      /y\.pbtxt: unterminated string at line 2/,
    );
    expect(() => parseTextFormat('a: 1\n} ', 'z')).toThrow(ModelFormatError);
  });
});

const absent = missing(TF_PB, TF_PBTXT);

describe.skipIf(absent !== undefined)(`TensorFlow converter on wrong inputs ${absent ?? ''}`, () => {
  const pb = readFileSync(TF_PB);
  const pbtxt = readFileSync(TF_PBTXT, 'utf8');

  it('names the file that is not a GraphDef or not a text graph', () => {
    const notPb = () =>
      convertTensorflow({ pb: Uint8Array.from([0x0a, 0xff, 0xff]), pbtxt, pbName: 'weights.pb' });
    expect(notPb).toThrow(ModelFormatError);
    expect(notPb).toThrow(/weights\.pb/);
    const notText = () => convertTensorflow({ pb, pbtxt: 'node { name: "x" ', pbtxtName: 'graph.pbtxt' });
    expect(notText).toThrow(/graph\.pbtxt: missing '}'/);
  });

  it('refuses a graph whose prior boxes are not res10’s', () => {
    const changed = pbtxt.replace(
      'key: "min_size"\n    value {\n      i: 30',
      'key: "min_size"\n    value {\n      i: 31',
    );
    expect(changed).not.toBe(pbtxt);
    expect(() => convertTensorflow({ pb, pbtxt: changed })).toThrow(/prior boxes differ from OpenCV's res10/);
  });

  it('names a weight the .pb lacks', () => {
    const renamed = pbtxt.replace('input: "conv1_h/weights"', 'input: "conv1_h/weights_missing"');
    expect(() => convertTensorflow({ pb, pbtxt: renamed })).toThrow(
      /node 'conv1_h\/weights_missing' is missing/,
    );
  });
});
