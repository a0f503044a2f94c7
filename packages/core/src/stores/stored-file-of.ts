// The record of a file a store accepts: an id nobody guesses, and what the file is.
import type { NewFile, StoredFile } from '../contract/file-store.js';

/** 16 random bytes, base64url (22 characters). */
function unguessableId(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');
}

/** What every file store records for `file` as it stores it (the bytes are the store's to keep). */
export function storedFileOf(file: NewFile, now: number = Date.now()): StoredFile {
  return {
    id: unguessableId(),
    contentType: file.contentType,
    name: file.name,
    size: file.bytes.byteLength,
    createdAt: now,
  };
}
