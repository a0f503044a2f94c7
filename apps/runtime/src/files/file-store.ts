/** A file a user or agent uploaded through the runtime, to send as an attachment. */
export interface StoredFile {
  /** Random, unguessable: the file's URL is its only key. */
  id: string;
  contentType: string;
  name: string;
  size: number;
  createdAt: number;
}

export interface FileStore {
  put(file: { contentType: string; name: string; bytes: Uint8Array }): Promise<StoredFile>;
  get(id: string): Promise<(StoredFile & { bytes: Uint8Array }) | undefined>;
}
