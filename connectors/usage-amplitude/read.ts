import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { errorMessage, SyncError } from '../../src/errors.ts';
import { usageReadWindow, type UsageItem, type UsageReadWindow } from '../../src/engine/usage-source.ts';
import { AmplitudeAggregate } from './aggregate.ts';
import { archiveLines, type ArchiveLine } from './archive.ts';
import type { ExportClient } from './client.ts';
import { exportRange, formatHour, halves, splitRange, type HourRange } from './hours.ts';

export interface ReadAmplitudeOptions {
  readonly client: ExportClient;
  readonly groupType: string;
  /** The days to read; a read without one takes the usual first-run history up to today (UTC). */
  readonly window?: UsageReadWindow | undefined;
  /** Clock for the export lag; tests pin it. */
  readonly now?: () => number;
  /** Where archives are written while they are read; the system's temp folder by default. */
  readonly tempDir?: string;
}

/**
 * One aggregate pull of the window from the Export API: the hours from the window's first day to its last
 * (never an hour not yet exported), in calls of at most 365 days, each archive streamed to a temp file and
 * read entry by entry in upload-hour order, one row per account and day as soon as the day is closed (see
 * AmplitudeAggregate). An empty range (404) gives no rows; a range over
 * the size limit (400) is read again in halves, down to single hours.
 */
export async function* readAmplitude(options: ReadAmplitudeOptions): AsyncGenerator<UsageItem> {
  const now = options.now ?? Date.now;
  const window = options.window ?? usageReadWindow(undefined, new Date(now()).toISOString().slice(0, 10));
  const range = exportRange(window.from, window.to, now());
  if (range === undefined) return;
  const aggregate = new AmplitudeAggregate({ groupType: options.groupType, from: window.from, to: window.to });
  const dir = await mkdtemp(path.join(options.tempDir ?? tmpdir(), 'expansion-sync-amplitude-'));
  try {
    const pending: HourRange[] = splitRange(range);
    for (let part = pending.shift(); part !== undefined; part = pending.shift()) {
      const file = path.join(dir, `${formatHour(part.start)}-${formatHour(part.end)}.zip`);
      const outcome = await options.client.download(part, file);
      if (outcome.kind === 'empty') continue;
      if (outcome.kind === 'too_large') {
        const split = halves(part);
        if (!split) throw oneHourTooLarge(part, outcome.message);
        pending.unshift(...split);
        continue;
      }
      try {
        let hour = -Infinity;
        for await (const lines of readArchive(file)) {
          for (const line of lines) {
            // Files come in upload-hour order: a new hour closes the days that ended long enough before it.
            if (line.hour !== undefined && line.hour > hour) {
              hour = line.hour;
              yield* aggregate.close(hour);
            }
            const problem = aggregate.add(line);
            if (problem) yield problem;
          }
        }
      } finally {
        await rm(file, { force: true });
      }
    }
    yield* aggregate.rows();
    const { late } = aggregate.stats();
    if (late > 0)
      yield {
        location: `export ${formatHour(range.start)}-${formatHour(range.end)}`,
        ok: false,
        message: `${late} event${late === 1 ? ' was' : 's were'} uploaded more than 3 days after their day and not counted (that day's row had been read); a later run does not read them back either`,
      };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The archive's lines; an archive that cannot be read stops the pull (partial usage would read as a drop). */
async function* readArchive(file: string): AsyncGenerator<readonly ArchiveLine[]> {
  try {
    yield* archiveLines(file);
  } catch (error) {
    throw new SyncError(
      `the Amplitude export archive could not be read (${errorMessage(error)}); the download may have been cut short: run again, and if it persists export a shorter window`,
      { code: 'amplitude_archive_invalid', kind: 'data', cause: error },
    );
  }
}

function oneHourTooLarge(range: HourRange, message: string): SyncError {
  const said = message === '' ? '' : ` (Amplitude said: ${message})`;
  return new SyncError(
    `the Amplitude Export API refused the hour ${formatHour(range.start)} as too large (HTTP 400, over 4 GB)${said}; one hour cannot be split further: use Amplitude's Amazon S3 export for this project`,
    { code: 'amplitude_export_too_large', kind: 'config', details: { start: formatHour(range.start) } },
  );
}
