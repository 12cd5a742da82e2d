/**
 * The hot loop of the shape predictor, adding 500 chosen leaves of 136 floats per cascade, as a
 * tiny WebAssembly SIMD function: `sum(shape, list, n, bytes)` adds, for each of the `n` byte
 * addresses in `list`, the `bytes / 16` float32x4 vectors found there onto those at `shape`.
 * f32x4.add rounds each lane exactly like a scalar float add, so results stay bit-identical to
 * dlib's sequential float32 sums, at about a quarter of the instructions of the JavaScript loop.
 * Hand-assembled (95 bytes of code); the equivalent text is:
 *
 *   (func (export "sum") (param $shape i32) (param $list i32) (param $n i32) (param $bytes i32)
 *     (local $i i32) (local $leaf i32) (local $k i32)
 *     (block (loop
 *       (br_if 1 (i32.ge_u (local.get $i) (local.get $n)))
 *       (local.set $leaf (i32.load (i32.add (local.get $list) (i32.shl (local.get $i) (i32.const 2)))))
 *       (local.set $k (i32.const 0))
 *       (block (loop
 *         (br_if 1 (i32.ge_u (local.get $k) (local.get $bytes)))
 *         (v128.store (i32.add (local.get $shape) (local.get $k))
 *           (f32x4.add (v128.load (i32.add (local.get $shape) (local.get $k)))
 *                      (v128.load (i32.add (local.get $leaf) (local.get $k)))))
 *         (local.set $k (i32.add (local.get $k) (i32.const 16)))
 *         (br 0)))
 *       (local.set $i (i32.add (local.get $i) (i32.const 1)))
 *       (br 0))))
 */
const BODY = [
  0x01, 0x03, 0x7f, 0x02, 0x40, 0x03, 0x40, 0x20, 0x04, 0x20, 0x02, 0x4f, 0x0d, 0x01, 0x20, 0x01, 0x20, 0x04,
  0x41, 0x02, 0x74, 0x6a, 0x28, 0x02, 0x00, 0x21, 0x05, 0x41, 0x00, 0x21, 0x06, 0x02, 0x40, 0x03, 0x40, 0x20,
  0x06, 0x20, 0x03, 0x4f, 0x0d, 0x01, 0x20, 0x00, 0x20, 0x06, 0x6a, 0x20, 0x00, 0x20, 0x06, 0x6a, 0xfd, 0x00,
  0x04, 0x00, 0x20, 0x05, 0x20, 0x06, 0x6a, 0xfd, 0x00, 0x04, 0x00, 0xfd, 0xe4, 0x01, 0xfd, 0x0b, 0x04, 0x00,
  0x20, 0x06, 0x41, 0x10, 0x6a, 0x21, 0x06, 0x0c, 0x00, 0x0b, 0x0b, 0x20, 0x04, 0x41, 0x01, 0x6a, 0x21, 0x04,
  0x0c, 0x00, 0x0b, 0x0b, 0x0b,
];
const MODULE = new Uint8Array([
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
  ...[0x01, 0x08, 0x01, 0x60, 0x04, 0x7f, 0x7f, 0x7f, 0x7f, 0x00], // type (i32 x4) -> ()
  ...[0x02, 0x0f, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00, 0x01], // env.memory
  ...[0x03, 0x02, 0x01, 0x00], // one function of type 0
  ...[0x07, 0x07, 0x01, 0x03, 0x73, 0x75, 0x6d, 0x00, 0x00], // export "sum"
  ...[0x0a, BODY.length + 2, 0x01, BODY.length, ...BODY],
]);

export type LeafSum = (shape: number, list: number, n: number, bytes: number) => void;

/** Instantiates the SIMD leaf adder on `memory`, or returns undefined where WebAssembly SIMD is missing. */
export function leafSum(memory: WebAssembly.Memory): LeafSum | undefined {
  if (typeof WebAssembly === 'undefined' || !WebAssembly.validate(MODULE)) return undefined;
  const instance = new WebAssembly.Instance(new WebAssembly.Module(MODULE), { env: { memory } });
  return instance.exports.sum as LeafSum;
}
