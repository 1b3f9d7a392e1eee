/**
 * The Amplitude usage source's benchmark (`node bench/usage-amplitude.ts`): the raw events behind
 * BENCH_AMP_ACCOUNTS accounts (default 10,000) x 365 days x 10 features, one event per feature per
 * account-day by one of three users, as an Export API archive (a zip of one gzipped JSON-lines file per
 * upload hour) written to disk, served over HTTP with Basic auth, and read by the source into a sqlite
 * state store through the engine's ingestUsage. The read runs in its own process so its peak RSS is its
 * own. Prints events/s, account-day rows/s, peak RSS and RSS at each quarter of the read.
 */
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, gzipSync } from 'node:zlib';
import { createExportClient } from '../connectors/usage-amplitude/client.ts';
import { readAmplitude } from '../connectors/usage-amplitude/read.ts';
import { ingestUsage } from '../src/engine/usage-ingest.ts';
import type { UsageSource } from '../src/engine/usage-source.ts';
import { silentLogger } from '../src/logger.ts';
import { openSqliteStore } from '../src/state/sqlite-store.ts';

const ACCOUNTS = Number(process.env['BENCH_AMP_ACCOUNTS'] ?? 10_000);
const DAYS = 365;
const FEATURES = Array.from({ length: 10 }, (_, i) => `feature_${String(i + 1).padStart(2, '0')}`);
const AS_OF = '2026-11-20';
const DAY_MS = 86_400_000;
const FROM_MS = Date.parse(`${AS_OF}T00:00:00Z`) - (DAYS - 1) * DAY_MS;
const API_KEY = 'bench-api-key';
const SECRET_KEY = 'bench-secret-key';

const seconds = (from: bigint): number => Number(process.hrtime.bigint() - from) / 1e9;
const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

/** Writes the archive: one stored entry per day's upload hour (10:00 UTC), local headers then the directory. */
async function writeArchive(file: string): Promise<{ events: number; bytes: number }> {
  const out = createWriteStream(file);
  const write = (buffer: Buffer) =>
    new Promise<void>((resolve, reject) => out.write(buffer, (error) => (error ? reject(error) : resolve())));
  const central: Buffer[] = [];
  let offset = 0;
  let events = 0;
  for (let d = 0; d < DAYS; d += 1) {
    const day = new Date(FROM_MS + d * DAY_MS).toISOString().slice(0, 10);
    const lines: string[] = [];
    for (let a = 0; a < ACCOUNTS; a += 1) {
      const account = `account-${a}.example`;
      FEATURES.forEach((feature, f) => {
        lines.push(
          JSON.stringify({
            event_type: feature,
            event_time: `${day} 09:${String(f).padStart(2, '0')}:00.000000`,
            server_upload_time: `${day} 10:05:00.000000`,
            user_id: `${account}-user-${f % 3}`,
            uuid: `${a}-${d}-${f}`,
            groups: { company: account },
            event_properties: { plan: 'growth' },
          }),
        );
      });
    }
    events += lines.length;
    const data = gzipSync(`${lines.join('\n')}\n`, { level: 1 });
    const name = Buffer.from(`187520/187520_${day}_10#0.json.gz`);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    await write(local);
    await write(name);
    await write(data);
    const record = Buffer.alloc(46);
    record.writeUInt32LE(0x02014b50, 0);
    record.writeUInt16LE(20, 4);
    record.writeUInt16LE(20, 6);
    record.writeUInt32LE(crc, 16);
    record.writeUInt32LE(data.length, 20);
    record.writeUInt32LE(data.length, 24);
    record.writeUInt16LE(name.length, 28);
    record.writeUInt32LE(offset, 42);
    central.push(record, name);
    offset += 30 + name.length + data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(DAYS, 8);
  end.writeUInt16LE(DAYS, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  await write(directory);
  await write(end);
  await new Promise<void>((resolve) => out.end(resolve));
  return { events, bytes: (await stat(file)).size };
}

/** The read, in this process: the archive served over HTTP, the source ingested into a fresh store. */
async function readOnce(archive: string, dir: string): Promise<void> {
  const authorization = `Basic ${Buffer.from(`${API_KEY}:${SECRET_KEY}`).toString('base64')}`;
  const server = createServer((req, res) => {
    if (req.headers.authorization !== authorization) return void res.writeHead(401).end();
    res.writeHead(200, { 'content-type': 'application/zip' });
    createReadStream(archive).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const client = createExportClient({
    host: `http://127.0.0.1:${port}`,
    apiKey: API_KEY,
    secretKey: SECRET_KEY,
    log: silentLogger(),
  });
  const source: UsageSource = {
    label: 'amplitude bench',
    read: (window) => readAmplitude({ client, groupType: 'company', window, now: () => Date.parse('2026-12-01') }),
  };
  const store = await openSqliteStore({ dataDir: dir });
  const expected = ACCOUNTS * DAYS;
  const rssAt: number[] = [];
  const start = process.hrtime.bigint();
  const result = await ingestUsage({
    source,
    store,
    dryRun: false,
    asOf: AS_OF,
    onRows: (rows) => {
      if (rows >= ((rssAt.length + 1) * expected) / 4) rssAt.push(process.memoryUsage().rss);
    },
  });
  const took = seconds(start);
  await store.close();
  server.close();
  const peak = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(
    `${JSON.stringify({ rows: result.rows, problems: result.problems, seconds: took, peakRss: peak, rssAt })}\n`,
  );
}

async function main(): Promise<void> {
  const [, , mode, archiveArg, dirArg] = process.argv;
  if (mode === '--read' && archiveArg && dirArg) return readOnce(archiveArg, dirArg);
  const dir = await mkdtemp(path.join(tmpdir(), 'expansion-sync-bench-amplitude-'));
  try {
    const archive = path.join(dir, 'export.zip');
    let start = process.hrtime.bigint();
    const { events, bytes } = await writeArchive(archive);
    console.log(
      `archive: ${events.toLocaleString('en-US')} events (${ACCOUNTS.toLocaleString('en-US')} accounts x ${DAYS} days x ${FEATURES.length} features), ${mib(bytes)} zipped, written in ${seconds(start).toFixed(0)} s`,
    );
    start = process.hrtime.bigint();
    const self = fileURLToPath(import.meta.url);
    const child = spawn(process.execPath, [self, '--read', archive, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    if (code !== 0) throw new Error(`the read process exited with ${code}`);
    const measured = JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as {
      rows: number;
      problems: number;
      seconds: number;
      peakRss: number;
      rssAt: number[];
    };
    console.log(
      `read: ${measured.rows.toLocaleString('en-US')} account-day rows (${measured.problems} problems) in ${measured.seconds.toFixed(1)} s: ${Math.round(events / measured.seconds).toLocaleString('en-US')} events/s, ${Math.round(measured.rows / measured.seconds).toLocaleString('en-US')} rows/s; peak RSS ${mib(measured.peakRss)}; RSS at each quarter ${measured.rssAt.map(mib).join(', ')}`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
