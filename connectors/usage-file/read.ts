import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { readCsv } from './csv.ts';
import { invalidFile, missingFile, type UsageFileItem } from './errors.ts';
import { readNdjson } from './ndjson.ts';

export type { UsageFileItem } from './errors.ts';

export interface ReadUsageFileOptions {
  readonly path: string;
  /** Inferred from the extension (.csv, .ndjson, .jsonl) when unset. */
  readonly format?: 'csv' | 'ndjson';
}

const EXTENSIONS: Readonly<Record<string, 'csv' | 'ndjson'>> = {
  '.csv': 'csv',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
};
/** Enough of the file to recognise binary content and common wrong exports, without reading it all. */
const HEAD_BYTES = 64 * 1024;

/**
 * Streams a daily per-account usage file (CSV or NDJSON), one item per data row, never holding the file
 * in memory. A problem with one row is yielded as a located item and the reading goes on; a problem
 * with the whole file (missing, binary, no usable header, unknown format) throws a SyncError of kind
 * config, `usage_file_missing` or `usage_file_invalid`, before any row is yielded.
 */
export async function* readUsageFile(options: ReadUsageFileOptions): AsyncGenerator<UsageFileItem> {
  const format = await checkUsageFile(options);
  yield* format === 'csv' ? readCsv(options.path) : readNdjson(options.path);
}

/**
 * The whole-file checks alone (exists, format known, text not binary), for a preflight before a run
 * spends CRM calls: throws the same SyncError readUsageFile would. The header is checked when reading.
 */
export async function checkUsageFile(options: ReadUsageFileOptions): Promise<'csv' | 'ndjson'> {
  const format = options.format ?? formatOf(options.path);
  await checkHead(options.path);
  return format;
}

function formatOf(path: string): 'csv' | 'ndjson' {
  const extension = extname(path).toLowerCase();
  const format = EXTENSIONS[extension];
  if (format) return format;
  const hint =
    extension === '.gz' || extension === '.zip'
      ? 'compressed files are not read; decompress it first'
      : 'rename it to .csv, .ndjson or .jsonl';
  throw invalidFile(
    path,
    `its format cannot be told from the extension ${extension === '' ? '(none)' : `"${extension}"`}; set usage.format to "csv" or "ndjson" in the config, or ${hint}`,
  );
}

async function checkHead(path: string): Promise<void> {
  let head: Buffer;
  try {
    const handle = await open(path, 'r');
    try {
      const { buffer, bytesRead } = await handle.read({ buffer: Buffer.alloc(HEAD_BYTES), position: 0 });
      head = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw missingFile(path);
    if (code === 'EISDIR')
      throw invalidFile(path, 'it is a directory; point usage.path at the usage file itself', error);
    throw invalidFile(path, `it cannot be opened (${code ?? 'unknown error'}); check its permissions`, error);
  }
  const problem = headProblem(head);
  if (problem) throw invalidFile(path, problem);
}

/** Recognises the usual wrong files by their first bytes, so the message can say what to do. */
export function headProblem(head: Buffer): string | undefined {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b)
    return 'it is gzip-compressed; decompress it first (gunzip)';
  if (head.length >= 4 && head.readUInt32BE(0) === 0x504b0304)
    return 'it is a ZIP archive (an .xlsx workbook is one); export the sheet as CSV (UTF-8)';
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))
    return 'it is UTF-16 text; save it as UTF-8';
  if (head.includes(0))
    return 'it contains binary data (NUL bytes), not CSV or NDJSON text; export the usage as a UTF-8 text file';
  try {
    // stream: true tolerates a character cut in half at the end of the sample.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
  } catch {
    return 'it is not UTF-8 text; save or export it as UTF-8';
  }
  return undefined;
}
