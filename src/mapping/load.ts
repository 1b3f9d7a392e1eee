import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CrmSystem } from '../model/account.ts';
import { ConfigError, type ConfigIssue } from '../errors.ts';
import { closest, quote, valueAt } from '../config/issue-text.ts';
import { formatPath, issuesFromZod, sortIssues, type IssueText } from '../config/issues.ts';
import { parseSource, type ParsedSource, type PathSegment } from '../config/source.ts';
import { checkPipeline, explainTransform } from './check.ts';
import {
  AccountMappingSchema,
  mappingJsonSchema,
  MappingFileSchema,
  OpportunityMappingSchema,
  TransformSchema,
  type MappingFile,
} from './schema.ts';
import { ENTITIES, READ_TARGETS, WRITE_POLICIES, WRITE_SOURCES, type Entity } from './vocabulary.ts';

export interface MappingExpectation {
  readonly system?: CrmSystem;
  readonly object?: string;
}

/**
 * Loads and validates a mapping file (YAML, or JSON for .json). Every problem is reported at once as a
 * ConfigError whose issues carry the file's line: schema mistakes, transforms that do not fit together
 * or do not produce what the canonical field needs, fields mapped twice, and a file that maps another
 * system or object than the config expects.
 */
export async function loadMappingFile(file: string, expect: MappingExpectation = {}): Promise<MappingFile> {
  const absolute = path.resolve(file);
  const text = await readMappingText(absolute);
  const parsed = parseSource({
    file: absolute,
    text,
    format: absolute.toLowerCase().endsWith('.json') ? 'json' : 'yaml',
  });
  if (!parsed.ok) throw new ConfigError(absolute, parsed.issues);
  const { source } = parsed;
  const result = MappingFileSchema.safeParse(source.value);
  const issues: ConfigIssue[] = result.success
    ? []
    : issuesFromZod(result.error.issues, {
        file: absolute,
        source,
        schema: mappingJsonSchema(),
        explain: (p) => explain(p, source),
      });
  issues.push(...meaningIssues({ file: absolute, source, expect }));
  const unique = dedupe(issues);
  if (!result.success || unique.length > 0) throw new ConfigError(absolute, sortIssues(unique));
  const data = result.data;
  return {
    file: absolute,
    version: data.version,
    system: data.system,
    object: data.object,
    entity: data.entity,
    read: data.read.map((r, i) => ({
      field: r.field,
      to: r.to,
      transforms: r.transforms,
      ...(r.optional ? { optional: true } : {}),
      line: source.lineOf(['read', i]),
    })),
    write: data.write.map((w, i) => ({
      from: w.from,
      field: w.field,
      policy: w.policy,
      line: source.lineOf(['write', i]),
    })),
  };
}

async function readMappingText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT'
        ? 'the mapping file does not exist'
        : code === 'EISDIR'
          ? 'this is a directory, not a mapping file'
          : `the mapping file cannot be read (${code ?? 'unknown error'})`;
    throw new ConfigError(file, [
      {
        file,
        path: '',
        message,
        fix: 'check the mapping path in the config (crm.<system>.mappings, relative to the config file), or copy the shipped one from mappings/',
      },
    ]);
  }
}

function explain(
  issuePath: readonly PathSegment[],
  source: ParsedSource,
): (IssueText & { readonly path?: readonly PathSegment[] }) | undefined {
  const [section, index, key] = issuePath;
  if ((section !== 'read' && section !== 'write') || typeof index !== 'number') return undefined;
  const raw = valueAt(source.value, issuePath);
  const entity = entityOf(source.value);
  if (section === 'read' && key === 'transforms' && typeof issuePath[3] === 'number') {
    const at = issuePath.slice(0, 4);
    const text = explainTransform(valueAt(source.value, at));
    return text ? { ...text, path: at } : undefined;
  }
  if (issuePath.length !== 3 || raw === undefined || !entity) return undefined;
  if (section === 'read' && key === 'to')
    return unknownName(raw, {
      what: 'canonical field',
      owner: `entity ${entity}`,
      known: Object.keys(READ_TARGETS[entity]),
    });
  if (section === 'write' && key === 'from')
    return unknownName(raw, { what: 'worker output', owner: `entity ${entity}`, known: WRITE_SOURCES[entity] });
  if (section === 'write' && key === 'policy') return unknownName(raw, { what: 'write policy', known: WRITE_POLICIES });
  return undefined;
}

