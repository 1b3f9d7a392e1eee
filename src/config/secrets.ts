import { crmEntries } from '../../connectors/crm-registry.ts';
import { usageSourceEntries } from '../../connectors/usage-registry.ts';
import type { ConfigIssue } from '../errors.ts';
import { formatPath } from './issues.ts';
import { valueAt } from './issue-text.ts';
import { SecretRefSchema, type Config } from './schema.ts';
import type { ParsedSource, PathSegment } from './source.ts';

/**
 * Every place in the config that holds a secret reference. Listed here rather than discovered from the
 * schema so that a new secret is a deliberate change: the loader refuses literals at these paths and
 * never quotes what it finds there. The per-owner Slack webhooks are the one dynamic family (see
 * OWNER_WEBHOOKS): their paths depend on the owner ids the file lists.
 */
export function secretList(): readonly {
  readonly path: readonly string[];
  readonly env: string;
  readonly placeholder: string;
}[] {
  return [
    // Each CRM lists its own secret references in the registry (asked each time: tests register CRMs).
    ...crmEntries().flatMap((entry) => entry.secrets),
    ...usageSecrets(),
    {
      path: ['alerts', 'slack', 'webhookUrl'],
      env: 'SLACK_WEBHOOK_URL',
      placeholder: '<the Slack incoming-webhook URL of the channel>',
    },
    {
      path: ['alerts', 'webhook', 'url'],
      env: 'ALERT_WEBHOOK_URL',
      placeholder: '<the URL that receives alerts as JSON>',
    },
  ];
}

/**
 * Each usage source lists the config paths of its secrets (`usage.apiKey`); two sources may share a path
 * (`usage.password`), which is resolved once. The variable name is only a suggestion for messages.
 */
function usageSecrets(): { readonly path: readonly string[]; readonly env: string; readonly placeholder: string }[] {
  const paths = new Map<string, string>();
  for (const entry of usageSourceEntries())
    for (const path of entry.secrets) if (!paths.has(path)) paths.set(path, entry.label);
  return [...paths].map(([path, label]) => {
    const key = path.slice('usage.'.length);
    const env = `${label.replace(/[^A-Za-z0-9]+/g, '_')}_${key.replace(/([a-z])([A-Z])/g, '$1_$2')}`.toUpperCase();
    return { path: path.split('.'), env, placeholder: `<the ${label} ${key}>` };
  });
}

/** `alerts.slack.ownerWebhooks.<owner id>`: one Slack incoming webhook per CRM owner. */
const OWNER_WEBHOOKS = ['alerts', 'slack', 'ownerWebhooks'] as const;
const OWNER_PLACEHOLDER = "<the owner's Slack incoming-webhook URL>";

/** Objects that only hold webhook URLs: a string written in their place is a pasted URL, never quoted. */
const URL_HOLDERS: readonly (readonly string[])[] = [
  ['alerts', 'slack'],
  ['alerts', 'webhook'],
];

export type OwnerWebhookPath = `alerts.slack.ownerWebhooks.${string}`;
/** `crm.<id>.…`: a CRM's secrets are the registry's to list. */
export type CrmSecretPath = `crm.${string}`;
/** `usage.…`: a usage source's secrets are the usage registry's to list. */
export type UsageSecretPath = `usage.${string}`;
export type SecretPath =
  CrmSecretPath | UsageSecretPath | 'alerts.slack.webhookUrl' | 'alerts.webhook.url' | OwnerWebhookPath;

/** The secret path of one owner's Slack webhook, as `secret()` takes it. */
export function ownerWebhookPath(ownerId: string): OwnerWebhookPath {
  return `alerts.slack.ownerWebhooks.${ownerId}`;
}

/** Where alerts are posted, resolved from the environment. Every URL here is a secret: never log it. */
export interface AlertTargets {
  readonly slack?: { readonly channelUrl: string; readonly ownerUrls: Readonly<Record<string, string>> };
  readonly webhookUrl?: string;
}

interface SecretSpec {
  readonly path: readonly PathSegment[];
  /** The name `secret()` takes; undefined only for specs built while explaining an issue. */
  readonly key?: SecretPath;
  readonly env: string;
  readonly placeholder: string;
}

const startsWith = (path: readonly PathSegment[], prefix: readonly PathSegment[]): boolean =>
  prefix.length <= path.length && prefix.every((segment, i) => path[i] === segment);

