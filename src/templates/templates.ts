import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { ConfigError, type ConfigIssue } from '../errors.ts';
import { checkView, type ParsedTemplate } from './check-view.ts';
import { splitTitle } from './layout.ts';
import { TEMPLATE_NAMES, type NarrativeRenderer, type RenderedText, type TemplateName } from './view.ts';
import type { ViewObject } from './view.ts';

/**
 * Narrative templates: Handlebars files RevOps can edit (templates/README.md). The shipped set lives in
 * the package's `templates/`; `scoring.narrative.templatesDir` names a directory whose files replace
 * the shipped ones of the same name, file by file. Files are read once per directory and cached, so
 * scoring stays deterministic and reads nothing per account.
 */

/** The package's own templates, wherever the package is installed. */
export const SHIPPED_TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

/** Plain text (the CRM connector escapes for HTML later); strict, so an unknown variable throws. */
const COMPILE_OPTIONS = { noEscape: true, strict: true } as const;

interface Loaded extends ParsedTemplate {
  readonly run: HandlebarsTemplateDelegate;
}

const renderers = new Map<string, NarrativeRenderer>();

/** The renderer for a templates directory (the shipped templates when none is given), loaded once. */
export function templateRenderer(dir?: string): NarrativeRenderer {
  const key = dir === undefined ? '' : path.resolve(dir);
  let renderer = renderers.get(key);
  if (renderer === undefined) {
    renderer = loadRenderer(dir === undefined ? undefined : key);
    renderers.set(key, renderer);
  }
  return renderer;
}

function loadRenderer(overrideDir: string | undefined): NarrativeRenderer {
  if (overrideDir !== undefined && !(existsSync(overrideDir) && statSync(overrideDir).isDirectory())) {
    throw new ConfigError(overrideDir, [
      {
        file: overrideDir,
        path: 'scoring.narrative.templatesDir',
        message: 'the templates directory does not exist',
        fix: 'point templatesDir at a directory holding .hbs files, or remove it to use the shipped templates',
      },
    ]);
  }
  const env = Handlebars.create();
  const issues: ConfigIssue[] = [];
  const partials = new Map<string, Loaded>();
  for (const [name, file] of partialFiles(overrideDir)) {
    const loaded = load(file, env, issues);
    if (loaded === undefined) continue;
    partials.set(name, loaded);
    env.registerPartial(name, loaded.run);
  }
  const templates = new Map<TemplateName, Loaded>();
  for (const name of TEMPLATE_NAMES) {
    const loaded = load(pick(`${name}.hbs`, overrideDir), env, issues);
    if (loaded !== undefined) templates.set(name, loaded);
  }
  if (issues.length > 0) throw new ConfigError(overrideDir ?? SHIPPED_TEMPLATES_DIR, issues);
  const helpers: ReadonlySet<string> = new Set(Object.keys(env.helpers));
  return {
    render(name: TemplateName, view: ViewObject): RenderedText {
      const template = templates.get(name);
      const file = `${name}.hbs`;
      if (template === undefined) throw new ConfigError(file, [{ file, path: '', message: 'not loaded' }]);
      const problems = checkView(template, view, { partials, helpers });
      if (problems.length > 0) throw new ConfigError(template.file, problems);
      return splitTitle(run(template, view));
    },
  };
}

const versions = new Map<string, string>();

/**
 * Which narrative templates write the talking points: a short hash of the text of every template and partial
 * in force for this directory (the shipped set when none is given). A pitch snapshot keeps it, so an outcome
 * can be told apart by the wording the AE was shown. Read once per directory, as the templates are.
 */
