import type { PathSegment } from './source.ts';

/** The value at a JSON path, or undefined when any step is missing. */
export function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let node: unknown = root;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

/** A value as a message may show it: quoted and cut to 40 characters, or only its kind for secrets. */
export function describeValue(value: unknown, options: { readonly secret?: boolean } = {}): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (options.secret) return typeof value === 'string' ? 'a text value' : `a ${typeof value}`;
  if (typeof value === 'string') return quote(value);
  return String(value);
}

export function quote(text: string, max = 40): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}

interface JsonNode {
  readonly properties?: Readonly<Record<string, JsonNode>>;
  readonly items?: JsonNode;
  readonly additionalProperties?: JsonNode | boolean;
  readonly allOf?: readonly JsonNode[];
  readonly anyOf?: readonly JsonNode[];
  readonly oneOf?: readonly JsonNode[];
  readonly description?: string;
}

function expand(node: JsonNode): JsonNode[] {
  const branches = [...(node.allOf ?? []), ...(node.anyOf ?? []), ...(node.oneOf ?? [])];
  return [node, ...branches.flatMap(expand)];
}

/** Every JSON Schema node that can describe the value at `path` (all union branches). */
function nodesAt(schema: object, path: readonly PathSegment[]): JsonNode[] {
  let nodes = expand(schema as JsonNode);
  for (const segment of path) {
    nodes = nodes
      .flatMap((n): JsonNode[] => {
        if (typeof segment === 'number') return n.items ? [n.items] : [];
        const child = n.properties?.[segment];
        if (child) return [child];
        return typeof n.additionalProperties === 'object' ? [n.additionalProperties] : [];
      })
      .flatMap(expand);
  }
  return nodes;
}

export function knownKeysAt(schema: object, path: readonly PathSegment[]): string[] {
  const keys = new Set(nodesAt(schema, path).flatMap((n) => Object.keys(n.properties ?? {})));
  return [...keys].filter((k) => k !== '$schema');
}

export function descriptionAt(schema: object, path: readonly PathSegment[]): string | undefined {
  return nodesAt(schema, path).find((n) => n.description !== undefined)?.description;
}

/** The candidate a typo most likely meant: at most two edits away (one for short words). */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const limit = word.length <= 4 ? 1 : 2;
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance <= limit && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
