/** Test fixture: waits for a shared start instant, opens the store in the given directory, prints the outcome. */
import { openSqliteStore } from '../../../src/state/sqlite-store.ts';

const [dir = '', at = '0'] = process.argv.slice(2);
while (Date.now() < Number(at)) {
  // Spin to the shared instant so both processes open the fresh file together.
}
try {
  const store = await openSqliteStore({ dataDir: dir });
  await store.close();
  process.stdout.write('ok');
} catch (error) {
  process.stdout.write(`failed: ${error instanceof Error ? error.message : String(error)}`);
}
