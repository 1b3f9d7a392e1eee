/** The error codes Salesforce returns for a bad query (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm). */
export type SoqlErrorCode = 'MALFORMED_QUERY' | 'INVALID_FIELD' | 'INVALID_TYPE';

/** A query Salesforce would reject with `400 [{ message, errorCode }]`. */
export class SoqlError extends Error {
  readonly errorCode: SoqlErrorCode;

  constructor(errorCode: SoqlErrorCode, message: string) {
    super(message);
    this.name = 'SoqlError';
    this.errorCode = errorCode;
  }
}

/**
 * Salesforce prefixes query errors with the offending line, a caret and `ERROR at Row:r:Column:c`
 * (e.g. "SELECT Foo FROM Account\n       ^\nERROR at Row:1:Column:8\nNo such column 'Foo' on entity 'Account'. ...").
 */
export function locatedError(code: SoqlErrorCode, soql: string, position: number, message: string): SoqlError {
  const before = soql.slice(0, position);
  const row = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineEnd = soql.indexOf('\n', position);
  const line = soql.slice(lineStart, lineEnd === -1 ? soql.length : lineEnd);
  const column = position - lineStart + 1;
  const caret = `${' '.repeat(column - 1)}^`;
  return new SoqlError(code, `${line}\n${caret}\nERROR at Row:${row}:Column:${column}\n${message}`);
}
