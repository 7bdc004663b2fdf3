/**
 * Scalar summaries in TensorBoard's event-file format, without TensorFlow: a TFRecord file
 * (length, masked CRC-32C of the length, payload, masked CRC-32C of the payload) of `Event`
 * protocol buffers, hand-encoded. Only what scalars need:
 *
 *   Event   { double wall_time = 1; int64 step = 2; string file_version = 3;
 *             Summary summary = 5; SessionLog session_log = 6; }
 *   Summary { repeated Value value = 1; }   Value { string tag = 1; float simple_value = 2; }
 *   SessionLog { SessionStatus status = 1; }   (START = 1)
 *
 * A resumed run writes a SessionLog START at the resumed step: TensorBoard then discards
 * the events of the first session past that step (the iterations lost since the checkpoint).
 * `readEvents` decodes such files back (for tests and tools).
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { appendFile, writeFileInPlace } from '../src/io/files.js';

// ---- CRC-32C (Castagnoli), as TFRecord requires ----------------------------------------

const CRC32C_POLY = 0x82f63b78;
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ CRC32C_POLY : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

export function crc32c(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** TFRecord's masked CRC: rotate right by 15 and add a constant. */
const MASK_DELTA = 0xa282ead8;
export function maskedCrc32c(bytes: Uint8Array): number {
  const c = crc32c(bytes);
  return ((((c >>> 15) | (c << 17)) >>> 0) + MASK_DELTA) >>> 0;
}

// ---- Minimal protobuf encoding -----------------------------------------------------------

const WIRE_VARINT = 0;
const WIRE_64 = 1;
const WIRE_LEN = 2;
const WIRE_32 = 5;

class ProtoWriter {
  private parts: number[] = [];

  private varint(v: number): void {
    // Non-negative integers up to 2^53 (steps, lengths, tags).
    let x = v;
    while (x >= 0x80) {
      this.parts.push((x % 0x80) | 0x80);
      x = Math.floor(x / 0x80);
    }
    this.parts.push(x);
  }

  private key(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  uint(field: number, v: number): this {
    this.key(field, WIRE_VARINT);
    this.varint(v);
    return this;
  }

  double(field: number, v: number): this {
    this.key(field, WIRE_64);
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, v, true);
    this.parts.push(...b);
    return this;
  }

  float(field: number, v: number): this {
    this.key(field, WIRE_32);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    this.parts.push(...b);
    return this;
  }

  bytes(field: number, data: Uint8Array): this {
    this.key(field, WIRE_LEN);
    this.varint(data.length);
    this.parts.push(...data);
    return this;
  }

  string(field: number, s: string): this {
    return this.bytes(field, new TextEncoder().encode(s));
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

function record(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + 4 + payload.length + 4);
  const view = new DataView(out.buffer);
  const len = out.subarray(0, 8);
  view.setUint32(0, payload.length, true);
  view.setUint32(4, 0, true);
  view.setUint32(8, maskedCrc32c(len), true);
  out.set(payload, 12);
  view.setUint32(12 + payload.length, maskedCrc32c(payload), true);
  return out;
}

/** SessionLog status START. */
const SESSION_START = 1;

export class TensorBoardWriter {
  readonly path: string;
  private pending: Uint8Array[] = [];

  /** Opens a new event file in `dir` (TensorBoard reads every `*tfevents*` file there). */
  constructor(dir: string, now: number = Date.now()) {
    const seconds = Math.floor(now / 1000);
    this.path = join(dir, `events.out.tfevents.${seconds}.${hostname()}.${process.pid}.m3e`);
    const first = new ProtoWriter()
      .double(1, now / 1000)
      .string(3, 'brain.Event:2')
      .finish();
    writeFileInPlace(this.path, record(first), 'TensorBoard event file');
  }

  scalar(tag: string, value: number, step: number, wallTime: number = Date.now() / 1000): void {
    const v = new ProtoWriter().string(1, tag).float(2, value).finish();
    const summary = new ProtoWriter().bytes(1, v).finish();
    this.pending.push(record(new ProtoWriter().double(1, wallTime).uint(2, step).bytes(5, summary).finish()));
  }

