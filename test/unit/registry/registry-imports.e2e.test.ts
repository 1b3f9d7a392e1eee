import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A child process, so the module list is this import's alone (vitest's own cache would hide it).
const REGISTRY = pathToFileURL(fileURLToPath(new URL('../../../connectors/crm-registry.ts', import.meta.url))).href;
const RECORDER = fileURLToPath(new URL('../cli/record-imports.ts', import.meta.url));

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'expansion-sync-registry-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

function importsOf(code: string): Promise<{ status: number | null; stdout: string; imports: string }> {
  return new Promise((resolve, reject) => {
    const script = path.join(dir, `script-${Math.random().toString(36).slice(2)}.mjs`);
    const record = `${script}.imports`;
    void writeFile(script, code).then(() => {
      const child = spawn(process.execPath, ['--import', RECORDER, script], {
        env: { ...process.env, RECORD_IMPORTS_TO: record },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.on('error', reject);
      child.on('close', (status) => {
        readFile(record, 'utf8').then((imports) => resolve({ status, stdout, imports }), reject);
      });
    }, reject);
  });
}

describe('loading the CRM registry', () => {
  it('loads no vendor SDK and no connector beyond the entries and their config schemas', async () => {
    const result = await importsOf(
      `const r = await import(${JSON.stringify(REGISTRY)}); console.log(r.crmIds().join(','));`,
    );
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe('hubspot,salesforce');
    expect(result.imports).toContain('/connectors/hubspot/entry.ts');
    expect(result.imports).not.toMatch(/node_modules\/(jsforce|@hubspot)\//);
    expect(result.imports).not.toMatch(/\/connectors\/[a-z-]+\/(index|client|read|write|emulator\/)/);
  });
});
