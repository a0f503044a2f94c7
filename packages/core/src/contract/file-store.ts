// The file port: files users and agents upload through a host, served at unguessable URLs.

/** A file a user or agent uploaded, to send as an attachment. */
export interface StoredFile {
  /** Random and unguessable (at least 128 bits): the file's URL is its only key. */
  id: string;
  contentType: string;
  name: string;
  /** In bytes. */
  size: number;
  /** Milliseconds since the epoch. */
  createdAt: number;
}

/** What an upload gives the store. */
export interface NewFile {
  contentType: string;
  name: string;
  bytes: Uint8Array;
}

/** Uploaded files, kept for a while (agents open them from the support system meanwhile). */
export interface FileStore {
  put(file: NewFile): Promise<StoredFile>;
  /** The file with its bytes, or undefined for an unknown (or expired) id. */
  get(id: string): Promise<(StoredFile & { bytes: Uint8Array }) | undefined>;
}
