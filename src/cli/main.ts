#!/usr/bin/env node
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { EXIT, EXIT_HELP, reportCliError } from './exit-codes.ts';
import { crmEntries, crmIds } from '../../connectors/crm-registry.ts';

// `expansion-sync setup salesforce | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

/**
 * Each command's module loads only when that command runs, so `config schema` or `--help` never pays for
 * jsforce, the HubSpot SDK or the state store.
 */
const load = {
  sync: () => import('./commands/sync.ts'),
  score: () => import('./commands/score.ts'),
  pipeline: () => import('./commands/pipeline.ts'),
  check: () => import('./commands/check.ts'),
  setup: () => import('./commands/setup.ts'),
  emulator: () => import('./commands/emulator.ts'),
  demo: () => import('./commands/demo.ts'),
  mappingsCheck: () => import('./commands/mappings-check.ts'),
  worker: () => import('./commands/worker.ts'),
  runs: () => import('./commands/runs.ts'),
  runsRetry: () => import('./commands/runs-retry.ts'),
  state: () => import('./commands/state.ts'),
  outcomes: () => import('./commands/outcomes.ts'),
  configSchema: () => import('./commands/config-schema.ts'),
};

const READ_EXIT_HELP = `Exit codes:
  0  printed
  2  the command line or the config file is invalid (the message names the file, path and fix)
  5  the state store, the account or its stored assessment cannot be read (the message names the id and the store)`;

const program = new Command();
program
  .name('expansion-sync')
  .description(
    'Finds expansion revenue in product usage and CRM data, scores every account, and writes score fields, expansion deals and evidence-backed notes back into the CRM.',
  )
  .showHelpAfterError('(run with --help for usage)')
  // Commander would exit 1 on a usage error, which is "some records failed" here: throw instead (see the end).
  .exitOverride()
  .addHelpText(
    'after',
    `\n${EXIT_HELP}\n\nQuick start:\n  npm run demo [-- --crm <crm>]                  the whole product on a local CRM emulator\n  expansion-sync sync --config config.json --dry-run   preview every write, then drop --dry-run`,
  );

program
  .command('sync')
  .description('Read the CRM and the usage source, score every account, and write score fields, deals and notes back.')
  .requiredOption('-c, --config <file>', 'config file (see config.example.json)')
  .option('--dry-run', 'compute and print every planned write with field-level diffs; write nothing anywhere')
  .option('--shadow', 'compute and record everything in the state store; write nothing to the CRM')
  .option('--as-of <date>', 'score as of this date (YYYY-MM-DD); default today (UTC)', calendarDate)
  .option(
    '--full-read',
    'read every account, not only those changed since the last run (Salesforce reads incrementally)',
  )
  .option('--json', 'print the full run report as JSON instead of the summary')
  .option('--report-file <file>', 'also write the full run report as JSON to this file')
  .option('--limit <n>', 'records per kind shown in the dry-run plan', '20')
  .option('--no-top', 'do not print the top-opportunities table')
  .addOption(
    new Option('--log-level <level>', 'log level on stderr').choices(['debug', 'info', 'warn', 'error', 'silent']),
  )
  .addHelpText('after', `\n${EXIT_HELP}`)
  .action(async (options) => finish(await (await load.sync()).syncCommand(options)));

program
  .command('score')
  .description(
    "Show one account's latest stored assessment (from the state store; run sync first). Reads only: no CRM call.",
  )
  .requiredOption('-c, --config <file>', 'config file (its dataDir holds the state store; secrets are not needed)')
  .requiredOption('-a, --account <id>', 'the CRM account id (HubSpot company id or Salesforce Account id)')
  .option(
    '--explain',
    'show everything behind the score: reasons, signals with their evidence, inputs not evaluated, each opportunity with its sizing, priority and talking points, QBR agenda and outreach email',
  )
  .option('--json', 'print the stored assessment as JSON')
  .addHelpText(
    'after',
    `\nExamples:\n  expansion-sync score -c config.json --account 12345            score, health, timing and top opportunity\n  expansion-sync score -c config.json --account 12345 --explain  the evidence behind it\n  expansion-sync score -c config.json --account 12345 --json     the stored Assessment\n\n${READ_EXIT_HELP}`,
  )
  .action(async (options) => finish(await (await load.score()).scoreCommand(options)));

