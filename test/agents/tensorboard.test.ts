// TensorBoard event files: CRC-32C test vector, and a write / read-back round trip.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crc32c, readEvents, TensorBoardWriter } from '../../agents/tensorboard.js';

describe('TensorBoard event files', () => {
  it('use CRC-32C (Castagnoli)', () => {
    // The standard check value of CRC-32C.
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
  });

  it('round-trip scalars and session starts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'm3e-tb-'));
    const w = new TensorBoardWriter(dir, 1_700_000_000_000);
    w.scalar('charts/episodic_return', -1.25, 512, 1_700_000_001);
    w.scalar('losses/value_loss', 0.125, 512, 1_700_000_001);
    w.sessionStart(256);
    w.scalar('charts/episodic_return', -1, 2 ** 40, 1_700_000_002);
    w.close();
    const files = readdirSync(dir).filter((f) => f.includes('tfevents'));
    expect(files).toHaveLength(1);
    const ev = readEvents(join(dir, files[0]!));
    expect(ev[0]!.fileVersion).toBe('brain.Event:2');
    expect(ev[0]!.wallTime).toBe(1_700_000_000);
    expect(ev.slice(1).map((e) => [e.step, e.scalars, e.sessionStatus])).toEqual([
      [512, [{ tag: 'charts/episodic_return', value: -1.25 }], undefined],
      [512, [{ tag: 'losses/value_loss', value: 0.125 }], undefined],
      [256, [], 1],
      [2 ** 40, [{ tag: 'charts/episodic_return', value: -1 }], undefined],
    ]);
    // A flipped payload byte is caught by the CRC.
    const path = join(dir, files[0]!);
    const bytes = readFileSync(path);
    bytes[bytes.length - 6]! ^= 0xff;
    writeFileSync(path, bytes);
    expect(() => readEvents(path)).toThrow(/CRC/);
  });
});
