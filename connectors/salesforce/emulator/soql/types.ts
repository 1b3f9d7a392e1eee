/** What the SOQL engine needs from the emulator: a schema (describe) and the live records. */
export type SoqlFieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'picklist'
  | 'multipicklist'
  | 'reference'
  | 'double'
  | 'currency'
  | 'percent'
  | 'int'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'email'
  | 'url'
  | 'phone';

export interface SoqlField {
  readonly name: string;
  readonly type: SoqlFieldType;
  readonly referenceTo?: readonly string[];
  readonly relationshipName?: string;
}

export interface SoqlSchema {
  /** Field by API name, case-insensitive (Salesforce names are case-insensitive); undefined when the object has no such field. */
  field(object: string, name: string): SoqlField | undefined;
  /** True when the sObject exists. Object names are case-insensitive. */
  hasObject(object: string): boolean;
  /** The canonical spelling of an object name ("account" -> "Account"). */
  objectName(object: string): string;
}

export interface SoqlData {
  /** Every live record of the object; values keyed by canonical field API name; dates 'YYYY-MM-DD', datetimes ISO 'YYYY-MM-DDThh:mm:ss.sssZ', numbers as numbers, booleans as booleans, null for empty. */
  records(object: string): Iterable<Readonly<Record<string, unknown>>>;
  byId(id: string): { readonly object: string; readonly record: Readonly<Record<string, unknown>> } | undefined;
}

export interface SoqlContext {
  readonly schema: SoqlSchema;
  readonly data: SoqlData;
  readonly now: Date;
  /** Decorates each returned record (top-level and nested relationship objects) with `attributes`. */
  readonly attributes: (object: string, id: string) => { readonly type: string; readonly url: string };
}

export interface SoqlResult {
  readonly object: string;
  readonly records: ReadonlyArray<Record<string, unknown>>;
  /** `records.length`, except for `SELECT COUNT()`, where records is empty and this is the count. */
  readonly totalSize: number;
}
