import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { listen } from '../../emulator-kit/listen.ts';
import { RequestLog, type RequestCounters, type RequestRecordBase } from '../../emulator-kit/request-log.ts';
import { zipStored, type ZipFileEntry } from './zip.ts';

/**
 * A local Amplitude Export API: GET /api/2/export?start=YYYYMMDDTHH&end=YYYYMMDDTHH, as documented at
 * https://amplitude.com/docs/apis/analytics/export. What it copies, each from that page:
 * - Basic auth with the project's API key as user name and secret key as password ("Authentication");
 *   anything else is a 401.
 * - `start` and `end` are inclusive hours of upload time (`server_upload_time`), in UTC ("Query
 *   parameters", "Considerations").
 * - "Data is available to export within 2 hours of when the servers received it ... data sent between 8 and
 *   9 PM ... is available through the Export API at 11 PM": an hour is exported two hours after it ends.
 * - "The maximum period you can query at once is 365 days" and "If the size exceeds 4GB, the request
 *   returns a 400 response": both answer 400 (the size limit is `maxExportBytes`, standing in for 4 GB).
 * - "The API returns a 404 response if there is no data for the time range you requested."
 * - "The response is a zipped archive of JSON files. Depending on data volume, there can be several files
 *   per hour", one event JSON object per line. Each file is gzipped and named
 *   `{project}/{project}_{YYYY-MM-DD}_{H}#{n}.json.gz` (the hour without a leading zero), as real archives are.
 * The error bodies are not documented; the emulator answers short plain-text ones.
 */

/** The fields of an exported event the product reads, plus anything else a test wants on it. */
export interface AmplitudeEvent {
  readonly event_type: string;
  /** "2026-11-02 05:10:00.000000", UTC, as exports write it. */
  readonly event_time: string;
  /** When Amplitude received it (same format): the time `start` and `end` select on. */
  readonly server_upload_time: string;
  readonly user_id: string | null;
  readonly groups?: Readonly<Record<string, string | readonly string[]>>;
  readonly [field: string]: unknown;
}

export interface AmplitudeRequestRecord extends RequestRecordBase {
  /** The `start` and `end` query parameters as sent. */
  readonly start: string | undefined;
  readonly end: string | undefined;
  /** Bytes of the archive sent (0 for errors). */
  readonly bytes: number;
}

export interface AmplitudeEmulatorOptions {
  readonly port?: number;
  readonly apiKey?: string;
  readonly secretKey?: string;
  readonly projectId?: number;
  readonly events?: readonly AmplitudeEvent[];
  /** The emulator's clock for the export lag (ms since the epoch); the real clock by default. */
  readonly now?: () => number;
  /** Archive size over which an export is refused with 400 (Amplitude's is 4 GB). */
  readonly maxExportBytes?: number;
  /** Events per file before an hour gets a second file (`#1`). */
  readonly eventsPerFile?: number;
}

export interface AmplitudeEmulator {
  readonly url: string;
  readonly apiKey: string;
  readonly secretKey: string;
  readonly requests: RequestCounters<AmplitudeRequestRecord>;
  addEvents(events: readonly AmplitudeEvent[]): void;
  stop(): Promise<void>;
}

const HOUR_MS = 3_600_000;
const MAX_HOURS = 365 * 24;
const DEFAULT_MAX_BYTES = 4 * 1024 ** 3;

