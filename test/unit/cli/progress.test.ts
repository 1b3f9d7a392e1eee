import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { progressFor } from '../../../src/cli/progress.ts';
import { createLogger } from '../../../src/logger.ts';

describe('progress of long runs', () => {
  it('without a terminal: one log line per phase change, then at most one every 2 s', async () => {
    const out = new PassThrough();
    const lines: string[] = [];
    out.setEncoding('utf8').on('data', (chunk: string) => lines.push(...chunk.trim().split('\n')));
    const progress = progressFor({ log: createLogger({ level: 'info', destination: out }), tty: false });
    for (let done = 1; done <= 500; done += 1) progress.onProgress({ phase: 'scoring', done, total: 500 });
    progress.onProgress({ phase: 'writing', done: 100, total: 400 });
    await new Promise((r) => setImmediate(r));
    const messages = lines.map((l) => (JSON.parse(l) as { msg: string }).msg);
    expect(messages).toEqual(['accounts scored: 1/500', 'records written: 100/400']);
  });
});
