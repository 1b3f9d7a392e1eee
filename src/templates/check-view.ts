import type { ConfigIssue } from '../errors.ts';
import type { ViewObject, ViewValue } from './view.ts';

/**
 * Checks a template against the view it is about to render, before it runs. Handlebars' strict mode
 * throws for a misspelled `{{variable}}`, but not for one inside `{{#if}}` or `{{#each}}` (those read
 * as false or empty), and not for a branch that did not run. This walks every branch, so a misspelled
 * name fails on every render, with the file and line.
 */
export interface ParsedTemplate {
  /** Path shown in errors. */
  readonly file: string;
  readonly ast: hbs.AST.Program;
}

export interface CheckContext {
  readonly partials: ReadonlyMap<string, ParsedTemplate>;
  /** Helpers a template may call: Handlebars' built-ins. */
  readonly helpers: ReadonlySet<string>;
}

/** Undefined: a context the check cannot know (inside `{{#each}}` over an empty list). */
type Scope = ViewValue | undefined;

const BLOCKS_KEEPING_CONTEXT: ReadonlySet<string> = new Set(['if', 'unless']);

export function checkView(template: ParsedTemplate, view: ViewObject, context: CheckContext): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  walkProgram(template.ast, [view], { ...context, file: template.file, issues, depth: 0 });
  return issues;
}

interface Walk extends CheckContext {
  readonly file: string;
  readonly issues: ConfigIssue[];
  /** Partial nesting, to stop a partial that includes itself. */
  readonly depth: number;
}

function walkProgram(program: hbs.AST.Program | undefined, scopes: readonly Scope[], walk: Walk): void {
  for (const statement of program?.body ?? []) walkStatement(statement, scopes, walk);
}

function walkStatement(node: hbs.AST.Statement, scopes: readonly Scope[], walk: Walk): void {
  switch (node.type) {
    case 'ContentStatement':
    case 'CommentStatement':
      return;
    case 'MustacheStatement':
      return mustache(node as hbs.AST.MustacheStatement, scopes, walk);
    case 'BlockStatement':
      return block(node as hbs.AST.BlockStatement, scopes, walk);
    case 'PartialStatement':
      return partial(node as hbs.AST.PartialStatement, scopes, walk);
    default:
      report(walk, node, `${node.type} is not supported here`, 'use variables, #if, #unless, #each, #with, partials');
  }
}

function mustache(node: hbs.AST.MustacheStatement, scopes: readonly Scope[], walk: Walk): void {
  if (node.path.type !== 'PathExpression') return;
  const path = node.path as hbs.AST.PathExpression;
  if (node.params.length === 0 && node.hash === undefined) {
    resolve(path, scopes, walk);
    return;
  }
  if (!walk.helpers.has(path.original)) {
    report(walk, node, `unknown helper "${path.original}"`, `use one of: ${[...walk.helpers].join(', ')}`);
  }
  for (const param of node.params) {
    if (param.type === 'PathExpression') resolve(param as hbs.AST.PathExpression, scopes, walk);
  }
}

function block(node: hbs.AST.BlockStatement, scopes: readonly Scope[], walk: Walk): void {
  const [first] = node.params;
  let inner: Scope;
  if (first === undefined) {
    // A section, {{#list}}...{{/list}}: iterates a list or enters an object, as #each and #with do.
    inner = entered(resolve(node.path, scopes, walk));
  } else {
    const name = node.path.original;
    if (!walk.helpers.has(name)) report(walk, node, `unknown block helper "${name}"`, 'use #if, #unless, #each, #with');
    const value = first.type === 'PathExpression' ? resolve(first as hbs.AST.PathExpression, scopes, walk) : undefined;
    // #if and #unless keep the context; #each and #with move into the value.
    inner = BLOCKS_KEEPING_CONTEXT.has(name) ? scopes.at(-1) : entered(value);
  }
  const keeps = first !== undefined && BLOCKS_KEEPING_CONTEXT.has(node.path.original);
  walkProgram(node.program, keeps ? scopes : [...scopes, inner], walk);
  walkProgram(node.inverse, scopes, walk);
}

/** The context inside a block over `value`: a list's first item stands for every item. */
const entered = (value: Scope): Scope => (isList(value) ? value[0] : value);

const isList = (value: Scope): value is readonly ViewValue[] => Array.isArray(value);

const isObject = (value: Scope): value is ViewObject => typeof value === 'object' && !isList(value);

function partial(node: hbs.AST.PartialStatement, scopes: readonly Scope[], walk: Walk): void {
  const name = node.name.type === 'PathExpression' ? (node.name as hbs.AST.PathExpression).original : undefined;
  const found = name === undefined ? undefined : walk.partials.get(name);
  if (found === undefined) {
    const known = [...walk.partials.keys()].join(', ');
    const fix = `add partials/${name ?? 'name'}.hbs, or use one of: ${known}`;
    report(walk, node, `partial "${name ?? '(dynamic)'}" not found`, fix);
    return;
  }
  if (walk.depth > 8) return;
  const [first] = node.params;
  const context = first?.type === 'PathExpression' ? resolve(first as hbs.AST.PathExpression, scopes, walk) : undefined;
  // Partials see the context they are called with; `../` inside one still reaches the caller's scopes.
  const inner = first === undefined ? scopes : [...scopes, context];
  walkProgram(found.ast, inner, { ...walk, file: found.file, depth: walk.depth + 1 });
}

/** The value a path names, or an issue when the view has no such field. */
function resolve(path: hbs.AST.PathExpression, scopes: readonly Scope[], walk: Walk): Scope {
  let parts = path.parts;
  let current: Scope;
  if (path.data) {
    if (parts[0] !== 'root') return undefined;
    current = scopes[0];
    parts = parts.slice(1);
  } else {
    current = scopes[scopes.length - 1 - path.depth];
  }
  for (const part of parts) {
    if (current === undefined) return undefined;
    if (!isObject(current) || !Object.hasOwn(current, part)) {
      const known = isObject(current) ? Object.keys(current) : [];
      const fix = known.length > 0 ? `use one of: ${known.join(', ')}` : undefined;
      report(walk, path, `"${path.original}" is not a variable this template can use`, fix);
      return undefined;
    }
    current = current[part];
  }
  return current;
}

function report(walk: Walk, node: hbs.AST.Node, message: string, fix: string | undefined): void {
  const issue: ConfigIssue = { file: walk.file, path: '', message, line: node.loc.start.line };
  walk.issues.push(fix === undefined ? issue : { ...issue, fix });
}
