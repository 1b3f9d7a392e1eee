import type { ExpectedProblem } from './crm-adapter.ts';

/** The messages `mappings check` prints, spelled out once for both CRMs' expected problems. */
export const problem = (file: ExpectedProblem['file'], rule: ExpectedProblem['rule'], field: string, message: string) =>
  ({ file, rule, field, message }) satisfies ExpectedProblem;

export const picklistLacks = (field: string, value: string): string =>
  `${field}'s picklist lacks "${value}", which the worker writes`;

export const enumMapsMissing = (field: string, value: string): string =>
  `enum maps "${value}", which ${field}'s picklist does not have`;

export const readOnly = (field: string): string => `${field} is read-only for the integration user (not updateable)`;

export const notAWholeNumber = (field: string, type: string): string =>
  `licensedSeats needs a whole number, but ${field} is a date field (${type})`;

export const missing = (field: string, object: string): string => `${field} does not exist on ${object}`;

export const cutToFit = (field: string, holds: number, from: string, upTo: number): string =>
  `${field} holds ${holds} characters; ${from} can be up to ${upTo}, so longer values are cut to fit`;

/** The last line of a failed check; `counts` is a regex source such as `5 errors, 1 warnings, 9 notes`. */
export const failedSummary = (counts: string): RegExp =>
  new RegExp(`^${counts}\\. A run would switch off the rules with errors and go on without them\\.$`, 'm');