/** A variable name to suggest for an owner's webhook: `SLACK_WEBHOOK_OWNER_005XX0000012345`. */
function ownerEnvName(ownerId: string): string {
  return `SLACK_WEBHOOK_OWNER_${ownerId.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
}

/** The secret whose reference sits at or above `path`, static or per owner. */
function secretSpecAt(path: readonly PathSegment[]): SecretSpec | undefined {
  const fixed = secretList().find((s) => startsWith(path, s.path));
  if (fixed) return fixed;
  const owner = path[OWNER_WEBHOOKS.length];
  if (!startsWith(path, OWNER_WEBHOOKS) || owner === undefined) return undefined;
  return { path: [...OWNER_WEBHOOKS, owner], env: ownerEnvName(String(owner)), placeholder: OWNER_PLACEHOLDER };
}

/** Paths whose values are never quoted back: secret references and the objects that hold webhook URLs. */
export function isSecretPath(path: readonly PathSegment[]): boolean {
  return secretSpecAt(path) !== undefined || URL_HOLDERS.some((holder) => startsWith(path, holder));
}

export interface ResolvedSecrets {
  readonly values: Map<SecretPath, string>;
  readonly issues: ConfigIssue[];
}

interface ResolveOptions {
  readonly file: string;
  readonly source: ParsedSource;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * Reads each `{"env": "NAME"}` reference from the environment. Runs whether or not the rest of the file
 * is valid, so a first run reports the unset variable together with every other problem.
 */
export function resolveSecrets(options: ResolveOptions): ResolvedSecrets {
  const values = new Map<SecretPath, string>();
  const issues: ConfigIssue[] = [];
  const specs: SecretSpec[] = [
    ...secretList().map((s) => ({ ...s, key: formatPath(s.path) as SecretPath })),
    ...ownerSecrets(options.source),
  ];
  for (const secret of specs) {
    const resolved = resolveOne(options, secret);
    if (resolved === undefined) continue;
    if (typeof resolved === 'string' && secret.key !== undefined) values.set(secret.key, resolved);
    else if (typeof resolved !== 'string') issues.push(resolved);
  }
  return { values, issues };
}

/** The owner webhooks the file lists, one spec per owner id. */
function ownerSecrets(source: ParsedSource): SecretSpec[] {
  const map = valueAt(source.value, OWNER_WEBHOOKS);
  if (map === null || typeof map !== 'object' || Array.isArray(map)) return [];
  return Object.keys(map).map((ownerId) => ({
    path: [...OWNER_WEBHOOKS, ownerId],
    key: ownerWebhookPath(ownerId),
    env: ownerEnvName(ownerId),
    placeholder: OWNER_PLACEHOLDER,
  }));
}

/** The value, an issue for an unset or empty variable, or undefined when the schema reports the reference. */
function resolveOne(options: ResolveOptions, secret: SecretSpec): string | ConfigIssue | undefined {
  const ref = SecretRefSchema.safeParse(valueAt(options.source.value, secret.path));
  if (!ref.success) return undefined; // the schema reports a missing, literal or malformed reference
  const value = options.env[ref.data.env];
  if (value !== undefined && value !== '') return value;
  const state = value === undefined ? 'is not set' : 'is empty';
  return {
    file: options.file,
    path: `${formatPath(secret.path)}.env`,
    message: `environment variable ${ref.data.env} ${state}`,
    fix: `export ${ref.data.env}=${secret.placeholder}`,
    line: options.source.lineOf([...secret.path, 'env']),
  };
}

/** The alert destinations of a valid config, with their URLs from the resolved secrets. */
export function alertTargetsOf(alerts: Config['alerts'], values: ReadonlyMap<SecretPath, string>): AlertTargets {
  const channelUrl = values.get('alerts.slack.webhookUrl');
  const webhookUrl = values.get('alerts.webhook.url');
  const ownerUrls = Object.fromEntries(
    Object.keys(alerts.slack?.ownerWebhooks ?? {}).flatMap((ownerId) => {
      const url = values.get(ownerWebhookPath(ownerId));
      return url === undefined ? [] : [[ownerId, url] as const];
    }),
  );
  return {
    ...(alerts.slack && channelUrl !== undefined ? { slack: { channelUrl, ownerUrls } } : {}),
    ...(alerts.webhook && webhookUrl !== undefined ? { webhookUrl } : {}),
  };
}

/** The issue zod reports at a secret path is replaced: it must never echo what was written there. */
export function secretIssueText(
  path: readonly PathSegment[],
  raw: unknown,
): { readonly message: string; readonly fix: string } | undefined {
  const secret = secretSpecAt(path);
  if (!secret) return urlHolderText(path, raw);
  const variable = secret.env;
  const ref = `{"env": "${variable}"}`;
  if (path.length === secret.path.length) {
    if (raw === undefined)
      return {
        message: `missing required key "${String(path.at(-1))}"`,
        fix: `add ${ref} and export ${variable}=${secret.placeholder}`,
      };
    if (typeof raw === 'string') {
      return {
        message: 'a secret is written in the config file; secrets are read from environment variables only',
        fix: `remove it from the file (and rotate it if the file was shared), export ${variable}=${secret.placeholder}, and write ${ref} here`,
      };
    }
  }
  if (path.length === secret.path.length + 1 && path.at(-1) === 'env') {
    return {
      message:
        'this is not an environment variable name (capital letters, digits and _); it names the variable and never holds the secret itself',
      fix: `write ${ref} and export ${variable}=${secret.placeholder}`,
    };
  }
  return undefined;
}

/** A URL pasted where an object of webhook references belongs (`"webhook": "https://..."`). */
function urlHolderText(
  path: readonly PathSegment[],
  raw: unknown,
): { readonly message: string; readonly fix: string } | undefined {
  if (typeof raw !== 'string') return undefined;
  const literal = 'a secret is written in the config file; webhook URLs are read from environment variables only';
  if (formatPath(path) === 'alerts.webhook')
    return {
      message: literal,
      fix: 'remove it from the file (and rotate it if the file was shared), export ALERT_WEBHOOK_URL=<the URL>, and write {"url": {"env": "ALERT_WEBHOOK_URL"}} here',
    };
  if (formatPath(path) === 'alerts.slack')
    return {
      message: literal,
      fix: 'remove it from the file (and rotate it if the file was shared), export SLACK_WEBHOOK_URL=<the URL>, and write {"webhookUrl": {"env": "SLACK_WEBHOOK_URL"}} here',
    };
  if (formatPath(path) === 'alerts.slack.ownerWebhooks')
    return {
      message: literal,
      fix: 'write {"<owner id>": {"env": "SLACK_WEBHOOK_OWNER_<ID>"}} here and export each variable',
    };
  return undefined;
}
