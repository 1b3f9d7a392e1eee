import type { Account, Owner } from '../model/account.ts';

/**
 * Each account with its owner's name from the CRM's owners (users), read every run: the talking points
 * sign with it and people see it where the owner id would mean nothing. No name when the owner is
 * unknown to the owners list or has none filled in; a name carried over from an older snapshot is dropped.
 */
export function withOwnerNames(accounts: readonly Account[], owners: readonly Owner[]): Account[] {
  const names = new Map<string, string>();
  for (const owner of owners) {
    const name = owner.name?.trim();
    if (name) names.set(owner.id, name);
  }
  return accounts.map(({ ownerName: _previous, ...account }) => {
    const name = account.ownerId === undefined ? undefined : names.get(account.ownerId);
    return name === undefined ? account : { ...account, ownerName: name };
  });
}