function unknownName(
  raw: unknown,
  options: { readonly what: string; readonly owner?: string; readonly known: readonly string[] },
): IssueText {
  const name = typeof raw === 'string' ? raw : (JSON.stringify(raw) ?? '');
  const guess = closest(name, options.known);
  return {
    message: `unknown ${options.what} ${quote(name)}${options.owner ? ` for ${options.owner}` : ''}`,
    fix: `${guess ? `did you mean ${guess}? ` : ''}use one of: ${options.known.join(', ')}`,
  };
}

function entityOf(value: unknown): Entity | undefined {
  const entity = valueAt(value, ['entity']);
  return (ENTITIES as readonly unknown[]).includes(entity) ? (entity as Entity) : undefined;
}

interface MeaningContext {
  readonly file: string;
  readonly source: ParsedSource;
  readonly expect: MappingExpectation;
}

/** Problems the schema cannot see: wrong file for its slot, transforms that do not fit, duplicates. */
function meaningIssues(context: MeaningContext): ConfigIssue[] {
  const { file, source } = context;
  const at = (p: readonly PathSegment[], message: string, fix: string): ConfigIssue => ({
    file,
    path: formatPath(p),
    message,
    fix,
    line: source.lineOf(p),
  });
  const issues: ConfigIssue[] = [];
  for (const key of ['system', 'object'] as const) {
    const wanted = context.expect[key];
    const actual = valueAt(source.value, [key]);
    if (wanted !== undefined && typeof actual === 'string' && actual.toLowerCase() !== wanted.toLowerCase()) {
      issues.push(
        at(
          [key],
          `this file maps ${key} ${quote(actual)}, but the config uses it for ${quote(wanted)}`,
          `point the config at a ${wanted} mapping file, or set ${key}: ${wanted} if this file is meant for it`,
        ),
      );
    }
  }
  const entity = entityOf(source.value);
  if (!entity) return issues;
  issues.push(...readRuleIssues(entity, context, at));
  const writes = valueAt(source.value, ['write']);
  if (Array.isArray(writes))
    issues.push(...duplicates({ items: writes, key: 'field', section: 'write', at, what: 'CRM field is written' }));
  return issues;
}

type At = (p: readonly PathSegment[], message: string, fix: string) => ConfigIssue;

function readRuleIssues(entity: Entity, context: MeaningContext, at: At): ConfigIssue[] {
  const reads = valueAt(context.source.value, ['read']);
  if (!Array.isArray(reads)) return [];
  const issues: ConfigIssue[] = [];
  const ruleSchema = (entity === 'account' ? AccountMappingSchema : OpportunityMappingSchema).shape.read.unwrap()
    .element;
  reads.forEach((rule: unknown, i) => {
    const parsed = ruleSchema.safeParse(rule);
    if (!parsed.success || !parsed.data.transforms.every((t) => TransformSchema.safeParse(t).success)) return;
    const target = READ_TARGETS[entity][parsed.data.to];
    if (!target) return;
    for (const problem of checkPipeline(parsed.data.transforms, { ...target, name: parsed.data.to })) {
      issues.push(
        at(
          problem.index === undefined ? ['read', i, 'to'] : ['read', i, 'transforms', problem.index],
          problem.message,
          problem.fix,
        ),
      );
    }
  });
  issues.push(...duplicates({ items: reads, key: 'to', section: 'read', at, what: 'canonical field is read' }));
  return issues;
}

function duplicates(options: {
  readonly items: readonly unknown[];
  readonly key: string;
  readonly section: string;
  readonly at: At;
  readonly what: string;
}): ConfigIssue[] {
  const first = new Map<string, number>();
  const issues: ConfigIssue[] = [];
  options.items.forEach((item, i) => {
    const value = valueAt(item, [options.key]);
    if (typeof value !== 'string') return;
    const earlier = first.get(value);
    if (earlier === undefined) first.set(value, i);
    else
      issues.push(
        options.at(
          [options.section, i, options.key],
          `${quote(value)}: this ${options.what} twice (also by ${options.section}[${earlier}])`,
          'keep one rule for it',
        ),
      );
  });
  return issues;
}

function dedupe(issues: readonly ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.path}\u0000${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
