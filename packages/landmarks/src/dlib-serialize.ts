/**
 * dlib's portable binary serialisation (dlib/serialize.h, dlib/float_details.h), the parts a
 * shape predictor uses: integers, floats, std::vector lengths and dlib::matrix headers.
 *
 * Integers: a control byte (bit 7 = negative, low 4 bits = number of magnitude bytes; bits 4-6
 * are always zero), then the magnitude little-endian. Floats: a `float_details` pair, the
 * signed 64-bit mantissa then the 16-bit exponent, each as an integer; the value is
 * `mantissa * 2^exponent`, with exponents 32000/32001/32002 meaning +inf/-inf/NaN. Before
 * dlib 18.x floats were ASCII text; a control byte with any of bits 4-6 set means that format.
 */

const IS_INF = 32000;
const IS_NINF = 32001;
const IS_NAN = 32002;
/** `std::numeric_limits<float>::digits`: the mantissa width dlib writes for a float. */
const FLOAT_DIGITS = 24;
/** 2^e for the exponents float models use; `2 ** e` is a slow generic pow in the load loop. */
const POW2_BIAS = 300;
const POW2 = Float64Array.from({ length: 2 * POW2_BIAS + 1 }, (_, i) => 2 ** (i - POW2_BIAS));
const pow2 = (e: number) => (e >= -POW2_BIAS && e <= POW2_BIAS ? POW2[e + POW2_BIAS] : 2 ** e);
const f32Bits = new DataView(new ArrayBuffer(4));

/** Thrown by {@link DlibReader} when the bytes end early or do not follow dlib's encoding. */
export class DlibDecodeError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly truncated: boolean,
  ) {
    super(message);
    this.name = 'DlibDecodeError';
  }
}

/** Sequential reader of dlib-serialised values. */
export class DlibReader {
  offset = 0;
  constructor(readonly bytes: Uint8Array) {}

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  /** A signed or unsigned integer (dlib writes both the same way). */
  int(what: string): number {
    const { bytes } = this;
    const at = this.offset;
    if (at >= bytes.length) throw new DlibDecodeError(`the file ends where ${what} should start`, at, true);
    const control = bytes[at];
    if (control & 0x70) {
      throw new DlibDecodeError(`byte 0x${control.toString(16)} is not a dlib integer (${what})`, at, false);
    }
    const size = control & 0x0f;
    if (size > 8)
      throw new DlibDecodeError(`integer of ${size} bytes (${what}); dlib writes at most 8`, at, false);
    if (at + 1 + size > bytes.length) {
      throw new DlibDecodeError(`the file ends inside ${what}`, at, true);
    }
    let value = 0;
    let scale = 1;
    for (let i = 1; i <= size; i++) {
      value += bytes[at + i] * scale;
      scale *= 256;
    }
    this.offset = at + 1 + size;
    return control & 0x80 ? -value : value;
  }

  /** A non-negative integer no larger than `max` (lengths, indices). */
  count(what: string, max: number): number {
    const at = this.offset;
    const n = this.int(what);
    if (n < 0 || n > max) throw new DlibDecodeError(`${what} is ${n}, outside 0..${max}`, at, false);
    return n;
  }

  /** A float in dlib's portable format, rounded to float32 as dlib does when reading into a float. */
  float(what: string): number {
    const at = this.offset;
    const control = this.offset < this.bytes.length ? this.bytes[this.offset] : 0;
    if (control & 0x70) {
      throw new DlibDecodeError(
        `${what} uses dlib's pre-2013 ASCII float format, which is not supported: re-save the model with a current dlib`,
        at,
        false,
      );
    }
    const mantissa = this.int(what);
    const exponent = this.int(what);
    if (exponent < IS_INF) return Math.fround(Math.fround(mantissa) * pow2(exponent));
    if (exponent === IS_INF) return Number.POSITIVE_INFINITY;
    if (exponent === IS_NINF) return Number.NEGATIVE_INFINITY;
    if (exponent === IS_NAN) return Number.NaN;
    throw new DlibDecodeError(`${what} has exponent ${exponent}, which is not a dlib float`, at, false);
  }

  /**
   * The header of a `dlib::matrix`: rows and columns. Current dlib writes them negated (so that
   * matrices and array2d share a format); older files wrote them positive. Both are accepted.
   */
  matrixShape(what: string, maxElements: number): [rows: number, cols: number] {
    const at = this.offset;
    let rows = this.int(`${what} rows`);
    let cols = this.int(`${what} columns`);
    if (rows < 0 || cols < 0) {
      rows = -rows;
      cols = -cols;
    }
    if (rows < 0 || cols < 0 || rows * cols > maxElements) {
      throw new DlibDecodeError(`${what} claims ${rows}x${cols} elements`, at, false);
    }
    return [rows, cols];
  }
}

/** Growing writer of dlib-serialised values (the inverse of {@link DlibReader}). */
export class DlibWriter {
  private buffer = new Uint8Array(1 << 16);
  private length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + n) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }

  /** An integer (|value| < 2^53). */
  int(value: number): void {
    if (!Number.isSafeInteger(value))
      throw new RangeError(`dlib integers must be safe integers, got ${value}`);
    this.reserve(9);
    let magnitude = Math.abs(value);
    const at = this.length;
    let size = 0;
    // dlib writes at least one magnitude byte, even for zero.
    do {
      this.buffer[at + 1 + size] = magnitude % 256;
      magnitude = Math.floor(magnitude / 256);
      size++;
    } while (magnitude > 0);
    this.buffer[at] = size | (value < 0 ? 0x80 : 0);
    this.length = at + 1 + size;
  }

  /** A float32 value, exactly as dlib's `float_details` encodes a C++ float. */
  float(value: number): void {
    const v = Math.fround(value);
    if (v === Number.POSITIVE_INFINITY) return this.pair(0, IS_INF);
    if (v === Number.NEGATIVE_INFINITY) return this.pair(0, IS_NINF);
    if (Number.isNaN(v)) return this.pair(0, IS_NAN);
    // frexp(v) * 2^24 from the float's bits: a normal float is (2^23 + fraction) * 2^(e - 150).
    f32Bits.setFloat32(0, v);
    const bits = f32Bits.getUint32(0);
    const biased = (bits >>> 23) & 0xff;
    let mantissa = bits & 0x7fffff;
    let exponent = biased === 0 ? -149 : biased - 150;
    if (biased !== 0) mantissa += 0x800000;
    if (mantissa === 0) {
      exponent = -FLOAT_DIGITS; // frexp(0) = 0 * 2^0
    } else {
      while (mantissa < 0x800000) {
        mantissa *= 2;
        exponent--;
      }
    }
    if (bits >>> 31) mantissa = -mantissa;
    // dlib drops whole zero low-order bytes (at most 8) to keep the numbers short.
    for (let i = 0; i < 8 && mantissa % 256 === 0; i++) {
      mantissa /= 256;
      exponent += 8;
    }
    this.pair(mantissa, exponent);
  }

  private pair(mantissa: number, exponent: number): void {
    this.int(mantissa);
    this.int(exponent);
  }

  /** A `dlib::matrix` header in the current (negated) form. */
  matrixShape(rows: number, cols: number): void {
    this.int(-rows);
    this.int(-cols);
  }

  /** The bytes written so far. */
  bytes(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}
