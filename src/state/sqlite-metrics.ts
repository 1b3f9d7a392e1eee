import type { CrmSystem } from '../model/account.ts';
import type { SqliteConnection } from './sqlite-connection.ts';
import { text } from './sqlite-rows.ts';
import type { AccountMetric } from './store.ts';

const UPSERT_METRIC = `INSERT INTO account_metrics (system, account_id, metric, date, value) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (system, account_id, metric, date) DO UPDATE SET value = excluded.value`;

// One JSON array parameter for any number of accounts, as usage reads do (https://www.sqlite.org/json1.html#jeach).
const METRIC_HISTORY = `SELECT account_id, date, value FROM account_metrics
  WHERE system = ? AND metric = ? AND account_id IN (SELECT value FROM json_each(?))
  ORDER BY account_id, date`;

export function recordAccountMetrics(
  connection: SqliteConnection,
  system: CrmSystem,
  values: readonly AccountMetric[],
): void {
  const upsert = connection.statement(UPSERT_METRIC);
  connection.transaction(() => {
    for (const v of values) upsert.run(system, v.accountId, v.metric, v.date, v.value);
  });
}

export function accountMetricHistory(
  connection: SqliteConnection,
  query: { readonly system: CrmSystem; readonly metric: string; readonly accountIds: readonly string[] },
): Map<string, Array<{ date: string; value: number }>> {
  const out = new Map<string, Array<{ date: string; value: number }>>();
  if (query.accountIds.length === 0) return out;
  for (const row of connection
    .statement(METRIC_HISTORY)
    .iterate(query.system, query.metric, JSON.stringify(query.accountIds))) {
    const id = text(row, 'account_id');
    const list = out.get(id) ?? [];
    list.push({ date: text(row, 'date'), value: Number(row['value']) });
    out.set(id, list);
  }
  return out;
}
