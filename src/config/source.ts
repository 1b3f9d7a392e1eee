import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { ConfigIssue } from '../errors.ts';

export type PathSegment = string | number;

/** A parsed config or mapping file: its value, and where each JSON path sits in the text. */
export interface ParsedSource {
  readonly value: unknown;
  /** 1-based line of `path`, or of its closest parent that exists in the file. */
  lineOf(path: readonly PathSegment[]): number;
}

export type ParseSourceResult =
  { readonly ok: true; readonly source: ParsedSource } | { readonly ok: false; readonly issues: ConfigIssue[] };

export interface ParseSourceOptions {
  readonly file: string;
  readonly text: string;
  readonly format: 'json' | 'yaml';
}

/**
 * Parses JSON or YAML and keeps the YAML document for locating paths: JSON is YAML's flow syntax, so one
 * locator serves both. JSON is checked with JSON.parse first because YAML would accept files that are
 * not JSON (unquoted keys, comments), and a .json file must stay JSON for every other tool that reads it.
 */
export function parseSource(options: ParseSourceOptions): ParseSourceResult {
  const { file, text } = options;
  let jsonValue: unknown;
  if (options.format === 'json') {
    try {
      jsonValue = JSON.parse(text);
    } catch (error) {
      return { ok: false, issues: [jsonSyntaxIssue(file, text, error)] };
    }
  }
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: true });
  const issues = doc.errors
    .filter((e) => options.format === 'yaml' || e.code === 'DUPLICATE_KEY')
    .map((e): ConfigIssue =>
      yamlIssue({
        file,
        code: e.code,
        message: e.message,
        line: e.linePos?.[0].line,
        at: text.slice(e.pos[0], e.pos[0] + 80),
      }),
    );
  if (issues.length > 0) return { ok: false, issues };
  const value = options.format === 'json' ? jsonValue : doc.toJS();
  return { ok: true, source: { value, lineOf: (path) => lineOf(doc, counter, path) } };
}

interface YamlProblem {
  readonly file: string;
  readonly code: string;
  readonly message: string;
  readonly line: number | undefined;
  readonly at: string;
}

function yamlIssue(problem: YamlProblem): ConfigIssue {
  const where = problem.line === undefined ? {} : { line: problem.line };
  if (problem.code === 'DUPLICATE_KEY') {
    const key = /^\s*["']?([^"':\s]+)/.exec(problem.at)?.[1] ?? '';
    return {
      file: problem.file,
      path: '',
      message: `key "${key}" appears twice in the same object`,
      fix: 'keep one of the two: only the later one would count',
      ...where,
    };
  }
  // The library's message ends with a position and a code excerpt; the issue carries the line instead.
  const first = (problem.message.split('\n')[0] ?? problem.message).replace(/ at line \d+, column \d+:?$/, '');
  return {
    file: problem.file,
    path: '',
    message: first,
    fix: 'fix the syntax on this line (indentation, a missing ":" or an unclosed quote are the usual causes)',
    ...where,
  };
}

function lineOf(doc: Document, counter: LineCounter, path: readonly PathSegment[]): number {
  const lineAt = (offset: number): number => Math.max(1, counter.linePos(offset).line);
  let node: unknown = doc.contents;
  let line = isMap(node) || isSeq(node) || isScalar(node) ? lineAt(node.range?.[0] ?? 0) : 1;
  for (const segment of path) {
    if (isMap(node)) {
      // JSON.parse and YAML both keep the last of duplicate keys, so the last one is where the value is.
      const pair = node.items.findLast((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair || !isScalar(pair.key)) break;
      line = lineAt(pair.key.range?.[0] ?? 0);
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item: unknown = node.items[segment];
      if (!isMap(item) && !isSeq(item) && !isScalar(item)) break;
      line = lineAt(item.range?.[0] ?? 0);
      node = item;
    } else {
      break;
    }
  }
  return line;
}

/**
 * V8's JSON errors give a position for most mistakes but not for "Unexpected token", and some quote the
 * text around the mistake, which may hold a secret. The position is found by the longest prefix that is
 * still the start of valid JSON, and the message is rebuilt without quoting the file.
 */
function jsonSyntaxIssue(file: string, text: string, error: unknown): ConfigIssue {
  const raw = error instanceof Error ? error.message : '';
  if (text.trim() === '')
    return { file, path: '', message: 'the file is empty', fix: 'write a JSON object: { ... }', line: 1 };
  const at = /at position (\d+)/.exec(raw);
  const offset = at ? Number(at[1]) : firstBadOffset(text);
  const { line, column } = positionOf(text, offset);
  const what =
    offset >= text.length
      ? 'the file ends before the JSON is complete (a missing } or ]?)'
      : describeJsonError(raw, text[offset] ?? '');
  return {
    file,
    path: '',
    message: `invalid JSON at line ${line} column ${column}: ${what}`,
    fix: 'fix the JSON syntax there (a missing comma or quote, or a trailing comma, are the usual causes)',
    line,
  };
}

function describeJsonError(raw: string, char: string): string {
  const known = /^(.*?) in JSON at position/.exec(raw)?.[1];
  if (known && !known.startsWith('Unexpected token')) return known.charAt(0).toLowerCase() + known.slice(1);
  return `unexpected character ${JSON.stringify(char)}`;
}

function firstBadOffset(text: string): number {
  // A prefix is fine while JSON.parse only complains that the input ended; the first prefix that fails
  // otherwise ends at the bad character. Binary search keeps this to a few dozen parses.
  let low = 0;
  let high = text.length;
  while (low < high) {
    const mid = Math.floor((low + high + 1) / 2);
    if (isValidPrefix(text.slice(0, mid))) low = mid;
    else high = mid - 1;
  }
  return low;
}

function isValidPrefix(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return true;
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    if (message.includes('end of JSON input')) return true;
    const at = /at position (\d+)/.exec(message);
    return at !== null && Number(at[1]) >= prefix.length;
  }
}

function positionOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}
