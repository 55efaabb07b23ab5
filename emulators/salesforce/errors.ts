// Salesforce's REST error shape: every failure is a JSON array of `{ message, errorCode, fields? }`
// with an HTTP status (docs: api_rest "Status Codes and Error Responses"), never HTML and never a
// stack trace. jsforce turns a one-element array into an error carrying `errorCode` and `message`,
// and two or more into MULTIPLE_API_ERRORS (shared/reference/salesforce-rest-and-jsforce.md).

export interface ApiErrorItem {
  message: string;
  errorCode: string;
  fields?: string[];
}

/** An API call that fails as a whole: thrown by handlers, answered by the dispatcher. */
export class SfApiError extends Error {
  readonly errors: ApiErrorItem[];

  constructor(
    readonly status: number,
    errorCode: string,
    message: string,
    fields?: string[],
  ) {
    super(message);
    this.name = 'SfApiError';
    this.errors = [{ message, errorCode, ...(fields ? { fields } : {}) }];
  }
}

/**
 * One record's failure inside a DML call. Single-record routes answer it as an API error; the
 * collection routes report it per item as `{ statusCode, message, fields }` (SaveResult.errors).
 */
export class DmlError extends Error {
  constructor(
    readonly statusCode: string,
    message: string,
    readonly fields: string[] = [],
  ) {
    super(message);
    this.name = 'DmlError';
  }

  toApiError(status = 400): SfApiError {
    return new SfApiError(status, this.statusCode, this.message, this.fields);
  }

  toSaveError(): { statusCode: string; message: string; fields: string[] } {
    return { statusCode: this.statusCode, message: this.message, fields: this.fields };
  }
}

export const notFound = () => new SfApiError(404, 'NOT_FOUND', 'The requested resource does not exist');

export const invalidSession = () => new SfApiError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');

export const malformedQuery = (message: string) => new SfApiError(400, 'MALFORMED_QUERY', message);

/** Salesforce's wording for an unknown column (INVALID_FIELD), in SOQL and in ?fields= lists. */
export const noSuchColumn = (field: string, objectName: string) =>
  new SfApiError(
    400,
    'INVALID_FIELD',
    `No such column '${field}' on entity '${objectName}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
  );

export const unsupportedType = (objectName: string) =>
  new SfApiError(400, 'INVALID_TYPE', `sObject type '${objectName}' is not supported.`);

/** The error code Salesforce uses for a status the emulator is told to fail with (fault injection). */
export function codeForStatus(status: number): string {
  switch (status) {
    case 400:
      return 'BAD_REQUEST';
    case 401:
      return 'INVALID_SESSION_ID';
    case 403:
      return 'REQUEST_LIMIT_EXCEEDED';
    case 404:
      return 'NOT_FOUND';
    case 405:
      return 'METHOD_NOT_ALLOWED';
    case 409:
      return 'CONFLICT';
    case 415:
      return 'UNSUPPORTED_MEDIA_TYPE';
    case 429:
      return 'REQUEST_LIMIT_EXCEEDED';
    case 503:
      return 'SERVER_UNAVAILABLE';
    default:
      return status >= 500 ? 'UNKNOWN_EXCEPTION' : 'BAD_REQUEST';
  }
}
