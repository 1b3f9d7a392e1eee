import { vi } from 'vitest';
import { reportCliError } from '../../../src/cli/exit-codes.ts';

export interface CommandResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs one CLI command function in this process, the way `src/cli/main.ts` runs it: its output is captured
 * instead of printed, an error it throws is printed to the captured stderr and becomes the exit code. No
 * child process, so no jsforce or HubSpot SDK to load per call. Output is captured off a terminal.
 */
export async function runCommand(command: () => Promise<number> | number): Promise<CommandResult> {
  let stdout = '';
  let stderr = '';
  const capture =
    (append: (text: string) => void) =>
    (chunk: string | Uint8Array): boolean => {
      append(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture((text) => (stdout += text)));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture((text) => (stderr += text)));
  const tty = process.stdout.isTTY;
  process.stdout.isTTY = false;
  try {
    const status = await command();
    return { status, stdout, stderr };
  } catch (error) {
    const status = reportCliError(error, { write: (text: string) => (stderr += text) });
    return { status, stdout, stderr };
  } finally {
    process.stdout.isTTY = tty;
    out.mockRestore();
    err.mockRestore();
  }
}
