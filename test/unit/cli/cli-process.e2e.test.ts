import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../../src/cli/exit-codes.ts';
import { cli } from '../../support/cli.ts';

// The CLI as users run it, in a child process: flag parsing and what a command loads. Everything else about
// the commands runs in-process (see in-process.ts).
const CLI = fileURLToPath(new URL('../../../src/cli/main.ts', import.meta.url));
const RECORDER = fileURLToPath(new URL('./record-imports.ts', import.meta.url));

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'expansion-sync-cli-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Runs the CLI with the import recorder and returns its exit status, its stdout and every module it resolved. */
function runRecorded(args: readonly string[]): Promise<{ status: number | null; stdout: string; imports: string[] }> {
  const file = path.join(dir, `imports-${args.join('-')}.txt`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', RECORDER, CLI, ...args], {
      env: { ...process.env, RECORD_IMPORTS_TO: file },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.on('error', reject);
    child.on('close', (status) => {
      readFile(file, 'utf8').then((text) => resolve({ status, stdout, imports: text.split('\n') }), reject);
    });
  });
}

describe('expansion-sync as a process', () => {
  it('config schema loads no CRM SDK, no engine, no state store and no other command (only the config schema)', async () => {
    const result = await runRecorded(['config', 'schema']);
    expect(result.status).toBe(EXIT.ok);
    expect(JSON.parse(result.stdout)).toHaveProperty('properties');
    const loaded = result.imports.join('\n');
    expect(loaded).toContain('/src/cli/commands/config-schema.ts');
    expect(loaded).not.toMatch(/node_modules\/(jsforce|@hubspot)\//);
    expect(loaded).not.toMatch(/node_modules\/(yaml|handlebars|pino|prom-client)\//);
    expect(loaded).not.toMatch(/\/src\/(state|engine|mapping)\//);
    expect(loaded).not.toMatch(/\/src\/cli\/commands\/(?!config-schema\.ts)/);
  });

  it('--help lists every command without loading any of them', async () => {
    const result = await runRecorded(['--help']);
    expect(result.status).toBe(EXIT.ok);
    for (const command of [
      'sync',
      'score',
      'pipeline',
      'check',
      'setup',
      'emulator',
      'demo',
      'mappings',
      'worker',
      'runs',
      'config',
    ]) {
      expect(result.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
    expect(result.imports.join('\n')).not.toMatch(/\/src\/cli\/commands\//);
  });

  it('pipeline rejects --json with --csv', async () => {
    const result = await cli(['pipeline', '--config', path.join(dir, 'config.json'), '--json', '--csv']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/cannot be used with/);
  });
});