program
  .command('pipeline')
  .description(
    'Show the ranked expansion pipeline of the portfolio from the latest stored assessments, with totals by motion, priority tier and owner, the opportunities withheld (identified, not pitched) and why, and the accounts to stabilize before any pitch. Reads only: no CRM call.',
  )
  .requiredOption('-c, --config <file>', 'config file (its dataDir holds the state store; secrets are not needed)')
  .addOption(new Option('--json', 'print {currency, opportunities, totals, stabilize} as JSON').conflicts('csv'))
  .option('--csv', 'print the opportunity rows as CSV (RFC 4180, with a header)')
  .option('--limit <n>', 'show only the first n opportunities (totals always cover all)', positiveInt)
  .addHelpText(
    'after',
    `\nRanked by priority rank (expected value x timing urgency within each owner's capacity); queued = over the owner's capacity this period.\nWithheld opportunities follow the pitched ones with their status (renewal: held for the renewal conversation; ramping; watch); they get no CRM deal, and their value is totaled apart.\nRed accounts are listed under "Stabilize first" and none of their opportunities are listed.\nOwners are shown by name (their id when the CRM has no name); amounts are in scoring.pricing.currency.\n\nExamples:\n  expansion-sync pipeline -c config.json --limit 25\n  expansion-sync pipeline -c config.json --csv > pipeline.csv\n  expansion-sync pipeline -c config.json --json | jq '.totals.byOwner'\n\n${READ_EXIT_HELP}`,
  )
  .action(async (options) => finish(await (await load.pipeline()).pipelineCommand(options)));

program
  .command('check')
  .description(
    'Validate the config, the usage source and the mappings, and check the CRM token, reachability, mapped fields, deal stage and owners.',
  )
  .requiredOption('-c, --config <file>', 'config file')
  .option('--send-test-alert', 'post one test alert to each configured webhook and report each delivery')
  .action(async (options) => finish(await (await load.check()).checkCommand(options)));

program
  .command('setup')
  .description(
    'Print (or write) the deployable metadata of the custom fields the worker writes, and a permission set for them, for admins who deploy it themselves.',
  )
  .argument(
    '<system>',
    `which CRM: ${crmEntries()
      .filter((e) => e.setup !== undefined)
      .map((e) => e.id)
      .join(' or ')}`,
  )
  .option('--print', 'print the files to standard output (the default)')
  .option('--out <dir>', 'write the files under this directory instead, ready for sf project deploy')
  .option(
    '-c, --config <file>',
    "take the field names from this config's mapping files (default: the shipped mappings)",
  )
  .action(async (system, options) => finish(await (await load.setup()).setupCommand({ system, ...options })));

program
  .command('emulator')
  .description('Run a CRM emulator standalone (a local HTTP server that speaks the vendor API).')
  .argument(
    '<system>',
    `which CRM: ${crmEntries()
      .filter((e) => e.emulator !== undefined)
      .map((e) => e.id)
      .join(' or ')}`,
  )
  .option('-p, --port <port>', 'port to listen on (0 picks a free one)', '4010')
  .option('--seed <what>', 'data to start with: empty, or demo (a synthetic portfolio)', 'empty')
  .addOption(
    new Option('--tier <tier>', 'rate-limit tier (emulators that model tiers)')
      .choices(['starter', 'professional', 'enterprise'])
      .default('professional'),
  )
  .action(async (system, options) => finish(await (await load.emulator()).emulatorCommand({ system, ...options })));

program
  .command('demo')
  .description(
    'Start a CRM emulator with a synthetic portfolio, run a real sync through the CLI, run it again, and show the top opportunities.',
  )
  .addOption(
    new Option('--crm <crm>', 'which CRM emulator to run it on')
      .choices(
        crmEntries()
          .filter((e) => e.demo !== undefined)
          .map((e) => e.id),
      )
      .default(crmIds()[0]),
  )
  .option('--companies <n>', 'companies in the synthetic portfolio', '300')
  .option('--keep-running', 'keep the emulator running afterwards so you can look at the deals and notes')
  .option(
    '--simulate-quarter',
    'then play out a quarter: 12 weekly syncs while AEs close deals through the CRM API (odds from a known process whose weights differ from the configured ones), and show the outcomes report and the recalibration',
  )
  .action(async (options) => finish(await (await load.demo()).demoCommand(options)));

const mappings = program.command('mappings').description('Field mapping helpers for RevOps (see mappings/README.md).');
mappings
  .command('check')
  .description(
    'Check every mapping rule against the live CRM schema: the field exists, its type fits, it is createable or updateable where written, picklists hold the values written, lengths fit. Writes nothing.',
  )
  .requiredOption(
    '-c, --config <file>',
    'config file (its CRM credentials are needed: the check reads the live schema)',
  )
  .option('--json', 'print {ok, problems} as JSON')
  .addHelpText(
    'after',
    `\nEvery problem is listed at once as file:line: severity: message, with a fix.\n\nExit codes:\n  0  no errors (warnings and notes may be listed)\n  2  at least one error, or the config or a mapping file is invalid\n  3  the CRM rejected the credentials\n  5  any other failure`,
  )
  .action(async (options) => finish(await (await load.mappingsCheck()).mappingsCheckCommand(options)));

