// What a failed Apex call means for the record page. C360AccountGraphController throws
// AuraHandledException whose message is JSON (C360Failures.cls):
//   { code, message, detail, fields, correlationId }
// The components branch on code and show message; anything else that reaches them (a platform
// error, a lost connection) is reported with the client-side code UNEXPECTED and its own text.

export const UNEXPECTED = 'UNEXPECTED';

/** Codes after which the record page shows its forbidden state rather than an error. */
const FORBIDDEN_CODES = new Set(['FORBIDDEN', 'NO_ROLE']);

/**
 * @param {unknown} error What an imperative Apex call rejected with ({ body: { message } }).
 * @returns {{ code: string, message: string, detail: string, fields: string[], correlationId: string, forbidden: boolean }}
 */
export function failureOf(error) {
  const text = messageOf(error);
  let parsed = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }
  if (parsed && typeof parsed === 'object' && typeof parsed.code === 'string') {
    return {
      code: parsed.code,
      message: typeof parsed.message === 'string' ? parsed.message : parsed.code,
      detail: typeof parsed.detail === 'string' ? parsed.detail : '',
      fields: Array.isArray(parsed.fields) ? parsed.fields.filter((field) => typeof field === 'string') : [],
      correlationId: typeof parsed.correlationId === 'string' ? parsed.correlationId : '',
      forbidden: FORBIDDEN_CODES.has(parsed.code),
    };
  }
  return {
    code: UNEXPECTED,
    message: 'Salesforce could not complete the request.',
    detail: text,
    fields: [],
    correlationId: '',
    forbidden: false,
  };
}

function messageOf(error) {
  if (!error) return '';
  if (typeof error === 'string') return error;
  const body = error.body;
  if (body && typeof body.message === 'string') return body.message;
  if (Array.isArray(body) && body[0] && typeof body[0].message === 'string') return body[0].message;
  return typeof error.message === 'string' ? error.message : '';
}
