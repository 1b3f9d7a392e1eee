import type { ConfigIssue } from '../errors.ts';
import { formatPath } from './issues.ts';
import { valueAt } from './issue-text.ts';
import { SecretRefSchema } from './schema.ts';
import type { ParsedSource, PathSegment } from './source.ts';

/**
 * Every place in the config that holds a secret reference. Listed here rather than discovered from the
 * schema so that a new secret is a deliberate change: the loader refuses literals at these paths and
 * never quotes what it finds there.
 */
export const SECRETS = [
  { path: ['crm', 'hubspot', 'token'], env: 'HUBSPOT_TOKEN', placeholder: '<your private app token>' },
  { path: ['crm', 'salesforce', 'auth', 'clientSecret'], env: 'SALESFORCE_CLIENT_SECRET', placeholder: '<the consumer secret>' },
  { path: ['crm', 'salesforce', 'auth', 'privateKey'], env: 'SALESFORCE_PRIVATE_KEY', placeholder: '"$(cat server.key)"' },
] as const;

export type SecretPath = 'crm.hubspot.token' | 'crm.salesforce.auth.clientSecret' | 'crm.salesforce.auth.privateKey';

export function isSecretPath(path: readonly PathSegment[]): boolean {
  return SECRETS.some((s) => s.path.every((segment, i) => path[i] === segment));
}

export interface ResolvedSecrets {
  readonly values: Map<SecretPath, string>;
  readonly issues: ConfigIssue[];
}

/**
 * Reads each `{"env": "NAME"}` reference from the environment. Runs whether or not the rest of the file
 * is valid, so a first run reports the unset variable together with every other problem.
 */
export function resolveSecrets(options: { readonly file: string; readonly source: ParsedSource; readonly env: NodeJS.ProcessEnv }): ResolvedSecrets {
  const values = new Map<SecretPath, string>();
  const issues: ConfigIssue[] = [];
  for (const secret of SECRETS) {
    const raw = valueAt(options.source.value, secret.path);
    const name = formatPath(secret.path) as SecretPath;
    const ref = SecretRefSchema.safeParse(raw);
    if (!ref.success) continue; // the schema reports a missing, literal or malformed reference
    const value = options.env[ref.data.env];
    if (value === undefined || value === '') {
      const state = value === undefined ? 'is not set' : 'is empty';
      issues.push({ file: options.file, path: `${name}.env`, message: `environment variable ${ref.data.env} ${state}`, fix: `export ${ref.data.env}=${secret.placeholder}`, line: options.source.lineOf([...secret.path, 'env']) });
      continue;
    }
    values.set(name, value);
  }
  return { values, issues };
}


/** The issue zod reports at a secret path is replaced: it must never echo what was written there. */
export function secretIssueText(path: readonly PathSegment[], raw: unknown): { readonly message: string; readonly fix: string } | undefined {
  const secret = SECRETS.find((s) => s.path.length <= path.length && s.path.every((segment, i) => path[i] === segment));
  if (!secret) return undefined;
  const variable = secret.env;
  const ref = `{"env": "${variable}"}`;
  if (path.length === secret.path.length) {
    if (raw === undefined) return { message: `missing required key "${String(path.at(-1))}"`, fix: `add ${ref} and export ${variable}=${secret.placeholder}` };
    if (typeof raw === 'string') {
      return {
        message: 'a secret is written in the config file; secrets are read from environment variables only',
        fix: `remove it from the file (and rotate it if the file was shared), export ${variable}=${secret.placeholder}, and write ${ref} here`,
      };
    }
  }
  if (path.length === secret.path.length + 1 && path.at(-1) === 'env') {
    return { message: 'this is not an environment variable name (capital letters, digits and _); it names the variable and never holds the secret itself', fix: `write ${ref} and export ${variable}=${secret.placeholder}` };
  }
  return undefined;
}