program
  .command('worker')
  .description(
    'Run the sync unattended: on its schedule (config "schedule": cron in a time zone, or an interval), on POST /run or run-now, never two runs of it at once (a lock in the state store), with /healthz and /metrics, and alerts to Slack or a webhook.',
  )
  .requiredOption('-c, --config <file>', 'config file')
  .option('--port <n>', 'port of the HTTP endpoints (overrides worker.port; 0 picks a free one)', (v) => Number(v))
  .option('--shadow', 'compute and record every run in the state store, write nothing to the CRM (see runs diff)')
  .option('--run-at-start', 'run once right away, then follow the schedule')
  .addOption(
    new Option('--log-level <level>', 'log level on stderr').choices(['debug', 'info', 'warn', 'error', 'silent']),
  )
  .addHelpText(
    'after',
    `\nSIGTERM or SIGINT stops the schedule; the run in flight finishes its batch, checkpoints and the worker exits within worker.shutdownGraceSeconds (exit 6 if it had to cut the run short).\n\nEndpoints: GET /healthz (liveness, age of the last successful run), GET /metrics (Prometheus), POST /run.\n\nExample config:\n  "schedule": { "cron": "0 6 * * 1-5", "timezone": "Europe/Berlin" }   or   "schedule": { "everyMinutes": 60 }`,
  )
  .action(async (options) => finish(await (await load.worker()).workerCommand(options)));

program
  .command('run-now')
  .description('Ask the running worker for a run of the sync now (POST /run on worker.host:worker.port).')
  .argument('[sync]', "the sync's name, checked against the config")
  .requiredOption('-c, --config <file>', 'config file (secrets are not needed)')
  .action(async (sync: string | undefined, options) =>
    finish(await (await load.worker()).runNowCommand({ ...options, ...(sync ? { sync } : {}) })),
  );

program
  .command('outcomes')
  .description(
    "What became of the expansion deals: totals by label (created, adopted, influenced, organic) and status, each signal's signal-to-opportunity rate, close rate, median days to close and lift with 90% credible intervals, by motion and by owner, the uplift against the never-pitched holdout, and how far the data is from the recalibration gate. Reads only the state store: no CRM call.",
  )
  .requiredOption('-c, --config <file>', 'config file (its dataDir holds the state store; secrets are not needed)')
  .addOption(new Option('--json', 'print the whole report as JSON').conflicts('csv'))
  .option('--csv', 'print one row per signal and group (all deals, each motion, each owner) as CSV (RFC 4180)')
  .option('--explain', 'also show every recalibration: data used, weights before and after, backtest, decision')
  .option('--weeks <n>', 'only deals created or closed, pitches and signals seen in the last n weeks', positiveInt)
  .addHelpText(
    'after',
    `\nRates are Beta-Binomial posterior means: each prior counts as 10 deals centred on the configured scoring (scoring.probability, motionProbability, score.signalWeights), so a signal with few outcomes reads close to the config. Owners are shown by name; amounts are in scoring.pricing.currency.\n\nExamples:\n  expansion-sync outcomes -c config.json\n  expansion-sync outcomes -c config.json --weeks 13 --csv > outcomes.csv\n  expansion-sync outcomes -c config.json --explain\n\n${READ_EXIT_HELP}`,
  )
  .action(async (options) => finish(await (await load.outcomes()).outcomesCommand(options)));

// ---- runs: the recorded runs in the state store
const RUNS_EXIT_HELP = `Exit codes:
  0  printed
  2  the command line or the config file is invalid
  5  the state store or the run cannot be read, or the id prefix matches no run or several (the message names them)`;
const runs = program
  .command('runs')
  .description(
    "The runs recorded in the state store: list them, show one, diff a shadow run, retry a run's failed writes.",
  );
runs
  .command('list')
  .description(
    "List the recorded runs of the config's sync, newest first: id, mode, status, start, duration, accounts, writes, API calls, rate-limited calls. Reads only: no CRM call.",
  )
  .requiredOption('-c, --config <file>', 'config file (its dataDir holds the state store; secrets are not needed)')
  .option('--limit <n>', 'show the newest n runs', positiveInt, 20)
  .option('--json', 'print the rows as JSON')
  .addHelpText('after', `\n${RUNS_EXIT_HELP}`)
  .action(async (options) => finish(await (await load.runs()).runsListCommand(options)));
