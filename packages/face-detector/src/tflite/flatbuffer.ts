/**
 * A minimal bounds-checked FlatBuffers table reader: enough to walk a TFLite model without the
 * generated code. Tables are addressed by their absolute byte position; fields by their index in
 * the schema (vtable slot `4 + 2 * index`). Every read checks bounds, so a truncated file fails
 * with a {@link FlatBufferError} instead of reading garbage.
 */
export class FlatBufferError extends Error {}

export class FlatBuffer {
  private readonly view: DataView;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Position of the root table. */
  root(): number {
    return this.uoffset(0);
  }

  /** The 4-character file identifier stored after the root offset. */
  identifier(): string {
    this.check(4, 4);
    return String.fromCharCode(...this.bytes.subarray(4, 8));
  }

  /** Absolute position of field `index` of the table at `table`, or 0 when the field is absent. */
  field(table: number, index: number): number {
    const vtable = table - this.i32(table);
    const vtableSize = this.u16(vtable);
    const slot = 4 + 2 * index;
    if (slot + 2 > vtableSize) return 0;
    const offset = this.u16(vtable + slot);
    return offset === 0 ? 0 : table + offset;
  }

  scalar(table: number, index: number, type: ScalarType, fallback = 0): number {
    const at = this.field(table, index);
    if (at === 0) return fallback;
    switch (type) {
      case 'u8':
        this.check(at, 1);
        return this.view.getUint8(at);
      case 'i8':
        this.check(at, 1);
        return this.view.getInt8(at);
      case 'i32':
        return this.i32(at);
      case 'u32':
        return this.u32(at);
      case 'f32':
        this.check(at, 4);
        return this.view.getFloat32(at, true);
      case 'u64':
        this.check(at, 8);
        return Number(this.view.getBigUint64(at, true));
    }
  }

  /** Position of the sub-table in field `index`, or 0 when absent. */
  table(table: number, index: number): number {
    const at = this.field(table, index);
    return at === 0 ? 0 : this.uoffset(at);
  }

  /** Start and length of the vector in field `index` (length 0 when absent). */
  vector(table: number, index: number, elementSize: number): { start: number; length: number } {
    const at = this.field(table, index);
    if (at === 0) return { start: 0, length: 0 };
    const vec = this.uoffset(at);
    const length = this.u32(vec);
    this.check(vec + 4, length * elementSize);
    return { start: vec + 4, length };
  }

  tables(table: number, index: number): number[] {
    const { start, length } = this.vector(table, index, 4);
    return Array.from({ length }, (_, i) => this.uoffset(start + 4 * i));
  }

  int32s(table: number, index: number): number[] {
    const { start, length } = this.vector(table, index, 4);
    return Array.from({ length }, (_, i) => this.view.getInt32(start + 4 * i, true));
  }

  float32s(table: number, index: number): number[] {
    const { start, length } = this.vector(table, index, 4);
    return Array.from({ length }, (_, i) => this.view.getFloat32(start + 4 * i, true));
  }

  int64s(table: number, index: number): number[] {
    const { start, length } = this.vector(table, index, 8);
    return Array.from({ length }, (_, i) => Number(this.view.getBigInt64(start + 8 * i, true)));
  }

  /** The bytes of a `[ubyte]` field (a view, not a copy). */
  ubytes(table: number, index: number): Uint8Array {
    const { start, length } = this.vector(table, index, 1);
    return this.bytes.subarray(start, start + length);
  }

  string(table: number, index: number): string | undefined {
    if (this.field(table, index) === 0) return undefined;
    return new TextDecoder().decode(this.ubytes(table, index));
  }

  /** A byte range of the file, checked (TFLite keeps large buffers outside the flatbuffer). */
  slice(offset: number, size: number): Uint8Array {
    this.check(offset, size);
    return this.bytes.subarray(offset, offset + size);
  }

  private check(at: number, size: number): void {
    if (!(at >= 0 && size >= 0 && at + size <= this.bytes.length)) {
      throw new FlatBufferError(
        `read of ${size} bytes at offset ${at} runs past the end (${this.bytes.length} bytes)`,
      );
    }
  }

  private u16(at: number): number {
    this.check(at, 2);
    return this.view.getUint16(at, true);
  }

  private i32(at: number): number {
    this.check(at, 4);
    return this.view.getInt32(at, true);
  }

  private u32(at: number): number {
    this.check(at, 4);
    return this.view.getUint32(at, true);
  }

  /** Follows the unsigned offset stored at `at` (relative to `at`). */
  private uoffset(at: number): number {
    const target = at + this.u32(at);
    this.check(target, 0);
    return target;
  }
}

export type ScalarType = 'u8' | 'i8' | 'i32' | 'u32' | 'f32' | 'u64';
