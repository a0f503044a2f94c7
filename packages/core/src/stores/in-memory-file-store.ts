// Uploaded files in process memory.
import type { FileStore, StoredFile } from '../contract/file-store.js';
import { storedFileOf } from './stored-file-of.js';

export interface InMemoryFileStoreSettings {
  /** Beyond this many bytes in all, the oldest files are dropped. Default 256 MiB. */
  maxTotalBytes?: number;
}

/** Files in process memory, the oldest dropped beyond `maxTotalBytes` (tests, throwaway demos). */
export function createInMemoryFileStore(settings: InMemoryFileStoreSettings = {}): FileStore {
  const maxTotalBytes = settings.maxTotalBytes ?? 256 * 1024 * 1024;
  const files = new Map<string, StoredFile & { bytes: Uint8Array }>();
  let total = 0;
  return {
    async put(upload) {
      const { bytes } = upload;
      const file = storedFileOf(upload);
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
      const file = files.get(id);
      return file === undefined ? undefined : { ...file, bytes: new Uint8Array(file.bytes) };
    },
  };
}
