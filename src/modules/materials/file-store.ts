/**
 * Content-addressed store for uploaded materials (architecture: "a content-addressed store, local
 * directory by default; an S3-compatible store is a drop-in"). The same bytes are stored once, under
 * their SHA-256. Uploads are first staged in `tmp/` while hashing so they can be inspected (type
 * sniffing) and either committed (rename) or discarded — a refused upload leaves nothing behind.
 */
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface StoredFile {
  sha256: string;
  size: number;
  path: string;
}

export interface StagedFile {
  sha256: string;
  size: number;
  /** Local path of the staged bytes, for inspection before commit. */
  tempPath: string;
  /** Moves the bytes to their content address (a no-op when those bytes are already stored). */
  commit(): Promise<StoredFile>;
  /** Removes the staged bytes; safe to call more than once and after commit. */
  discard(): Promise<void>;
}

export interface FileStore {
  stage(stream: Readable): Promise<StagedFile>;
  put(stream: Readable): Promise<StoredFile>;
  open(sha256: string): Readable;
  exists(sha256: string): Promise<boolean>;
  /** Removes the stored bytes (no error when absent). */
  remove(sha256: string): Promise<void>;
  /** Every stored sha256 with the time its bytes were written (for the orphan sweep). */
  list(): AsyncGenerator<{ sha256: string; modifiedAt: Date }>;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** A directory store: `<root>/tmp/<uuid>` while staging, `<root>/<sha[0..2]>/<sha>` once committed. */
export function localFileStore(root: string): FileStore {
  const tmpDir = path.join(root, 'tmp');
  const finalPath = (sha256: string) => {
    if (!SHA256_HEX.test(sha256)) throw new RangeError(`not a sha256: ${sha256}`);
    return path.join(root, sha256.slice(0, 2), sha256);
  };

  async function stage(stream: Readable): Promise<StagedFile> {
    await fsp.mkdir(tmpDir, { recursive: true });
    const tempPath = path.join(tmpDir, randomUUID());
    const hash = createHash('sha256');
    let size = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    try {
      await pipeline(stream, counter, fs.createWriteStream(tempPath, { flags: 'wx' }));
    } catch (err) {
      await fsp.rm(tempPath, { force: true });
      throw err;
    }
    const sha256 = hash.digest('hex');
    const discard = () => fsp.rm(tempPath, { force: true });
    return {
      sha256,
      size,
      tempPath,
      discard,
      async commit() {
        const target = finalPath(sha256);
        await fsp.mkdir(path.dirname(target), { recursive: true });
        if (fs.existsSync(target)) {
          // Same bytes already stored: keep the one copy.
          await discard();
        } else {
          // rename is atomic within one file system; a concurrent identical upload just overwrites
          // the same bytes.
          await fsp.rename(tempPath, target);
        }
        return { sha256, size, path: target };
      },
    };
  }

  return {
    stage,
    async put(stream) {
      return (await stage(stream)).commit();
    },
    open(sha256) {
      return fs.createReadStream(finalPath(sha256));
    },
    async exists(sha256) {
      return fs.existsSync(finalPath(sha256));
    },
    async remove(sha256) {
      await fsp.rm(finalPath(sha256), { force: true });
    },
    async *list() {
      const prefixes = fs.existsSync(root) ? await fsp.readdir(root) : [];
      for (const prefix of prefixes) {
        if (!/^[0-9a-f]{2}$/.test(prefix)) continue;
        for (const name of await fsp.readdir(path.join(root, prefix))) {
          if (!SHA256_HEX.test(name)) continue;
          const stat = await fsp.stat(path.join(root, prefix, name)).catch(() => null);
          if (stat) yield { sha256: name, modifiedAt: stat.mtime };
        }
      }
    },
  };
}
