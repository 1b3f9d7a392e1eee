import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { generateUsage, USAGE_EVENT_KEYS, type PortfolioOptions, type SyntheticCompany } from '../../demo/portfolio.ts';

/** The CSV header: the required columns, then one event_<key> column per events key the generator can emit. */
export const USAGE_CSV_HEADER = `date,account_key,active_users,seats_used,${USAGE_EVENT_KEYS.map((f) => `event_${f}`).join(',')}`;

/**
 * Writes the portfolio's usage as the documented CSV format, streaming (10k x 90 days stays flat). A key
 * a day does not carry is an empty cell, which the usage reader leaves out of the day's events; so is a
 * count the export did not collect that day, which the reader keeps absent rather than zero.
 */
export async function writeUsageCsv(options: {
  readonly path: string;
  readonly companies: readonly SyntheticCompany[];
  readonly portfolio: PortfolioOptions;
}): Promise<number> {
  const out = createWriteStream(options.path);
  const write = async (line: string): Promise<void> => {
    if (!out.write(line)) await once(out, 'drain');
  };
  await write(`${USAGE_CSV_HEADER}\n`);
  let rows = 0;
  for (const company of options.companies) {
    for (const day of generateUsage(company, options.portfolio)) {
      let line = `${day.date},${day.accountKey},${day.activeUsers ?? ''},${day.seatsUsed ?? ''}`;
      for (const key of USAGE_EVENT_KEYS) {
        const value = day.events[key];
        line += value === undefined ? ',' : `,${value}`;
      }
      await write(`${line}\n`);
      rows += 1;
    }
  }
  out.end();
  await once(out, 'finish');
  return rows;
}
