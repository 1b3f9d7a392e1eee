import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { generateUsage, type PortfolioOptions, type SyntheticCompany } from '../../demo/portfolio.ts';

const FEATURES = ['reports', 'dashboards', 'api_calls', 'exports', 'integrations', 'automations'] as const;

/** Writes the portfolio's usage as the documented CSV format, streaming (10k x 90 days stays flat). */
export async function writeUsageCsv(options: { readonly path: string; readonly companies: readonly SyntheticCompany[]; readonly portfolio: PortfolioOptions }): Promise<number> {
  const out = createWriteStream(options.path);
  const write = async (line: string): Promise<void> => {
    if (!out.write(line)) await once(out, 'drain');
  };
  await write(`date,account_key,active_users,seats_used,${FEATURES.map((f) => `event_${f}`).join(',')}\n`);
  let rows = 0;
  for (const company of options.companies) {
    for (const day of generateUsage(company, options.portfolio)) {
      const events = FEATURES.map((f) => (day.events[f] === undefined ? '' : String(day.events[f])));
      await write(`${day.date},${day.accountKey},${day.activeUsers},${day.seatsUsed},${events.join(',')}\n`);
      rows += 1;
    }
  }
  out.end();
  await once(out, 'finish');
  return rows;
}