  /** Marks a (re)start at `step`: TensorBoard drops older events with larger steps. */
  sessionStart(step: number, wallTime: number = Date.now() / 1000): void {
    const log = new ProtoWriter().uint(1, SESSION_START).finish();
    this.pending.push(record(new ProtoWriter().double(1, wallTime).uint(2, step).bytes(6, log).finish()));
  }

  flush(): void {
    if (this.pending.length === 0) return;
    const total = this.pending.reduce((s, p) => s + p.length, 0);
    const buf = new Uint8Array(total);
    let o = 0;
    for (const p of this.pending) {
      buf.set(p, o);
      o += p.length;
    }
    appendFile(this.path, buf, 'TensorBoard event file');
    this.pending = [];
  }

  close(): void {
    this.flush();
  }
}

// ---- Reading back ------------------------------------------------------------------------

export interface DecodedEvent {
  readonly wallTime: number;
  readonly step: number;
  readonly fileVersion?: string;
  readonly scalars: { tag: string; value: number }[];
  readonly sessionStatus?: number;
}

interface Field {
  readonly field: number;
  readonly wire: number;
  readonly value: number | Uint8Array;
}

function decodeMessage(b: Uint8Array): Field[] {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: Field[] = [];
  let i = 0;
  const varint = (): number => {
    let v = 0;
    let mul = 1;
    for (;;) {
      const byte = b[i++];
      if (byte === undefined) throw new Error('truncated varint');
      v += (byte & 0x7f) * mul;
      if (byte < 0x80) return v;
      mul *= 0x80;
    }
  };
  while (i < b.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (wire === WIRE_VARINT) out.push({ field, wire, value: varint() });
    else if (wire === WIRE_64) {
      out.push({ field, wire, value: view.getFloat64(i, true) });
      i += 8;
    } else if (wire === WIRE_32) {
      out.push({ field, wire, value: view.getFloat32(i, true) });
      i += 4;
    } else if (wire === WIRE_LEN) {
      const n = varint();
      out.push({ field, wire, value: b.subarray(i, i + n) });
      i += n;
    } else throw new Error(`unsupported protobuf wire type ${wire}`);
  }
  return out;
}

/** Decodes an event file; throws on a bad CRC or a truncated record. */
export function readEvents(path: string): DecodedEvent[] {
  const buf = Uint8Array.from(readFileSync(path));
  const view = new DataView(buf.buffer);
  const events: DecodedEvent[] = [];
  let o = 0;
  while (o < buf.length) {
    if (o + 12 > buf.length) throw new Error(`${path}: truncated record header at byte ${o}`);
    const len = view.getUint32(o, true) + view.getUint32(o + 4, true) * 2 ** 32;
    if (view.getUint32(o + 8, true) !== maskedCrc32c(buf.subarray(o, o + 8)))
      throw new Error(`${path}: bad length CRC at byte ${o}`);
    const payload = buf.subarray(o + 12, o + 12 + len);
    if (payload.length !== len || o + 16 + len > buf.length)
      throw new Error(`${path}: truncated record at byte ${o}`);
    if (view.getUint32(o + 12 + len, true) !== maskedCrc32c(payload))
      throw new Error(`${path}: bad data CRC at byte ${o}`);
    o += 16 + len;
    let wallTime = 0;
    let step = 0;
    let fileVersion: string | undefined;
    let sessionStatus: number | undefined;
    const scalars: { tag: string; value: number }[] = [];
    for (const f of decodeMessage(payload)) {
      if (f.field === 1) wallTime = f.value as number;
      else if (f.field === 2) step = f.value as number;
      else if (f.field === 3) fileVersion = new TextDecoder().decode(f.value as Uint8Array);
      else if (f.field === 5) {
        for (const v of decodeMessage(f.value as Uint8Array)) {
          let tag = '';
          let value = Number.NaN;
          for (const g of decodeMessage(v.value as Uint8Array)) {
            if (g.field === 1) tag = new TextDecoder().decode(g.value as Uint8Array);
            else if (g.field === 2) value = g.value as number;
          }
          scalars.push({ tag, value });
        }
      } else if (f.field === 6) {
        for (const g of decodeMessage(f.value as Uint8Array))
          if (g.field === 1) sessionStatus = g.value as number;
      }
    }
    events.push({
      wallTime,
      step,
      scalars,
      ...(fileVersion !== undefined ? { fileVersion } : {}),
      ...(sessionStatus !== undefined ? { sessionStatus } : {}),
    });
  }
  return events;
}
