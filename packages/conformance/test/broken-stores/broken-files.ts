// File stores that change bytes, hand out guessable ids or share their bytes with callers.
import type { StoredFile } from '@handoff/core';
import { type BrokenStores, brokenStores } from './broken-store.js';

export const brokenFiles: Record<string, BrokenStores> = {
  'loses the last byte of a file': brokenStores(
    ['files/bytes-and-details-intact', 'files/copies'],
    (stores) => ({
      ...stores,
      files: {
        put: (file) => stores.files.put(file),
        get: async (id) => {
          const file = await stores.files.get(id);
          return file === undefined ? undefined : { ...file, bytes: file.bytes.subarray(0, -1) };
        },
      },
    }),
  ),
  'numbers files one after another': brokenStores(['files/unguessable-ids'], (stores) => {
    const files = new Map<string, StoredFile & { bytes: Uint8Array }>();
    return {
      ...stores,
      files: {
        put: async ({ contentType, name, bytes }) => {
          const file = {
            id: `file-${String(files.size + 1).padStart(12, '0')}`,
            contentType,
            name,
            size: bytes.byteLength,
            createdAt: Date.now(),
          };
          files.set(file.id, { ...file, bytes: new Uint8Array(bytes) });
          return file;
        },
        get: async (id) => {
          const file = files.get(id);
          return file === undefined ? undefined : { ...file, bytes: new Uint8Array(file.bytes) };
        },
      },
    };
  }),
  'keeps the caller’s bytes instead of a copy': brokenStores(['files/copies'], (stores) => {
    const shared = new Map<string, Uint8Array>();
    return {
      ...stores,
      files: {
        put: async (file) => {
          const stored = await stores.files.put(file);
          shared.set(stored.id, file.bytes);
          return stored;
        },
        get: async (id) => {
          const file = await stores.files.get(id);
          const bytes = shared.get(id);
          return file === undefined || bytes === undefined ? undefined : { ...file, bytes };
        },
      },
    };
  }),
};
