import { associationType, type ObjectTypeName } from './object-types.ts';

/** Two records an association joins, read from `from`'s side. */
export interface Link {
  readonly from: ObjectTypeName;
  readonly fromId: string;
  readonly to: ObjectTypeName;
  readonly toId: string;
}

export interface AssociationTarget {
  readonly toId: string;
  readonly typeIds: readonly number[];
}

/**
 * Associations, stored both ways: creating note→deal (214) also makes deal→note (213) readable, as the
 * v4 API does (https://developers.hubspot.com/docs/api-reference/crm-associations-v4/guide).
 * Each direction is a Map lookup, so reading a record's associations costs no scan.
 */
export class AssociationStore {
  private readonly edges = new Map<string, Map<ObjectTypeName, Map<string, Set<number>>>>();

  add(link: Link, typeId: number): void {
    this.link(link, typeId);
    this.link(reverse(link), inverseOf(link, typeId));
  }

  /** Removes the given types (both ways), or every type between the two records when none are given. */
  remove(link: Link, typeIds?: readonly number[]): void {
    if (typeIds === undefined) {
      this.unlink(link);
      this.unlink(reverse(link));
      return;
    }
    for (const typeId of typeIds) {
      this.unlink(link, typeId);
      this.unlink(reverse(link), inverseOf(link, typeId));
    }
  }

  targets(from: ObjectTypeName, fromId: string, to: ObjectTypeName): AssociationTarget[] {
    const targets = this.edges.get(key(from, fromId))?.get(to);
    if (!targets) return [];
    return [...targets].map(([toId, types]) => ({ toId, typeIds: [...types] }));
  }

  /** Type ids now linking the two records. */
  typesOf(link: Link): number[] {
    return [...(this.edges.get(key(link.from, link.fromId))?.get(link.to)?.get(link.toId) ?? [])];
  }

  private link(link: Link, typeId: number): void {
    let byType = this.edges.get(key(link.from, link.fromId));
    if (!byType) this.edges.set(key(link.from, link.fromId), (byType = new Map()));
    let targets = byType.get(link.to);
    if (!targets) byType.set(link.to, (targets = new Map()));
    let types = targets.get(link.toId);
    if (!types) targets.set(link.toId, (types = new Set()));
    types.add(typeId);
  }

  private unlink(link: Link, typeId?: number): void {
    const targets = this.edges.get(key(link.from, link.fromId))?.get(link.to);
    const types = targets?.get(link.toId);
    if (!targets || !types) return;
    if (typeId !== undefined) types.delete(typeId);
    if (typeId === undefined || types.size === 0) targets.delete(link.toId);
  }
}

function key(type: ObjectTypeName, id: string): string {
  return `${type}:${id}`;
}

function reverse(link: Link): Link {
  return { from: link.to, fromId: link.toId, to: link.from, toId: link.fromId };
}

/** Labeled or user-defined types without a known pair map to themselves. */
function inverseOf(link: Link, typeId: number): number {
  return associationType(link.from, link.to, typeId)?.inverse ?? typeId;
}
