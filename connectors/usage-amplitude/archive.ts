import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import yauzl, { type Entry, type ZipFile } from 'yauzl';

/** One line of one file of an export archive, with where it was. */
export interface ArchiveLine {
  /** The file's name inside the archive, e.g. `187520/187520_2026-11-02_5#0.json.gz`. */
  readonly file: string;
  /** 1-based line number within that file (after decompression). */
  readonly line: number;
  readonly text: string;
  /** The upload hour the file's name gives (ms since the epoch), or undefined when the name does not say. */
  readonly hour: number | undefined;
}

/** `187520/187520_2026-11-02_5#0.json.gz`: the upload day, the hour (no leading zero) and the part. */
const FILE_NAME = /_(\d{4}-\d{2}-\d{2})_(\d{1,2})#(\d+)\.json(?:\.gz)?$/;

/** The upload hour and part a file's name gives. */
export function fileHour(name: string): { readonly hour: number; readonly part: number } | undefined {
  const m = FILE_NAME.exec(name);
  if (!m) return undefined;
  const hour = Date.parse(`${m[1]}T${(m[2] ?? '').padStart(2, '0')}:00:00Z`);
  return Number.isNaN(hour) ? undefined : { hour, part: Number(m[3]) };
}

/**
 * The lines of every file in an Export API archive, file by file. The archive is "a zipped archive of JSON
 * files ... several files per hour" (https://amplitude.com/docs/apis/analytics/export, "Response"); each
 * file is gzipped JSON lines, named `{project}/{project}_{YYYY-MM-DD}_{H}#{n}.json.gz`. The archive is read
 * from a file through its central directory (yauzl), file by file in upload-hour order, and each entry is
 * streamed through gunzip, so neither the archive nor a file of it is ever held in memory.
 */
export async function* archiveLines(path: string): AsyncGenerator<readonly ArchiveLine[]> {
  const zip = await openZip(path);
  try {
    // The central directory lists every file first (names and offsets only), so the files can be read in
    // upload-hour order whatever order the archive stores them in; names that give no hour come first.
    const entries: Entry[] = [];
    for (let entry = await nextEntry(zip); entry !== undefined; entry = await nextEntry(zip))
      if (!entry.fileName.endsWith('/')) entries.push(entry);
    const order = (entry: Entry): readonly [number, number] => {
      const at = fileHour(entry.fileName);
      return at === undefined ? [-Infinity, 0] : [at.hour, at.part];
    };
    entries.sort((x, y) => {
      const [a, b] = [order(x), order(y)];
      return a[0] === b[0] ? a[1] - b[1] : a[0] - b[0];
    });
    for (const entry of entries) yield* entryLines(zip, entry);
  } finally {
    zip.close();
  }
}

/** One file's lines, a decompressed chunk's worth at a time (one await per chunk, not per line). */
async function* entryLines(zip: ZipFile, entry: Entry): AsyncGenerator<readonly ArchiveLine[]> {
  const file = entry.fileName;
  const hour = fileHour(file)?.hour;
  const raw = await openEntry(zip, entry);
  const input = file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  // An error of the raw entry (a bad CRC) must end the gunzip side too, or the loop would wait forever.
  raw.on('error', (error) => input.destroy(error));
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let line = 0;
  const batch = (text: string, last: boolean): ArchiveLine[] => {
    const parts = (carry + text).split('\n');
    carry = last ? '' : (parts.pop() ?? '');
    const lines: ArchiveLine[] = [];
    for (const part of parts) {
      line += 1;
      const clean = part.endsWith('\r') ? part.slice(0, -1) : part;
      if (clean.trim() !== '') lines.push({ file, line, text: clean, hour });
    }
    return lines;
  };
  try {
    for await (const chunk of input) yield batch(decoder.write(chunk as Buffer), false);
    yield batch(decoder.end(), true);
  } finally {
    input.destroy();
  }
}

function openZip(path: string): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false }, (error, zip) => {
      if (error) reject(error);
      else resolve(zip);
    });
  });
}

function nextEntry(zip: ZipFile): Promise<Entry | undefined> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      zip.off('entry', onEntry);
      zip.off('end', onEnd);
      zip.off('error', onError);
    };
    const onEntry = (entry: Entry): void => {
      done();
      resolve(entry);
    };
    const onEnd = (): void => {
      done();
      resolve(undefined);
    };
    const onError = (error: Error): void => {
      done();
      reject(error);
    };
    zip.on('entry', onEntry);
    zip.on('end', onEnd);
    zip.on('error', onError);
    zip.readEntry();
  });
}

function openEntry(zip: ZipFile, entry: Entry): Promise<Readable> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error) reject(error);
      else resolve(stream);
    });
  });
}
