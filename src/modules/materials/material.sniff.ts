/**
 * Reads what a staged upload really is: file-type's content sniffing plus the first bytes, which the
 * pure rules in material.rules.ts judge.
 */
import fsp from 'node:fs/promises';
import { fileTypeFromFile } from 'file-type';
import type { UploadFacts } from './material.rules';

const HEAD_BYTES = 4096;

export async function readUploadFacts(filePath: string, filename: string): Promise<UploadFacts> {
  const handle = await fsp.open(filePath, 'r');
  let head: Uint8Array;
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    head = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  const sniffed = await fileTypeFromFile(filePath);
  return { sniffed: sniffed ? { ext: sniffed.ext, mime: sniffed.mime } : undefined, head, filename };
}
