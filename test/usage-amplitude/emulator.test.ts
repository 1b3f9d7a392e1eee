import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import {
  startAmplitudeEmulator,
  type AmplitudeEmulator,
  type AmplitudeEmulatorOptions,
} from '../../connectors/usage-amplitude/emulator/index.ts';
import { event } from './events.ts';

let emulator: AmplitudeEmulator | undefined;
let dir: string | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

const NOW = Date.parse('2026-11-20T12:30:00Z');

async function start(options: AmplitudeEmulatorOptions): Promise<AmplitudeEmulator> {
  emulator = await startAmplitudeEmulator({ now: () => NOW, ...options });
  return emulator;
}

async function get(
  e: AmplitudeEmulator,
  query: string,
  credentials = `${e.apiKey}:${e.secretKey}`,
): Promise<{ status: number; body: Buffer }> {
  const response = await fetch(`${e.url}/api/2/export?${query}`, {
    headers: { authorization: `Basic ${Buffer.from(credentials).toString('base64')}` },
  });
  return { status: response.status, body: Buffer.from(await response.arrayBuffer()) };
}

/** The archive's files by name, each gunzipped into its lines. */
async function unzip(body: Buffer): Promise<Map<string, string[]>> {
  dir ??= await mkdtemp(path.join(tmpdir(), 'amplitude-emulator-test-'));
  const file = path.join(dir, `${Math.random()}.zip`);
  await writeFile(file, body);
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: false }, (error, z) => (error ? reject(error) : resolve(z))),
  );
  const files = new Map<string, string[]>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      zip.openReadStream(entry, (error, stream) => {
        if (error) return reject(error);
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          files.set(entry.fileName, gunzipSync(Buffer.concat(chunks)).toString('utf8').trim().split('\n'));
        });
      });
    });
    zip.on('close', () => resolve());
    zip.on('error', reject);
  });
  return files;
}

describe('Amplitude Export API emulator', () => {
  it('answers a zip of gzipped JSON-lines files per upload hour, named {project}/{project}_{date}_{H}#{n}.json.gz', async () => {
    const e = await start({
      projectId: 4242,
      eventsPerFile: 2,
      events: [
        event({ account: 'acme.example', user: 'u1', type: 'a', at: '2026-11-19 05:00' }),
        event({ account: 'acme.example', user: 'u2', type: 'b', at: '2026-11-19 05:10' }),
        event({ account: 'acme.example', user: 'u3', type: 'c', at: '2026-11-19 05:20' }),
        event({ account: 'birch.example', user: 'u4', type: 'a', at: '2026-11-19 14:00' }),
      ],
    });
    const { status, body } = await get(e, 'start=20261119T00&end=20261119T23');
    expect(status).toBe(200);
    expect(body.subarray(0, 2).toString('latin1')).toBe('PK');
    const files = await unzip(body);
    expect([...files.keys()].sort()).toEqual([
      '4242/4242_2026-11-19_14#0.json.gz',
      '4242/4242_2026-11-19_5#0.json.gz',
      '4242/4242_2026-11-19_5#1.json.gz',
    ]);
    expect(files.get('4242/4242_2026-11-19_5#0.json.gz')?.map((l) => JSON.parse(l).user_id)).toEqual(['u1', 'u2']);
    expect(JSON.parse(files.get('4242/4242_2026-11-19_14#0.json.gz')?.[0] ?? '{}')).toMatchObject({
      event_type: 'a',
      event_time: '2026-11-19 14:00:00.000000',
      groups: { company: 'birch.example' },
    });
    // start and end select on upload hours, both inclusive.
    const one = await unzip((await get(e, 'start=20261119T14&end=20261119T14')).body);
    expect([...one.keys()]).toEqual(['4242/4242_2026-11-19_14#0.json.gz']);
  });

  it('401 for a wrong secret key or no credentials', async () => {
    const e = await start({ events: [event({ account: 'a', user: 'u', type: 't', at: '2026-11-19 05:00' })] });
    expect((await get(e, 'start=20261119T00&end=20261119T23', `${e.apiKey}:wrong`)).status).toBe(401);
    const bare = await fetch(`${e.url}/api/2/export?start=20261119T00&end=20261119T23`);
    expect(bare.status).toBe(401);
    expect(e.requests.count({ status: 401 })).toBe(2);
  });

  it('404 for a range without data', async () => {
    const e = await start({ events: [event({ account: 'a', user: 'u', type: 't', at: '2026-11-19 05:00' })] });
    const { status } = await get(e, 'start=20261110T00&end=20261110T23');
    expect(status).toBe(404);
  });

  it('400 for more than 365 days, for an archive over the size limit, and for a malformed hour', async () => {
    const e = await start({
      maxExportBytes: 300,
      events: Array.from({ length: 40 }, (_, i) =>
        event({ account: 'acme.example', user: `user-${i}`, type: `type-${i}`, at: '2026-11-19 05:00' }),
      ),
    });
    expect((await get(e, 'start=20251119T00&end=20261119T23')).status).toBe(400);
    expect((await get(e, 'start=2026-11-19&end=20261119T23')).status).toBe(400);
    const big = await get(e, 'start=20261119T00&end=20261119T23');
    expect(big.status).toBe(400);
    expect(big.body.toString()).toMatch(/smaller time range/);
  });

  it('accepts exactly 365 days', async () => {
    const e = await start({ events: [event({ account: 'a', user: 'u', type: 't', at: '2026-11-19 05:00' })] });
    expect((await get(e, 'start=20251120T00&end=20261119T23')).status).toBe(200);
  });

  it('exports an hour only two hours after it ends', async () => {
    // At 12:30 the hours up to 09:00-10:00 are exported (10:00 + 2 h = 12:00); 10:00-11:00 is not yet.
    const e = await start({
      events: [
        event({ account: 'acme.example', user: 'early', type: 't', at: '2026-11-20 09:50' }),
        event({ account: 'acme.example', user: 'late', type: 't', at: '2026-11-20 10:20' }),
      ],
    });
    const files = await unzip((await get(e, 'start=20261120T00&end=20261120T23')).body);
    expect([...files.values()].flat().map((l) => JSON.parse(l).user_id)).toEqual(['early']);
    expect((await get(e, 'start=20261120T10&end=20261120T23')).status).toBe(404);
  });
});
