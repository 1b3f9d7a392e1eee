import type { z } from 'zod';
import type { ConfigIssue } from '../errors.ts';
import { closest, describeValue, knownKeysAt, descriptionAt, valueAt } from './issue-text.ts';
import type { ParsedSource, PathSegment } from './source.ts';

export type ZodIssue = z.core.$ZodIssue;

export interface IssueText {
  readonly message: string;
  readonly fix?: string;
}

export interface IssueContext {
  readonly file: string;
  readonly source: ParsedSource;
  /** The file's JSON Schema: known keys and descriptions for the fixes come from it. */
  readonly schema: object;
  /** Paths whose values are never quoted back (secrets pasted in the wrong place). */
  readonly isSecret?: (path: readonly PathSegment[]) => boolean;
  /**
   * A file-specific explanation for an issue; undefined keeps the generic one. It may move the issue to
   * another path (a transform explains itself once, whichever nested part zod complained about).
   */
  readonly explain?: (
    path: readonly PathSegment[],
    issue: ZodIssue,
  ) => (IssueText & { readonly path?: readonly PathSegment[] }) | undefined;
}

/** `crm.hubspot.token.env`, `read[2].transforms[0]`. */
export function formatPath(path: readonly PathSegment[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

/**
 * Turns zod issues into located issues a person can act on: one per problem (one per unknown key), each
 * with the line of its path and a fix worded for the file's author rather than for a developer.
 */
export function issuesFromZod(issues: readonly ZodIssue[], context: IssueContext): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  const seen = new Set<string>();
  const push = (path: readonly PathSegment[], text: IssueText): void => {
    const key = formatPath(path);
    if (seen.has(`${key}\u0000${text.message}`)) return;
    seen.add(`${key}\u0000${text.message}`);
    out.push({
      file: context.file,
      path: key,
      message: text.message,
      ...(text.fix ? { fix: text.fix } : {}),
      line: context.source.lineOf(path),
    });
  };
  for (const issue of issues) {
    const path = issue.path.filter((s): s is PathSegment => typeof s !== 'symbol');
    const explained = context.explain?.(path, issue);
    if (explained) push(explained.path ?? path, explained);
    else if (issue.code === 'unrecognized_keys')
      for (const key of issue.keys) push([...path, key], unknownKey(context, path, key));
    else push(path, genericText(issue, path, context));
  }
  return out;
}

export function sortIssues(issues: readonly ConfigIssue[]): ConfigIssue[] {
  return [...issues].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || a.path.localeCompare(b.path));
}

function unknownKey(context: IssueContext, parent: readonly PathSegment[], key: string): IssueText {
  const known = knownKeysAt(context.schema, parent);
  const guess = closest(key, known);
  const hint = guess ? ` (did you mean "${guess}"?)` : '';
  return {
    message: `unknown key "${key}"`,
    fix: `remove it or check its spelling${hint}${known.length > 0 ? `; known keys: ${known.join(', ')}` : ''}`,
  };
}

const TYPE_FIX: Readonly<Record<string, string>> = {
  boolean: 'write true or false, without quotes',
  number: 'write a number, without quotes',
  int: 'write a whole number, without quotes',
  string: 'write text in double quotes',
  object: 'write an object: { ... }',
  array: 'write a list: [ ... ]',
};

function genericText(issue: ZodIssue, path: readonly PathSegment[], context: IssueContext): IssueText {
  const raw = valueAt(context.source.value, path);
  const secret = context.isSecret?.(path) ?? false;
  const shown = describeValue(raw, { secret });
  const description = descriptionAt(context.schema, path);
  switch (issue.code) {
    case 'invalid_type':
      if (raw === undefined)
        return {
          message: `missing required key "${String(path.at(-1) ?? '')}"`,
          fix: `add it${description ? `: ${description}` : ''}`,
        };
      return {
        message: `expected ${issue.expected === 'int' ? 'a whole number' : `a ${issue.expected}`}, got ${shown}`,
        fix: TYPE_FIX[issue.expected] ?? `write a ${issue.expected}`,
      };
    case 'invalid_value':
      if (raw === undefined)
        return {
          message: `missing required key "${String(path.at(-1) ?? '')}"`,
          fix: `add it: ${issue.values.length === 1 ? '' : 'one of '}${issue.values.map((v) => String(v)).join(', ')}`,
        };
      return {
        message: `${shown} is not an allowed value`,
        fix: `use ${issue.values.length === 1 ? '' : 'one of: '}${issue.values.map((v) => String(v)).join(', ')}`,
      };
    case 'invalid_union':
      return unionText(issue, { raw, shown, description, path });
    case 'too_small':
      return {
        message: `${shown} is too small`,
        fix: boundFix(issue.origin, issue.inclusive === false ? 'greater than' : 'at least', issue.minimum),
      };
    case 'too_big':
      return {
        message: `${shown} is too large`,
        fix: boundFix(issue.origin, issue.inclusive === false ? 'less than' : 'at most', issue.maximum),
      };
    case 'invalid_format':
      return {
        message: `${shown} is not a valid ${issue.format === 'regex' ? 'value here' : issue.format}`,
        fix: issue.message.startsWith('Invalid')
          ? `use a valid ${issue.format}${description ? `: ${description}` : ''}`
          : `use ${issue.message}`,
      };
    case 'not_multiple_of':
      return {
        message: `${shown} is not a multiple of ${String(issue.divisor)}`,
        fix: `use a multiple of ${String(issue.divisor)}`,
      };
    default:
      return { message: issue.message, ...(description ? { fix: description } : {}) };
  }
}

interface UnionFacts {
  readonly raw: unknown;
  readonly shown: string;
  readonly description: string | undefined;
  readonly path: readonly PathSegment[];
}

function unionText(issue: z.core.$ZodIssueInvalidUnion, facts: UnionFacts): IssueText {
  const options = (issue as { options?: readonly unknown[] }).options;
  if (options) {
    const allowed = options.map((o) => String(o)).join(', ');
    if (facts.raw === undefined)
      return { message: `missing required key "${String(facts.path.at(-1) ?? '')}"`, fix: `add it: one of ${allowed}` };
    return {
      message: `${facts.shown} is not an allowed value`,
      fix: options.length === 1 ? `use ${allowed}` : `use one of: ${allowed}`,
    };
  }
  return {
    message: `${facts.shown} does not match any allowed form`,
    ...(facts.description ? { fix: facts.description } : {}),
  };
}

function boundFix(origin: string, comparison: string, bound: number | bigint): string {
  if (origin === 'string')
    return Number(bound) <= 1 && comparison === 'at least'
      ? 'write a non-empty value'
      : `use ${comparison} ${String(bound)} characters`;
  if (origin === 'array') return `use ${comparison} ${String(bound)} items`;
  return `use a number ${comparison} ${String(bound)}`;
}
