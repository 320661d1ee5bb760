/**
 * Looks for active content in a staged PDF without holding it in memory: the raw bytes are read in
 * windows and searched for the action names of material.rules.ts (`pdfActiveNames`), then every
 * FlateDecode stream (where object streams, /Type /ObjStm, hide dictionaries since PDF 1.5) is
 * inflated on its own and searched the same way.
 *
 * Limits (documented, deliberate): only FlateDecode is expanded (other filters — LZW, ASCII85, crypt —
 * are searched as raw bytes only); at most MAX_STREAMS streams and MAX_INFLATED bytes in total are
 * expanded; an encrypted PDF's strings and streams are not decrypted. A stream that fails to inflate
 * is skipped, not refused: damaged scans are common and a reader cannot run what it cannot inflate.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import zlib from 'node:zlib';
import { pdfActiveNames } from './material.rules';

const WINDOW = 1 << 20;
/** Window overlap: long enough for any dictionary before a `stream` keyword and any action name. */
const OVERLAP = 4096;
const TAIL = 16;
const MAX_STREAMS = 5000;
const MAX_INFLATED = 256 * 1024 * 1024;

interface Stream {
  start: number;
  end: number;
}

/** The action names found in the file (empty when none), raw and inside FlateDecode streams. */
export async function pdfActiveContent(filePath: string): Promise<string[]> {
  const found = new Set<string>();
  const streams: Stream[] = [];
  const handle = await fsp.open(filePath, 'r');
  try {
    const size = (await handle.stat()).size;
    // Each window reads OVERLAP bytes before its own part and TAIL after, so that a keyword cut by a
    // window's end is seen whole by the window that owns its first byte.
    const buffer = Buffer.alloc(OVERLAP + WINDOW + TAIL);
    let pendingStart: number | null = null;
    for (let at = 0; at < size; at += WINDOW) {
      const from = Math.max(0, at - OVERLAP);
      const length = Math.min(at - from + WINDOW + TAIL, size - from);
      const { bytesRead } = await handle.read(buffer, 0, length, from);
      const text = buffer.toString('latin1', 0, bytesRead);
      for (const n of pdfActiveNames(text)) found.add(n);
      // stream … endstream pairs; only those that begin in this window's own part are taken, so the
      // overlap never yields one twice.
      const re = /(stream\r?\n)|(endstream)/g;
      for (const m of text.matchAll(re)) {
        const pos = from + m.index;
        if (pos < at || pos >= at + WINDOW) continue;
        if (m[1] && !text.slice(m.index - 9, m.index).endsWith('end')) {
          const dict = text.slice(Math.max(0, m.index - 2048), m.index);
          const lastDict = dict.slice(dict.lastIndexOf('obj'));
          pendingStart = /\/FlateDecode\b|\/Fl\b/.test(lastDict) ? pos + m[1].length : null;
        } else if (m[2] && pendingStart !== null) {
          if (streams.length < MAX_STREAMS) streams.push({ start: pendingStart, end: pos });
          pendingStart = null;
        }
      }
    }
  } finally {
    await handle.close();
  }
  let budget = MAX_INFLATED;
  for (const s of streams) {
    if (budget <= 0) break;
    const inflated = await inflateAndScan(filePath, s, budget);
    budget -= inflated.bytes;
    for (const n of inflated.names) found.add(n);
  }
  return [...found];
}

/** Inflates one stream (bounded by `budget`) and searches its text, carrying a tail across chunks. */
function inflateAndScan(
  filePath: string,
  s: Stream,
  budget: number,
): Promise<{ bytes: number; names: string[] }> {
  return new Promise((resolve) => {
    const names = new Set<string>();
    let bytes = 0;
    let carry = '';
    const source = fs.createReadStream(filePath, { start: s.start, end: Math.max(s.start, s.end - 1) });
    const inflate = zlib.createInflate();
    const finish = () => {
      source.destroy();
      inflate.destroy();
      resolve({ bytes, names: [...names] });
    };
    inflate.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      const text = carry + chunk.toString('latin1');
      for (const n of pdfActiveNames(text)) names.add(n);
      carry = text.slice(-128);
      if (bytes >= budget) finish();
    });
    inflate.on('end', finish);
    inflate.on('error', finish);
    source.on('error', finish);
    source.pipe(inflate);
  });
}
