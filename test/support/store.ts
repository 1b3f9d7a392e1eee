import { openSqliteStore } from '../../src/state/sqlite-store.ts';
import type { StateStore } from '../../src/state/store.ts';

/** Opens the state store in `dir` for one piece of work and closes it again, as each CLI run does. */
export function storeIn(dir: string): <T>(fn: (store: StateStore) => Promise<T>) => Promise<T> {
  return async (fn) => {
    const store = await openSqliteStore({ dataDir: dir });
    try {
      return await fn(store);
    } finally {
      await store.close();
    }
  };
}
