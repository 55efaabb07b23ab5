// How a subgraph reports a backend failure to its client (subgraphs/shared/errors.ts), unit level.
import { describe, expect, it } from 'vitest';
import { BackendError } from '../../lib/backend-error.js';
import { formatSubgraphError } from '../../subgraphs/shared/errors.js';

// The error as formatError receives it, unwrapped (unwrapResolverError hands a non-GraphQLError back as is).
const resolverError = (original: Error) => original;

describe('formatSubgraphError', () => {
  it('an answer we cannot read (an ERP maintenance page served with 200) is ERP_UNAVAILABLE, not INTERNAL_SERVER_ERROR', () => {
    const original = new BackendError(
      'erp',
      'invalid_response',
      'Business Central customersByNumbers: response is not JSON',
    );
    const error = resolverError(original);
    expect(formatSubgraphError({ message: error.message, path: ['customer'] }, error)).toEqual({
      message: 'The ERP is unavailable; try again later.',
      path: ['customer'],
      locations: undefined,
      extensions: { code: 'ERP_UNAVAILABLE' },
    });
  });

  it('a request the backend rejected stays masked', () => {
    const error = resolverError(new BackendError('erp', 'rejected', 'HTTP 400 BadRequest: secret detail'));
    expect(formatSubgraphError({ message: error.message }, error)).toMatchObject({
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });
});
