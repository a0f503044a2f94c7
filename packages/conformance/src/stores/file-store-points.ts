// The file store's points: bytes and details kept exactly, under ids nobody guesses.
import { check, checkEqual } from '../check.js';
import { type StorePoint, storePoint } from './store-point.js';

const suite = 'files';
/** Every byte value, twice, and a few more: what a lossy text encoding would break. */
const everyByte = () => new Uint8Array(Array.from({ length: 515 }, (_, index) => index % 256));
const upload = () => ({ contentType: 'application/pdf', name: 'Invoice März 👋.pdf', bytes: everyByte() });
const bytesOf = (file: { bytes: Uint8Array } | undefined) =>
  file === undefined ? undefined : [...file.bytes];

export const fileStorePoints: StorePoint[] = [
  storePoint({
    id: 'files/bytes-and-details-intact',
    suite,
    title: 'gives back a file’s bytes, type, name and size exactly as uploaded',
    async run({ stores }) {
      const before = Date.now();
      const stored = await stores.files.put(upload());
      checkEqual(
        { contentType: stored.contentType, name: stored.name, size: stored.size },
        { contentType: 'application/pdf', name: 'Invoice März 👋.pdf', size: 515 },
        'the details put answered',
      );
      check(
        stored.createdAt >= before - 1_000 && stored.createdAt <= Date.now() + 1_000,
        `createdAt is not the time of the upload: ${stored.createdAt}`,
      );
      const read = await stores.files.get(stored.id);
      checkEqual(bytesOf(read), [...everyByte()], 'the bytes read back');
      checkEqual(
        read === undefined ? undefined : { ...read, bytes: undefined },
        { ...stored, bytes: undefined },
        'the details read back',
      );
    },
  }),
  storePoint({
    id: 'files/unguessable-ids',
    suite,
    title: 'gives every file its own id, long, random and safe in a URL',
    async run({ stores }) {
      const stored = await Promise.all(Array.from({ length: 20 }, () => stores.files.put(upload())));
      const ids = stored.map((file) => file.id);
      checkEqual(new Set(ids).size, 20, 'distinct ids of 20 files');
      for (const id of ids) check(/^[A-Za-z0-9_-]{16,}$/.test(id), `id ${id} is short or not safe in a URL`);
      // Random ids share no long prefix; counters and timestamps do.
      const shared = (left: string, right: string) => {
        let length = 0;
        while (length < left.length && left[length] === right[length]) length += 1;
        return length;
      };
      const longest = Math.max(...ids.slice(1).map((id, index) => shared(ids[index] ?? '', id)));
      check(
        longest < 8,
        `ids share a prefix of ${longest} characters: they look sequential (${ids.slice(0, 3).join(', ')})`,
      );
    },
  }),
  storePoint({
    id: 'files/unknown-id',
    suite,
    title: 'answers an unknown id with nothing',
    async run({ stores }) {
      await stores.files.put(upload());
      checkEqual(await stores.files.get('no-such-file-0000000000'), undefined, 'an unknown id');
    },
  }),
  storePoint({
    id: 'files/copies',
    suite,
    title: 'keeps its own copy: changing the uploaded or the returned bytes changes nothing stored',
    async run({ stores }) {
      const file = upload();
      const stored = await stores.files.put(file);
      file.bytes.fill(0);
      const read = await stores.files.get(stored.id);
      read?.bytes.fill(1);
      checkEqual(
        bytesOf(await stores.files.get(stored.id)),
        [...everyByte()],
        'the bytes after both were changed',
      );
    },
  }),
  storePoint({
    id: 'files/kept-across-reopen',
    suite,
    title: 'keeps the files when the backend is opened again',
    needs: ['reopen'],
    async run({ stores, reopen }) {
      const stored = await stores.files.put(upload());
      const again = await reopen();
      checkEqual(bytesOf(await again.files.get(stored.id)), [...everyByte()], 'the bytes after a reopen');
    },
  }),
  storePoint({
    id: 'files/shared-by-instances',
    suite,
    title: 'serves on every instance a file uploaded through one of them',
    needs: ['anotherInstance'],
    async run({ stores, anotherInstance }) {
      const other = await anotherInstance();
      const stored = await stores.files.put(upload());
      const read = await other.files.get(stored.id);
      checkEqual(bytesOf(read), [...everyByte()], 'the bytes on the second instance');
      checkEqual(read?.name, 'Invoice März 👋.pdf', 'the name on the second instance');
    },
  }),
];