export async function startAmplitudeEmulator(options: AmplitudeEmulatorOptions = {}): Promise<AmplitudeEmulator> {
  const apiKey = options.apiKey ?? 'amp-api-key-0001';
  const secretKey = options.secretKey ?? 'amp-secret-key-0001';
  const projectId = options.projectId ?? 187520;
  const now = options.now ?? Date.now;
  const maxBytes = options.maxExportBytes ?? DEFAULT_MAX_BYTES;
  const perFile = options.eventsPerFile ?? 1000;
  /** Events by the start of their upload hour. */
  const byHour = new Map<number, AmplitudeEvent[]>();
  const addEvents = (events: readonly AmplitudeEvent[]): void => {
    for (const event of events) {
      const uploaded = Date.parse(`${event.server_upload_time.replace(' ', 'T')}Z`);
      if (Number.isNaN(uploaded)) throw new Error(`server_upload_time ${event.server_upload_time} is not a timestamp`);
      const hour = Math.floor(uploaded / HOUR_MS) * HOUR_MS;
      const list = byHour.get(hour);
      if (list) list.push(event);
      else byHour.set(hour, [event]);
    }
  };
  addEvents(options.events ?? []);
  const requests = new RequestLog<AmplitudeRequestRecord>();
  const authorization = `Basic ${Buffer.from(`${apiKey}:${secretKey}`).toString('base64')}`;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const start = url.searchParams.get('start') ?? undefined;
    const end = url.searchParams.get('end') ?? undefined;
    const isExport = req.method === 'GET' && url.pathname.replace(/\/+$/, '') === '/api/2/export';
    const reply = (status: number, body: Buffer | string, contentType: string): void => {
      const bytes = typeof body === 'string' ? Buffer.from(body) : body;
      requests.add({
        method: req.method ?? 'GET',
        path: url.pathname,
        route: isExport ? 'GET /api/2/export' : 'unknown',
        status,
        write: false,
        at: now(),
        start,
        end,
        bytes: status === 200 ? bytes.length : 0,
      });
      res.writeHead(status, { 'content-type': contentType, 'content-length': String(bytes.length) });
      res.end(bytes);
    };
    const text = (status: number, message: string): void => reply(status, message, 'text/plain; charset=utf-8');
    if (!isExport) return text(404, 'Not found');
    if (req.headers.authorization !== authorization) return text(401, 'Invalid API key or secret key');
    const from = start === undefined ? undefined : parseHour(start);
    const to = end === undefined ? undefined : parseHour(end);
    if (from === undefined || to === undefined)
      return text(400, 'start and end are required, formatted YYYYMMDDTHH (e.g. 20220201T05)');
    if (to < from) return text(400, 'end must not be before start');
    if ((to - from) / HOUR_MS + 1 > MAX_HOURS) return text(400, 'The maximum period you can query at once is 365 days');
    // An hour is exported two hours after it ends.
    const lastExported = Math.floor((now() - 2 * HOUR_MS) / HOUR_MS) * HOUR_MS - HOUR_MS;
    const files: ZipFileEntry[] = [];
    let size = 0;
    const hours = [...byHour.keys()].filter((h) => h >= from && h <= Math.min(to, lastExported)).sort((a, b) => a - b);
    for (const hour of hours) {
      const events = byHour.get(hour) ?? [];
      const iso = new Date(hour).toISOString();
      const stem = `${projectId}/${projectId}_${iso.slice(0, 10)}_${Number(iso.slice(11, 13))}`;
      for (let n = 0; n * perFile < events.length; n += 1) {
        const lines = events
          .slice(n * perFile, (n + 1) * perFile)
          .map((e) => JSON.stringify(e))
          .join('\n');
        const data = gzipSync(`${lines}\n`);
        size += data.length;
        if (size > maxBytes)
          return text(400, 'The export is over the size limit; choose a smaller time range to export the data');
        files.push({ name: `${stem}#${n}.json.gz`, data });
      }
    }
    if (files.length === 0) return text(404, 'No data for the requested time range');
    reply(200, zipStored(files), 'application/zip');
  };

  const server = await listen(handle, { port: options.port });
  return { url: server.url, apiKey, secretKey, requests, addEvents, stop: () => server.stop() };
}

function parseHour(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})$/.exec(text);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]));
  return Number(m[4]) < 24 && new Date(ms).getUTCDate() === Number(m[3]) ? ms : undefined;
}
