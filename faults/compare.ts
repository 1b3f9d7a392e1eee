import type { DealView, NoteView, Snapshot } from './crm.ts';

/** Defect categories, each a list of readable findings (the count is the length). */
export interface Defects {
  /** Deals with the same key or account+motion, notes with the same key, links made twice. */
  duplicates: string[];
  /** Reference deals, notes or fields missing. */
  lost: string[];
  /** Values that differ from the reference, deals or notes it does not have. */
  wrong: string[];
  /** Owners given more new deals than the capacity allows. */
  overCapacity: string[];
  /** Values a person set or cleared that a run changed. */
  humanOverwritten: string[];
  /** Notes of ours linked to no deal, where no AE sees them. */
  orphans: string[];
  /** Runs that did not end as they should: wrong exit code, never converged, own values listed as edits. */
  runs: string[];
}

export const DEFECT_KINDS = [
  'duplicates',
  'lost',
  'wrong',
  'overCapacity',
  'humanOverwritten',
  'orphans',
  'runs',
] as const satisfies ReadonlyArray<keyof Defects>;

export function noDefects(): Defects {
  return { duplicates: [], lost: [], wrong: [], overCapacity: [], humanOverwritten: [], orphans: [], runs: [] };
}

export function defectCount(d: Defects): number {
  return DEFECT_KINDS.reduce((n, k) => n + d[k].length, 0);
}

export interface CompareOptions {
  readonly capacityPerOwner: number;
  /** Fields a person changed in the trial: `account:<id>:<field>` or `deal:<key>:<field>`. */
  readonly ignore?: ReadonlySet<string>;
  /** Fields the reference itself does not reproduce; left out of the value comparison. */
  readonly unstable?: ReadonlySet<string>;
}

const groupBy = <T>(items: readonly T[], key: (t: T) => string | undefined): Map<string, T[]> => {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    out.set(k, [...(out.get(k) ?? []), item]);
  }
  return out;
};

/** Deals of ours: the ones carrying an expansion key. */
const ours = (deals: readonly DealView[]): DealView[] => deals.filter((d) => d.key !== undefined);

const accountMotion = (d: DealView): string => `${d.accountIds.join('+')}/${d.motion ?? '?'}`;

/** Note identity: the deal key it hangs on and its own reference key. */
function noteIds(snapshot: Snapshot): Map<string, NoteView[]> {
  const keyOfDeal = new Map(snapshot.deals.map((d) => [d.id, d.key ?? `id:${d.id}`]));
  const out = new Map<string, NoteView[]>();
  for (const n of snapshot.notes) {
    if (n.key === undefined) continue;
    for (const dealId of n.dealIds) {
      const id = `${keyOfDeal.get(dealId) ?? `id:${dealId}`} | ${n.key}`;
      out.set(id, [...(out.get(id) ?? []), n]);
    }
  }
  return out;
}

