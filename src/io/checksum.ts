/**
 * Checksums of run files (training runs, checkpoints, experiment folders, result and study
 * lines): a damaged or hand-edited file is refused with one line instead of being loaded.
 *
 * A JSON record carries `"checksum": "sha256:<hex>"`, the SHA-256 of the record's JSON
 * without that field (`JSON.stringify` of the object as read, so key order and number forms
 * round-trip exactly). Records written before checksums existed have none and still load.
 */
import { createHash } from 'node:crypto';
import { InputError } from '../core/errors.js';

export const CHECKSUM_FIELD = 'checksum';
const PREFIX = 'sha256:';

/** `sha256:<hex>` of text or bytes. */
export function sha256(data: string | Uint8Array): string {
  return PREFIX + createHash('sha256').update(data).digest('hex');
}

/** The record with its checksum as the last field. */
export function withChecksum<T extends object>(record: T): T & { checksum: string } {
  const { [CHECKSUM_FIELD]: _old, ...rest } = record as Record<string, unknown>;
  return { ...(rest as T), checksum: sha256(JSON.stringify(rest)) };
}

/**
 * The record without its checksum, after checking it; `what` names the file (and line) in
 * the message. A record without a checksum is returned as it is (written before checksums).
 */
export function verifyChecksum(data: unknown, what: string): { value: unknown; checked: boolean } {
  if (!data || typeof data !== 'object' || Array.isArray(data) || !(CHECKSUM_FIELD in data))
    return { value: data, checked: false };
  const { [CHECKSUM_FIELD]: sum, ...rest } = data as Record<string, unknown>;
  if (typeof sum !== 'string' || sum !== sha256(JSON.stringify(rest)))
    throw new InputError(
      `${what} is damaged or was edited (its checksum does not match its content); restore it from a copy`,
    );
  return { value: rest, checked: true };
}

/** JSON text of one record with its checksum, ending with a newline (a JSON-lines entry). */
export function checksummedLine(record: object): string {
  return `${JSON.stringify(withChecksum(record))}\n`;
}
