import { configuredCrm } from '../../connectors/crm-registry.ts';
import type { CrmSystem } from '../model/account.ts';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, SyncError, type ConfigIssue } from '../errors.ts';
import { configJsonSchema } from './json-schema.ts';
import { formatPath, issuesFromZod, sortIssues } from './issues.ts';
import { valueAt } from './issue-text.ts';
import { ConfigSchema, type Config } from './schema.ts';
import {
  alertTargetsOf,
  isSecretPath,
  resolveSecrets,
  secretIssueText,
  type AlertTargets,
  type SecretPath,
} from './secrets.ts';
import { parseSource, type ParsedSource, type PathSegment } from './source.ts';

export type { AlertTargets, SecretPath } from './secrets.ts';
export { ownerWebhookPath } from './secrets.ts';

export interface LoadedConfig {
  readonly config: Config;
  /** Absolute path of the config file. */
  readonly file: string;
  /** The config file's directory: relative paths in the config are relative to it. */
  readonly baseDir: string;
  resolvePath(relative: string): string;
  /** The resolved secret. Never log it or put it in an error. */
  secret(path: SecretPath): string;
  /** Where alerts go, with their webhook URLs resolved (secrets: never log them). Empty when none is configured. */
  alertTargets(): AlertTargets;
}

export interface LoadConfigOptions {
  /** Where secret references are resolved; process.env by default. */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Reads, validates and resolves the config file. Every problem is reported at once, each with the JSON
 * path, its line and a fix, as a ConfigError (exit code 2). Secret values live only in a closure here:
 * `config` keeps the `{"env": ...}` references, so logging or serialising it is safe.
 */
export async function loadConfig(file: string, options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const absolute = path.resolve(file);
  const text = await readConfigText(absolute);
  const parsed = parseSource({ file: absolute, text, format: 'json' });
  if (!parsed.ok) throw new ConfigError(absolute, parsed.issues);
  const { source } = parsed;
  const result = ConfigSchema.safeParse(source.value);
  const credentials = urlCredentialIssues(absolute, source);
  const refused = new Set(credentials.map((issue) => issue.path));
  const issues: ConfigIssue[] = [
    ...credentials,
    // A schema issue at a refused URL could quote it back: the credentials issue is the only one there.
    ...(result.success ? [] : schemaIssues(absolute, source, result.error.issues)).filter((i) => !refused.has(i.path)),
  ];
  const secrets = resolveSecrets({ file: absolute, source, env: options.env ?? process.env });
  issues.push(...secrets.issues);
  if (!result.success || issues.length > 0) throw new ConfigError(absolute, sortIssues(issues));
  const baseDir = path.dirname(absolute);
  const values = secrets.values;
  return {
    config: result.data,
    file: absolute,
    baseDir,
    resolvePath: (relative) => path.resolve(baseDir, relative),
    secret: (secretPath) => {
      const value = values.get(secretPath);
      if (value === undefined)
        throw new SyncError(`the config has no secret at ${secretPath}`, {
          code: 'secret_unavailable',
          kind: 'config',
          details: { path: secretPath },
        });
      return value;
    },
    alertTargets: () => alertTargetsOf(result.data.alerts, values),
  };
}

/**
 * Every string in the config that parses as a URL with user-info (`http://user:TOKEN@host`) is refused: a
 * credential there would be printed, logged and stored with the URL. The issue names the path and line and
 * never quotes the value. This covers every URL field of every connector's schema without naming them.
 */
function urlCredentialIssues(file: string, source: ParsedSource): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const visit = (value: unknown, at: PathSegment[]): void => {
    if (typeof value === 'string') {
      if (hasUserInfo(value))
        issues.push({
          file,
          path: formatPath(at),
          line: source.lineOf(at),
          message: 'this URL carries credentials (user-info before "@"); they would be printed, logged and stored',
          fix: 'remove the user name and password before "@" from the URL (and rotate that credential if the file was shared); credentials are read from environment variables only, through the CRM\'s {"env": ...} settings',
        });
      return;
    }
    if (Array.isArray(value)) value.forEach((item, i) => visit(item, [...at, i]));
    else if (typeof value === 'object' && value !== null)
      for (const [key, item] of Object.entries(value)) visit(item, [...at, key]);
  };
  visit(source.value, []);
  return issues;
}

function hasUserInfo(text: string): boolean {
  if (!/^\s*[a-z][a-z0-9+.-]*:\/\//i.test(text) || !text.includes('@')) return false;
  const url = URL.parse(text.trim());
  return url !== null && (url.username !== '' || url.password !== '');
}

function schemaIssues(
  file: string,
  source: ParsedSource,
  zodIssues: Parameters<typeof issuesFromZod>[0],
): ConfigIssue[] {
  return issuesFromZod(zodIssues, {
    file,
    source,
    schema: configJsonSchema(),
    isSecret: isSecretPath,
    explain: (issuePath) => secretIssueText(issuePath, valueAt(source.value, issuePath)),
  });
}

async function readConfigText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const issue: ConfigIssue =
      code === 'ENOENT'
        ? {
            file,
            path: '',
            message: 'the config file does not exist',
            fix: 'check the path given to --config, or create the file from config.example.json',
          }
        : code === 'EISDIR'
          ? {
              file,
              path: '',
              message: 'this is a directory, not a config file',
              fix: 'pass the path of the JSON config file to --config',
            }
          : {
              file,
              path: '',
              message: `the config file cannot be read (${code ?? 'unknown error'})`,
              fix: "check the file's permissions",
            };
    throw new ConfigError(file, [issue]);
  }
}

/** Which CRM a config syncs with (the schema allows exactly one, among the registry's). */
export function configSystem(loaded: LoadedConfig): CrmSystem {
  return configuredCrm(loaded.config.crm).entry.id;
}
