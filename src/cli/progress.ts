import { SingleBar } from 'cli-progress';
import type { ProgressEvent } from '../engine/run.ts';
import type { Logger } from '../logger.ts';

const LABELS: Readonly<Record<ProgressEvent['phase'], string>> = {
  usage: 'usage rows',
  accounts: 'accounts read',
  scoring: 'accounts scored',
  writing: 'records written',
};

export interface Progress {
  readonly onProgress: (event: ProgressEvent) => void;
  /** Clears the bar before the summary is printed. */
  stop(): void;
}

/**
 * Progress of a long run: a bar per phase on a terminal (cli-progress, on stderr so stdout stays the
 * report), and at most one log line every 2 s per phase otherwise (logs, CI, the worker).
 */
export function progressFor(options: { readonly log: Logger; readonly tty: boolean }): Progress {
  return options.tty ? barProgress() : logProgress(options.log);
}

function barProgress(): Progress {
  let bar: SingleBar | undefined;
  let phase = '';
  const stop = (): void => {
    bar?.stop();
    bar = undefined;
  };
  return {
    onProgress: (event) => {
      if (event.phase !== phase) {
        stop();
        phase = event.phase;
        bar = new SingleBar(
          {
            format: `  ${LABELS[event.phase].padEnd(16)} [{bar}] {value}/{total}`,
            stream: process.stderr,
            hideCursor: true,
            clearOnComplete: false,
            noTTYOutput: false,
          },
          undefined,
        );
        bar.start(event.total ?? event.done, event.done);
      }
      // Phases without a known total (usage rows, accounts) grow the bar as they go.
      if (event.total === undefined) bar?.setTotal(Math.max(event.done, 1));
      bar?.update(event.done);
    },
    stop,
  };
}

function logProgress(log: Logger): Progress {
  let last = 0;
  let lastPhase = '';
  return {
    onProgress: (event) => {
      const now = Date.now();
      if (event.phase === lastPhase && now - last < 2_000) return;
      last = now;
      lastPhase = event.phase;
      log.info(
        { phase: event.phase, done: event.done, ...(event.total === undefined ? {} : { total: event.total }) },
        `${LABELS[event.phase]}: ${event.done}${event.total === undefined ? '' : `/${event.total}`}`,
      );
    },
    stop: () => undefined,
  };
}