runs
  .command('show')
  .description(
    "Show one run: status, counts, API calls by kind, duration, skips and conflicts, schema drift, and every failed record with the CRM's own message and where it stands in the retry queue. Reads only: no CRM call.",
  )
  .argument('<id>', 'the run id, or a unique prefix of it (see runs list)')
  .requiredOption('-c, --config <file>', 'config file (its dataDir holds the state store; secrets are not needed)')
  .option('--json', 'print the stored run, its report and its failed writes as JSON')
  .addHelpText('after', `\n${RUNS_EXIT_HELP}`)
  .action(async (id: string, options) => finish(await (await load.runs()).runsShowCommand(id, options)));
runs
  .command('diff')
  .description(
    'For a shadow run: every write it would have made, with field-level diffs, from the plan it stored. For a live run: that it was live, and its writes. Reads only: no CRM call.',
  )
  .argument('<id>', 'the run id, or a unique prefix of it (see runs list)')
  .requiredOption('-c, --config <file>', 'config file (its dataDir holds the state store; secrets are not needed)')
  .option('--limit <n>', 'records per kind shown', positiveInt, 20)
  .option('--json', 'print the stored plan as JSON')
  .addHelpText('after', `\n${RUNS_EXIT_HELP}`)
  .action(async (id: string, options) => finish(await (await load.runs()).runsDiffCommand(id, options)));
runs
  .command('retry')
  .description(
    "Retry a run's failed writes now: a new live run that reads and scores as usual but sends to the CRM only the records that failed in run <id> and are still in the failed-write queue (with the notes of those deals), even past writeBack.maxRetries. Needs the CRM credentials.",
  )
  .argument('<id>', 'the run id, or a unique prefix of it (see runs list)')
  .requiredOption('-c, --config <file>', 'config file (its CRM credentials are needed)')
  .option('--as-of <date>', "score as of this date (YYYY-MM-DD); default the failed run's date", calendarDate)
  .option('--json', "print each record's outcome as JSON")
  .addOption(
    new Option('--log-level <level>', 'log level on stderr').choices(['debug', 'info', 'warn', 'error', 'silent']),
  )
  .addHelpText(
    'after',
    `\nEvery other planned write is left for the next sync; the conflict rules still decide each field, so an AE's edit is never overwritten. The retry is recorded as a live run ("live (retry)" in runs list). Records a later run already wrote are reported, not resent.\n\n${EXIT_HELP}`,
  )
  .action(async (id: string, options) => finish(await (await load.runsRetry()).runsRetryCommand(id, options)));

// ---- state: the state store itself
const state = program
  .command('state')
  .description('The state store: rebuild it from the CRM after it was lost or restored.');
state
  .command('rebuild')
  .description(
    'Take back from the CRM what the worker wrote: the values of its fields (so they are not taken for edits by a person), its deals by their key and its notes by their reference (so none is written twice). Use it after the state store was deleted or restored from an older copy; a live run also does this by itself for the records it finds behind. Reads the CRM; writes only the state store.',
  )
  .requiredOption('-c, --config <file>', 'config file (its CRM credentials are needed)')
  .option(
    '--as-of <date>',
    'score as of this date (YYYY-MM-DD), as the last run did; default today (UTC)',
    calendarDate,
  )
  .option('--json', 'print what was rebuilt as JSON')
  .addOption(
    new Option('--log-level <level>', 'log level on stderr').choices(['debug', 'info', 'warn', 'error', 'silent']),
  )
  .addHelpText(
    'after',
    `\nHistory (usage days, past runs, assessments) is not in the CRM and is not rebuilt.\n\n${EXIT_HELP}`,
  )
  .action(async (options) => finish(await (await load.state()).stateRebuildCommand(options)));

const config = program.command('config').description('Config file helpers.');
config
  .command('schema')
  .description('Print the JSON Schema of the config file (point "$schema" at it for editor completion).')
  .action(async () => finish((await load.configSchema()).configSchemaCommand()));

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of 1 or more.');
  return n;
}

/** A date as YYYY-MM-DD that is a real calendar day, checked before the command starts (and so before any CRM call). */
function calendarDate(value: string): string {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : undefined;
  if (day === undefined || Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== value) {
    throw new InvalidArgumentError('expected a calendar date as YYYY-MM-DD, for example 2026-12-04.');
  }
  return value;
}

function finish(code: number): void {
  process.exitCode = code;
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // Commander has already printed its message (and the help hint); --help and --version end with 0.
  if (error instanceof CommanderError) process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  else process.exitCode = reportCliError(error, process.stderr);
}
