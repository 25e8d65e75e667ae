/**
 * Jute, ZooKeeper's record serialization (org.apache.jute.BinaryOutputArchive and
 * BinaryInputArchive): big-endian ints and longs, a boolean as one byte, a buffer or a ustring as
 * an int length followed by the bytes (length -1 for null), a vector as an int count followed by
 * the elements (-1 for null). Longs are bigint here because session ids use all 64 bits.
 */

/** Appends jute primitives to a growing byte array. */
export class JuteWriter {
  private chunks: Buffer[] = [];
  private size = 0;

  /** The number of bytes written so far. */
  get length(): number {
    return this.size;
  }

  private push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
  }

  writeInt(value: number): void {
    const chunk = Buffer.alloc(4);
    chunk.writeInt32BE(value | 0);
    this.push(chunk);
  }

  writeLong(value: bigint): void {
    const chunk = Buffer.alloc(8);
    chunk.writeBigInt64BE(BigInt.asIntN(64, value));
    this.push(chunk);
  }

  writeBool(value: boolean): void {
    this.push(Buffer.from([value ? 1 : 0]));
  }

  /** A byte buffer; null is written as length -1, as the Java client does for null data. */
  writeBuffer(value: Uint8Array | null): void {
    if (value === null) {
      this.writeInt(-1);
      return;
    }
    this.writeInt(value.length);
    this.push(Buffer.from(value));
  }

  /** A UTF-8 string, sent verbatim: paths are not validated or rewritten on the client. */
  writeString(value: string): void {
    this.writeBuffer(Buffer.from(value, "utf8"));
  }

  writeStrings(values: readonly string[]): void {
    this.writeInt(values.length);
    for (const value of values) this.writeString(value);
  }

  /** The bytes written, without a frame length. */
  toBuffer(): Buffer {
    return Buffer.concat(this.chunks, this.size);
  }
}

/** Thrown when a reply is shorter than its record or holds an impossible length. */
export class JuteDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JuteDecodeError";
  }
}

/** Reads jute primitives from one received frame. */
export class JuteReader {
  private offset = 0;

  constructor(private readonly bytes: Buffer) {}

  /** Bytes not yet read. */
  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  private need(count: number): void {
    if (count < 0 || this.offset + count > this.bytes.length) {
      throw new JuteDecodeError(`frame too short: need ${count} at ${this.offset}`);
    }
  }

  readInt(): number {
    this.need(4);
    const value = this.bytes.readInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  readLong(): bigint {
    this.need(8);
    const value = this.bytes.readBigInt64BE(this.offset);
    this.offset += 8;
    return value;
  }

  readBool(): boolean {
    this.need(1);
    const value = this.bytes[this.offset] !== 0;
    this.offset += 1;
    return value;
  }

  readBuffer(): Buffer | null {
    const length = this.readInt();
    if (length === -1) return null;
    this.need(length);
    const value = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  readString(): string | null {
    const value = this.readBuffer();
    return value === null ? null : value.toString("utf8");
  }

  readStrings(): string[] {
    const count = this.readInt();
    if (count === -1) return [];
    if (count < 0) throw new JuteDecodeError(`bad vector length ${count}`);
    const values: string[] = [];
    for (let i = 0; i < count; i++) values.push(this.readString() ?? "");
    return values;
  }
}
