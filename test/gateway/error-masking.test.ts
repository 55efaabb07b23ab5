// Which errors a client may read (unit level; federation.test.ts covers them end to end).
import { describe, expect, it } from 'vitest';
import { formatError } from '../../gateway/error-masking.js';

describe('formatError', () => {
  it('keeps a public code with its message, path and safe extensions only', () => {
    expect(
      formatError({
        message: 'Fields owned by the ERP: creditLimit',
        path: ['updateAccount'],
        locations: [{ line: 1, column: 3 }],
        extensions: {
          code: 'FIELD_OWNED_BY_OTHER_SYSTEM',
          fields: [{ field: 'creditLimit', owner: 'ERP' }],
          serviceName: 'salesforce',
          stacktrace: ['Error: at x.ts:1'],
        },
      }),
    ).toEqual({
      message: 'Fields owned by the ERP: creditLimit',
      path: ['updateAccount'],
      extensions: { code: 'FIELD_OWNED_BY_OTHER_SYSTEM', fields: [{ field: 'creditLimit', owner: 'ERP' }] },
    });
  });

  it('masks unknown codes and codeless errors, keeping the path', () => {
    for (const extensions of [{ code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: 'erp' }, {}, { code: 'ECONNREFUSED' }]) {
      expect(formatError({ message: 'connect ECONNREFUSED 10.0.0.7:5432', path: ['a', 0, 'b'], extensions })).toEqual({
        message: 'Internal server error',
        path: ['a', 0, 'b'],
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      });
    }
  });

  it('replaces the message of an INTERNAL_SERVER_ERROR too', () => {
    expect(
      formatError({ message: 'SOQL: SELECT Id FROM Account', extensions: { code: 'INTERNAL_SERVER_ERROR' } }),
    ).toEqual({
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  it('keeps request errors of the gateway itself, with locations', () => {
    const error = {
      message: 'Syntax Error: Expected Name, found "}".',
      locations: [{ line: 1, column: 3 }],
      extensions: { code: 'GRAPHQL_PARSE_FAILED' },
    };
    expect(formatError(error)).toEqual(error);
  });

  it('masks request errors a subgraph reports: the gateway built that request, the client cannot fix it', () => {
    expect(
      formatError({
        message: 'Cannot query field "secretField" on type "Account".',
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED', serviceName: 'erp' },
      }),
    ).toEqual({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });

  it('lets BAD_USER_INPUT from a subgraph through when it names the argument (e.g. a malformed Salesforce id)', () => {
    expect(
      formatError({
        message: 'Not a Salesforce id: "x"',
        path: ['account'],
        extensions: { code: 'BAD_USER_INPUT', argumentName: 'id', serviceName: 'salesforce' },
      }),
    ).toEqual({
      message: 'Not a Salesforce id: "x"',
      path: ['account'],
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  it("masks a subgraph's BAD_USER_INPUT without argumentName: variable coercion of the gateway's own subgraph operation", () => {
    expect(
      formatError({
        message:
          'Variable "$representations" got invalid value { __typename: "Account", id: "001SECRET" } at "representations[0]".',
        extensions: { code: 'BAD_USER_INPUT', serviceName: 'erp' },
      }),
    ).toEqual({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    // The gateway's own BAD_USER_INPUT (the client's variables) still passes.
    const own = { message: 'Variable "$first" got invalid value "x".', extensions: { code: 'BAD_USER_INPUT' } };
    expect(formatError(own)).toEqual(own);
  });
});