export function templatesVersion(dir?: string): string {
  const key = dir === undefined ? '' : path.resolve(dir);
  let version = versions.get(key);
  if (version === undefined) {
    const overrideDir = dir === undefined ? undefined : key;
    const hash = createHash('sha256');
    const files = [
      ...TEMPLATE_NAMES.map((name) => [`${name}.hbs`, pick(`${name}.hbs`, overrideDir)] as const),
      ...[...partialFiles(overrideDir)].map(([name, file]) => [`partials/${name}.hbs`, file] as const),
    ];
    for (const [name, file] of files) {
      hash.update(`${name}\0`);
      hash.update(existsSync(file) ? readFileSync(file) : '');
      hash.update('\0');
    }
    version = hash.digest('hex').slice(0, 12);
    versions.set(key, version);
  }
  return version;
}

/** The override directory's copy of a file when it has one, else the shipped one. */
function pick(relative: string, overrideDir: string | undefined): string {
  const custom = overrideDir === undefined ? undefined : path.join(overrideDir, relative);
  return custom !== undefined && existsSync(custom) ? custom : path.join(SHIPPED_TEMPLATES_DIR, relative);
}

/** `partials/<name>.hbs` by name: the shipped ones, replaced or extended by the override directory's. */
function partialFiles(overrideDir: string | undefined): Map<string, string> {
  const files = new Map<string, string>();
  for (const dir of [SHIPPED_TEMPLATES_DIR, overrideDir]) {
    const partialsDir = dir === undefined ? undefined : path.join(dir, 'partials');
    if (partialsDir === undefined || !existsSync(partialsDir)) continue;
    for (const entry of readdirSync(partialsDir).sort()) {
      if (entry.endsWith('.hbs')) files.set(entry.slice(0, -'.hbs'.length), path.join(partialsDir, entry));
    }
  }
  return files;
}

/** Reads, parses and compiles one file; problems are added to `issues` with the file and line. */
function load(file: string, env: typeof Handlebars, issues: ConfigIssue[]): Loaded | undefined {
  const shown = displayPath(file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    issues.push({ file: shown, path: '', message: `cannot read the template: ${String(error)}` });
    return undefined;
  }
  let ast: hbs.AST.Program;
  try {
    ast = Handlebars.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const line = /on line (\d+)/.exec(message)?.[1];
    issues.push({ file: shown, path: '', message: `Handlebars cannot parse it: ${message}`, ...lineOf(line) });
    return undefined;
  }
  const digits = literalDigits(ast, shown);
  issues.push(...digits);
  if (digits.length > 0) return undefined;
  return { file: shown, ast, run: env.compile(text, COMPILE_OPTIONS) };
}

/**
 * Digits in a template's own text would put numbers in a note that no evidence holds: every number
 * comes from a variable (already cited), and any other quantity is written in words.
 */
function literalDigits(ast: hbs.AST.Program, file: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const visit = (program: hbs.AST.Program | undefined): void => {
    for (const node of program?.body ?? []) {
      if (node.type === 'ContentStatement') {
        const { value } = node as hbs.AST.ContentStatement;
        const at = value.search(/\d/);
        if (at >= 0) {
          const line = node.loc.start.line + (value.slice(0, at).match(/\n/g)?.length ?? 0);
          const near = value.slice(Math.max(0, at - 10), at + 10).trim();
          const fix = 'numbers must come from variables; write any other quantity in words ("twenty minutes")';
          issues.push({ file, path: '', line, message: `the text holds a digit ("${near}")`, fix });
        }
      } else if (node.type === 'BlockStatement') {
        visit((node as hbs.AST.BlockStatement).program);
        visit((node as hbs.AST.BlockStatement).inverse);
      }
    }
  };
  visit(ast);
  return issues;
}

function run(template: Loaded, view: ViewObject): string {
  try {
    return template.run(view);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const line = /- (\d+):\d+$/.exec(message)?.[1];
    const issue = { file: template.file, path: '', message: `rendering failed: ${message}`, ...lineOf(line) };
    throw new ConfigError(template.file, [issue]);
  }
}

const lineOf = (line: string | undefined): { line?: number } => (line === undefined ? {} : { line: Number(line) });

/** Relative to the working directory when the file is under it, so errors read `templates/seat-add.hbs:12`. */
function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}
