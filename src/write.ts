import { closeSync, openSync, promises as fs, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * Write a file atomically: a temporary file beside it, then a rename; never a half-written file.
 * `data` may be a function that writes the content in pieces (a large report is never one string).
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array | ((write: (text: string) => void) => void)): Promise<void> {
  await fs.mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    if (typeof data === 'function') {
      const fd = openSync(temporary, 'w');
      try {
        data((text) => void writeSync(fd, text));
      } finally {
        closeSync(fd);
      }
    } else await fs.writeFile(temporary, data);
    await fs.rename(temporary, path);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw error;
  }
}
