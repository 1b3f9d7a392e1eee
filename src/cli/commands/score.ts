import { SyncError } from '../../errors.ts';
import type { StoredAssessment } from '../../state/store.ts';
import { EXIT } from '../exit-codes.ts';
import { renderExplain, renderScoreLine } from '../render-explain.ts';
import { parseStored, withStore, type StoreContext } from '../stored-assessments.ts';

export interface ScoreCommandOptions {
  readonly config: string;
  readonly account: string;
  readonly explain?: boolean;
  readonly json?: boolean;
}

/** `score --account <id>`: one account's stored assessment, as a summary line, an explanation or JSON. Reads only. */
export async function scoreCommand(options: ScoreCommandOptions): Promise<number> {
  return withStore(options.config, async (context) => {
    const stored = await context.store.getAssessment(context.system, options.account);
    if (!stored) throw await unknownAccount(context, options.account);
    const parsed = parseStored(stored);
    if (!parsed.ok)
      throw new SyncError(`Cannot show account ${options.account}: ${parsed.message}.`, {
        code: 'assessment_unreadable',
        kind: 'data',
        details: { accountId: options.account },
      });
    const { scoring } = context.loaded.config;
    const input = { ...parsed.value, urgency: scoring.priority.urgency, currency: scoring.pricing.currency };
    const out = options.json
      ? JSON.stringify(parsed.value.assessment, null, 2)
      : options.explain
        ? renderExplain(input)
        : renderScoreLine(input);
    process.stdout.write(`${out}\n`);
    return EXIT.ok;
  });
}

/** Names the id and the store, and suggests accounts whose name or id looks like what was typed. */
async function unknownAccount(context: StoreContext, id: string): Promise<SyncError> {
  const all = await context.store.listAssessments(context.system);
  const hints = suggestions(all, id);
  const hint =
    hints.length > 0
      ? ` Did you mean ${hints.map((a) => `--account ${a.accountId} (${a.accountName})`).join(' or ')}?`
      : '';
  const empty = all.length === 0 ? ' It holds no assessments yet: run sync (or sync --shadow) first.' : '';
  return new SyncError(
    `No stored ${context.system} assessment for account "${id}" in ${context.storeFile}.${empty}${hint}`,
    {
      code: 'account_not_found',
      kind: 'data',
      details: { accountId: id, file: context.storeFile },
    },
  );
}

function suggestions(all: readonly StoredAssessment[], typed: string): StoredAssessment[] {
  const needle = typed.trim().toLowerCase();
  if (needle === '') return [];
  return all.filter((a) => a.accountName.toLowerCase() === needle || a.accountId.toLowerCase() === needle).slice(0, 3);
}