/** Compares a trial's final CRM state with the clean reference run's. */
export function compareSnapshots(ref: Snapshot, got: Snapshot, options: CompareOptions): Defects {
  const d = noDefects();
  const ignore = options.ignore ?? new Set<string>();
  const unstable = options.unstable ?? new Set<string>();

  // Duplicates.
  const gotDeals = ours(got.deals);
  for (const [key, group] of groupBy(gotDeals, (x) => x.key))
    if (group.length > 1)
      d.duplicates.push(`${group.length} deals with key ${key} (${group.map((g) => g.id).join(', ')})`);
  const refByAccountMotion = groupBy(ours(ref.deals), accountMotion);
  for (const [am, group] of groupBy(gotDeals, accountMotion)) {
    const expected = refByAccountMotion.get(am)?.length ?? 1;
    const keys = new Set(group.map((g) => g.key));
    if (group.length > expected && keys.size > 1)
      d.duplicates.push(`${group.length} deals on account/motion ${am}, reference has ${expected}`);
  }
  for (const [key, group] of groupBy(got.notes, (n) => n.key))
    if (group.length > 1) {
      const unlinked = group.filter((n) => n.dealIds.length === 0).length;
      d.duplicates.push(
        `${group.length} notes with ref ${key}${unlinked > 0 ? ` (${unlinked} linked to no deal)` : ''}`,
      );
    }
  for (const [id, group] of noteIds(got))
    if (group.length > 1 && new Set(group.map((n) => n.id)).size > 1)
      d.duplicates.push(`deal ${id.split(' | ')[0]} shows ${group.length} notes with ref ${id.split(' | ')[1]}`);
  if (got.duplicateLinks > 0) d.duplicates.push(`${got.duplicateLinks} ContentDocumentLink(s) made twice`);

  // Orphans: notes of ours on no deal.
  for (const n of got.notes)
    if (n.key !== undefined && n.dealIds.length === 0)
      d.orphans.push(`note ${n.id} (ref ${n.key}) is linked to no deal`);

  // Lost and wrong: deals.
  const gotByKey = groupBy(gotDeals, (x) => x.key);
  for (const refDeal of ours(ref.deals)) {
    const key = refDeal.key ?? '';
    const match = gotByKey.get(key)?.[0];
    if (match === undefined) {
      d.lost.push(`deal ${key} missing`);
      continue;
    }
    if (match.accountIds.join('+') !== refDeal.accountIds.join('+'))
      d.wrong.push(
        `deal ${key} on account ${match.accountIds.join('+') || 'none'}, reference ${refDeal.accountIds.join('+')}`,
      );
    for (const [field, value] of Object.entries(refDeal.fields)) {
      const id = `deal:${key}:${field}`;
      if (ignore.has(id) || unstable.has(`deal:${field}`)) continue;
      const v = match.fields[field];
      if (v === undefined) d.lost.push(`deal ${key} ${field} missing (reference ${clip(value)})`);
      else if (v !== value) d.wrong.push(`deal ${key} ${field} = ${clip(v)}, reference ${clip(value)}`);
    }
    for (const field of Object.keys(match.fields))
      if (refDeal.fields[field] === undefined && !ignore.has(`deal:${key}:${field}`) && !unstable.has(`deal:${field}`))
        d.wrong.push(`deal ${key} ${field} = ${clip(match.fields[field] ?? '')}, reference empty`);
  }
  const refKeys = new Set(ours(ref.deals).map((x) => x.key));
  for (const [key] of gotByKey) if (!refKeys.has(key)) d.wrong.push(`deal ${key} not in the reference`);

  // Lost and wrong: notes, by the deal they hang on and their reference.
  const gotNotes = noteIds(got);
  const refNotes = noteIds(ref);
  for (const id of refNotes.keys()) if (!gotNotes.has(id)) d.lost.push(`note ${id} missing`);
  for (const id of gotNotes.keys()) if (!refNotes.has(id)) d.wrong.push(`note ${id} not in the reference`);

  // Lost and wrong: account score fields.
  for (const [accountId, refFields] of ref.accounts) {
    const fields = got.accounts.get(accountId) ?? {};
    for (const [field, value] of Object.entries(refFields)) {
      if (ignore.has(`account:${accountId}:${field}`) || unstable.has(`account:${field}`)) continue;
      const v = fields[field];
      if (v === undefined) d.lost.push(`account ${accountId} ${field} missing (reference ${clip(value)})`);
      else if (v !== value) d.wrong.push(`account ${accountId} ${field} = ${clip(v)}, reference ${clip(value)}`);
    }
    for (const [field, v] of Object.entries(fields))
      if (
        refFields[field] === undefined &&
        !ignore.has(`account:${accountId}:${field}`) &&
        !unstable.has(`account:${field}`)
      )
        d.wrong.push(`account ${accountId} ${field} = ${clip(v)}, reference empty`);
  }

  // Capacity: every deal of ours was created within this period (a trial takes seconds).
  for (const [owner, group] of groupBy(gotDeals, (x) => x.owner ?? 'unowned'))
    if (group.length > options.capacityPerOwner)
      d.overCapacity.push(`owner ${owner} got ${group.length} new deals, capacity ${options.capacityPerOwner}`);
  return d;
}

