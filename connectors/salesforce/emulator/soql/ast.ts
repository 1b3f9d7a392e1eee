/** The parsed form of a query in the supported SOQL subset (https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select.htm). */

/** A field reference such as `Name` or `Owner.Name`, as typed. */
export interface FieldPath {
  readonly segments: readonly string[];
  readonly position: number;
}

export type Literal =
  | { readonly kind: 'string'; readonly raw: string; readonly position: number }
  | { readonly kind: 'number'; readonly value: number; readonly position: number }
  | { readonly kind: 'boolean'; readonly value: boolean; readonly position: number }
  | { readonly kind: 'null'; readonly position: number }
  | { readonly kind: 'date'; readonly value: number; readonly text: string; readonly position: number }
  | { readonly kind: 'datetime'; readonly value: number; readonly text: string; readonly position: number }
  | { readonly kind: 'relative'; readonly name: string; readonly n: number; readonly position: number };

export type ComparisonOperator = '=' | '!=' | '<' | '>' | '<=' | '>=';

export type Condition =
  | {
      readonly kind: 'compare';
      readonly field: FieldPath;
      readonly operator: ComparisonOperator;
      readonly value: Literal;
    }
  | { readonly kind: 'like'; readonly field: FieldPath; readonly pattern: Literal }
  | { readonly kind: 'in'; readonly field: FieldPath; readonly negated: boolean; readonly values: readonly Literal[] }
  | { readonly kind: 'and' | 'or'; readonly items: readonly Condition[] }
  | { readonly kind: 'not'; readonly item: Condition };

export interface OrderKey {
  readonly field: FieldPath;
  readonly descending: boolean;
  readonly nullsFirst: boolean;
}

export interface Query {
  /** Empty for `SELECT COUNT()`. */
  readonly fields: readonly FieldPath[];
  readonly count: boolean;
  readonly object: string;
  readonly objectPosition: number;
  readonly where: Condition | undefined;
  readonly orderBy: readonly OrderKey[];
  readonly limit: number | undefined;
  readonly offset: number | undefined;
}
