import { decodeCursor, encodeCursor, HubspotHttpError, isoTime, limitParam, pagingJson } from './http.ts';
import type { HubspotOwnerSeed } from './types.ts';

interface Owner {
  readonly id: string;
  readonly email: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly userId: number;
  readonly archived: boolean;
  readonly createdAt: number;
}

const FIRST_OWNER_ID = 70_000_001;
const FIRST_USER_ID = 9_000_001;

/** Owners as `GET /crm/v3/owners` serves them: https://developers.hubspot.com/docs/api-reference/crm-owners-v3/guide */
export class OwnerStore {
  private readonly owners: Owner[] = [];
  private readonly byId = new Map<string, Owner>();
  private readonly now: () => number;

  constructor(now: () => number) {
    this.now = now;
  }

  add(seed: HubspotOwnerSeed): void {
    const n = this.owners.length;
    const id = seed.id ?? String(FIRST_OWNER_ID + n);
    if (this.byId.has(id)) throw new Error(`HubSpot emulator seed: owner id ${id} is used twice`);
    const owner: Owner = {
      id,
      email: seed.email,
      firstName: seed.firstName ?? '',
      lastName: seed.lastName ?? '',
      userId: seed.userId ?? FIRST_USER_ID + n,
      archived: seed.archived === true,
      createdAt: this.now(),
    };
    this.owners.push(owner);
    this.byId.set(id, owner);
  }

  /** Owner ids accepted in `hubspot_owner_id` (active owners only). */
  exists(id: string): boolean {
    const owner = this.byId.get(id);
    return owner !== undefined && !owner.archived;
  }

  /** `GET /crm/v3/owners?email=&after=&limit=&archived=` (limit default 100, max 500). */
  page(query: URLSearchParams, baseUrl: string): Record<string, unknown> {
    const archived = query.get('archived') === 'true';
    const email = query.get('email')?.toLowerCase();
    const matching = this.owners.filter(
      (o) => o.archived === archived && (email === undefined || email === '' || o.email.toLowerCase() === email),
    );
    const limit = limitParam(query, 100, 500);
    const start = decodeCursor(query.get('after'));
    const results = matching.slice(start, start + limit).map(ownerJson);
    const next = start + limit;
    if (next >= matching.length) return { results };
    const after = encodeCursor(next);
    return { results, paging: pagingJson(after, `${baseUrl}/crm/v3/owners?after=${after}`) };
  }

  /** `GET /crm/v3/owners/{ownerId}?idProperty=id|userId&archived=`. */
  get(ownerId: string, query: URLSearchParams): Record<string, unknown> {
    const byUserId = query.get('idProperty') === 'userId';
    const archived = query.get('archived') === 'true';
    const owner = byUserId ? this.owners.find((o) => String(o.userId) === ownerId) : this.byId.get(ownerId);
    if (!owner || owner.archived !== archived) {
      throw new HubspotHttpError(404, {
        category: 'OBJECT_NOT_FOUND',
        message: `Owner not found: ${ownerId}`,
        context: { id: [ownerId] },
      });
    }
    return ownerJson(owner);
  }
}

/** The SDK's `PublicOwner` model. */
function ownerJson(o: Owner): Record<string, unknown> {
  const at = isoTime(o.createdAt);
  return {
    id: o.id,
    email: o.email,
    type: 'PERSON',
    firstName: o.firstName,
    lastName: o.lastName,
    userId: o.userId,
    userIdIncludingInactive: o.userId,
    createdAt: at,
    updatedAt: at,
    archived: o.archived,
    teams: [],
  };
}