/** Fields whose values differ between two clean references: not comparable. */
export function unstableFields(a: Snapshot, b: Snapshot): Set<string> {
  const out = new Set<string>();
  for (const [id, fa] of a.accounts) {
    const fb = b.accounts.get(id) ?? {};
    for (const f of new Set([...Object.keys(fa), ...Object.keys(fb)])) if (fa[f] !== fb[f]) out.add(`account:${f}`);
  }
  const bByKey = new Map(ours(b.deals).map((x) => [x.key, x]));
  for (const da of ours(a.deals)) {
    const db = bByKey.get(da.key);
    if (db === undefined) continue;
    for (const f of new Set([...Object.keys(da.fields), ...Object.keys(db.fields)]))
      if (da.fields[f] !== db.fields[f]) out.add(`deal:${f}`);
  }
  return out;
}

export function clip(value: string, max = 40): string {
  const one = value.replace(/\s+/g, ' ');
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/**
 * After the state store is lost, the history it held (earlier usage days, the previous assessment) is
 * gone too, so the scores legitimately differ from a run that kept it. What a rebuilt store must still
 * do: score fields and the kept-current deal fields take the values a fresh store computes on the same
 * day (`fresh`, a clean first run on that day), no deal of `kept` (the reference with history) is lost,
 * and every such deal still has a note; duplicates, orphans and capacity are checked as always.
 */
export function compareRebuilt(
  kept: Snapshot,
  fresh: Snapshot,
  got: Snapshot,
  options: CompareOptions & { readonly createOnly: ReadonlySet<string> },
): Defects {
  const all = compareSnapshots(kept, got, options);
  const d = noDefects();
  d.duplicates.push(...all.duplicates);
  d.orphans.push(...all.orphans);
  d.overCapacity.push(...all.overCapacity);
  const unstable = options.unstable ?? new Set<string>();
  const gotByKey = new Map(ours(got.deals).map((x) => [x.key, x]));
  const freshByKey = new Map(ours(fresh.deals).map((x) => [x.key, x]));
  const noted = new Set(got.notes.flatMap((n) => (n.key === undefined ? [] : n.dealIds)));
  for (const refDeal of ours(kept.deals)) {
    const match = gotByKey.get(refDeal.key);
    if (match === undefined) d.lost.push(`deal ${refDeal.key ?? ''} missing`);
    else if (!noted.has(match.id) && kept.notes.some((n) => n.dealIds.includes(refDeal.id)))
      d.lost.push(`deal ${refDeal.key ?? ''} has no note of ours`);
  }
  for (const [key, deal] of gotByKey) {
    const want = freshByKey.get(key);
    if (want === undefined) continue;
    for (const field of new Set([...Object.keys(want.fields), ...Object.keys(deal.fields)])) {
      if (options.createOnly.has(field) || unstable.has(`deal:${field}`)) continue;
      const v = deal.fields[field];
      const w = want.fields[field];
      if (v === w) continue;
      if (v === undefined) d.lost.push(`deal ${key ?? ''} ${field} missing (fresh store computes ${clip(w ?? '')})`);
      else d.wrong.push(`deal ${key ?? ''} ${field} = ${clip(v)}, a fresh store computes ${clip(w ?? 'empty')}`);
    }
  }
  for (const [accountId, want] of fresh.accounts) {
    const fields = got.accounts.get(accountId) ?? {};
    for (const field of new Set([...Object.keys(want), ...Object.keys(fields)])) {
      if (unstable.has(`account:${field}`)) continue;
      const v = fields[field];
      const w = want[field];
      if (v === w) continue;
      if (v === undefined) d.lost.push(`account ${accountId} ${field} missing (fresh store computes ${clip(w ?? '')})`);
      else d.wrong.push(`account ${accountId} ${field} = ${clip(v)}, a fresh store computes ${clip(w ?? 'empty')}`);
    }
  }
  return d;
}
