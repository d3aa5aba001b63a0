/**
 * SOQL failures, worded and laid out like the real query service so the sf CLI and jsforce show what a
 * developer would see against a real org: the offending query line, a caret, `ERROR at Row:r:Column:c`,
 * then the detail sentence.
 */
export type SoqlErrorCode = 'MALFORMED_QUERY' | 'INVALID_FIELD' | 'INVALID_TYPE';

export interface SoqlPosition {
  /** The full query text the offset points into. */
  text: string;
  /** 0-based character offset. */
  offset: number;
}

export class SoqlError extends Error {
  errorCode: SoqlErrorCode;
  /** The sentence without the query excerpt, e.g. "unexpected token: 'FROM'". */
  detail: string;
  /** 1-based; undefined when the error has no position in the text. */
  row: number | undefined;
  column: number | undefined;

  constructor(errorCode: SoqlErrorCode, detail: string, position?: SoqlPosition) {
    let row: number | undefined;
    let column: number | undefined;
    let message = detail;
    if (position) {
      const before = position.text.slice(0, position.offset);
      const lineStart = before.lastIndexOf('\n') + 1;
      row = before.split('\n').length;
      column = position.offset - lineStart + 1;
      const lineEnd = position.text.indexOf('\n', lineStart);
      const lineText = position.text.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
      message = `\n${lineText}\n${' '.repeat(column - 1)}^\nERROR at Row:${row}:Column:${column}\n${detail}`;
    }
    super(message);
    this.name = 'SoqlError';
    this.errorCode = errorCode;
    this.detail = detail;
    this.row = row;
    this.column = column;
  }
}

export function unknownObjectMessage(name: string): string {
  return (
    `sObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to ` +
    `append the '__c' after the entity name. Please reference your WSDL or the describe call for the ` +
    `appropriate names.`
  );
}

export function unknownFieldMessage(field: string, entity: string): string {
  return (
    `No such column '${field}' on entity '${entity}'. If you are attempting to use a custom field, be sure ` +
    `to append the '__c' after the custom field name. Please reference your WSDL or the describe call for ` +
    `the appropriate names.`
  );
}

export function unknownRelationshipMessage(relationship: string): string {
  return (
    `Didn't understand relationship '${relationship}' in field path. If you are attempting to use a custom ` +
    `relationship, be sure to append the '__r' after the custom relationship name. Please reference your ` +
    `WSDL or the describe call for the appropriate names.`
  );
}
