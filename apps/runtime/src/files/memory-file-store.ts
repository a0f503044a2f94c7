import { randomBytes } from 'node:crypto';
import type { FileStore, StoredFile } from './file-store.js';

/** Files in process memory, the oldest dropped beyond `maxTotalBytes` (tests, throwaway demos). */
export function createMemoryFileStore(settings: { maxTotalBytes?: number } = {}): FileStore {
  const maxTotalBytes = settings.maxTotalBytes ?? 256 * 1024 * 1024;
  const files = new Map<string, StoredFile & { bytes: Uint8Array }>();
  let total = 0;
  return {
    async put({ contentType, name, bytes }) {
      const file = {
        id: randomBytes(16).toString('base64url'),
        contentType,
        name,
        size: bytes.byteLength,
        createdAt: Date.now(),
      };
      files.set(file.id, { ...file, bytes: new Uint8Array(bytes) });
      total += bytes.byteLength;
      for (const [id, oldest] of files) {
        if (total <= maxTotalBytes || id === file.id) break;
        files.delete(id);
        total -= oldest.size;
      }
      return file;
    },
    async get(id) {
      return files.get(id);
    },
  };
}
