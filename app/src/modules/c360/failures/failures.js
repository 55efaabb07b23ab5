// @ts-check
// What to tell the user about a result's errors, by `extensions.code` (README, "Errors clients can
// rely on"). Messages from the gateway are shown as details only: codes decide.
import { NETWORK_ERROR, errorCodes } from 'c360/graphqlClient';

/**
 * @typedef {object} Failure
 * @property {'error' | 'warning'} kind
 * @property {string} message
 * @property {string[]} details
 * @property {string} correlationId
 */

/** @type {Record<string, string>} */
const MESSAGES = {
  FORBIDDEN: 'Your role may not do this (FORBIDDEN).',
  NOT_FOUND: 'Not found (NOT_FOUND).',
  ERP_UNAVAILABLE: 'The ERP is unavailable (ERP_UNAVAILABLE): its data cannot be read right now. Try again shortly.',
  SALESFORCE_UNAVAILABLE: 'Salesforce is unavailable (SALESFORCE_UNAVAILABLE). Try again shortly.',
  MUTATION_OUTCOME_UNKNOWN:
    'The change may or may not have been made: its answer was lost (MUTATION_OUTCOME_UNKNOWN). Retry the same action: it is not done twice.',
  [NETWORK_ERROR]: 'The gateway could not be reached. Check your connection and try again.',
  PERSISTED_QUERY_NOT_FOUND:
    'The gateway does not know this console’s operations (PERSISTED_QUERY_NOT_FOUND): the console and the gateway come from different builds.',
  PERSISTED_QUERY_REQUIRED: 'Your role may run only the published operations (PERSISTED_QUERY_REQUIRED).',
  COST_LIMIT_EXCEEDED: 'The request asks for too much at once (COST_LIMIT_EXCEEDED).',
  DEPTH_LIMIT_EXCEEDED: 'The request is nested too deeply (DEPTH_LIMIT_EXCEEDED).',
  BAD_USER_INPUT: 'The request was not valid (BAD_USER_INPUT).',
};

/**
 * @param {{ errors: ReadonlyArray<import('c360/graphqlClient').GraphqlError>, correlationId: string | null }} result
 * @param {string} fallback The message when no known code explains the failure.
 * @returns {Failure}
 */
export function describeFailure(result, fallback) {
  const codes = [...errorCodes(result)];
  const known = codes.find((code) => code in MESSAGES);
  const degraded = codes.every((code) => code === 'ERP_UNAVAILABLE' || code === 'SALESFORCE_UNAVAILABLE');
  return {
    kind: degraded && codes.length > 0 ? 'warning' : 'error',
    message: known ? /** @type {string} */ (MESSAGES[known]) : `${fallback} (${codes.join(', ') || 'no error code'})`,
    details: [...new Set(result.errors.map((error) => error.message))],
    correlationId: result.correlationId ?? '',
  };
}
