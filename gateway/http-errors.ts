// Answers for requests that never reach GraphQL execution (unknown routes, unreadable bodies,
// unexpected failures): always JSON in the GraphQL error shape, never Express's HTML page or a stack.
import { ApolloServerErrorCode } from '@apollo/server/errors';
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { ErrorCode } from '../lib/error-codes.js';
import type { Logger } from '../lib/logger.js';
import { correlationIdOf } from './correlation.js';

function sendError(res: Response, status: number, code: string, message: string): void {
  res
    .status(status)
    .set('Cache-Control', 'no-store')
    .json({ errors: [{ message, extensions: { code } }] });
}

export function notFoundHandler(): RequestHandler {
  return (req, res) => sendError(res, 404, ErrorCode.NOT_FOUND, `No route for ${req.method} ${req.path}`);
}

/** What body-parser (express.json) reports, by its documented `type`s. */
const BODY_ERRORS: Record<string, string> = {
  'entity.parse.failed': 'The request body is not valid JSON.',
  'entity.too.large': 'The request body is too large.',
  'encoding.unsupported': 'The request body has an unsupported Content-Encoding.',
  'charset.unsupported': 'The request body has an unsupported charset.',
  'request.aborted': 'The request was aborted.',
  'request.size.invalid': 'The request body does not match its Content-Length.',
};

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) return next(error);
    const { status, type } = (typeof error === 'object' && error !== null ? error : {}) as {
      status?: unknown;
      type?: unknown;
    };
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const message = (typeof type === 'string' && BODY_ERRORS[type]) || 'Bad request.';
      // The same code Apollo Server gives a malformed GraphQL request, so clients handle one code.
      sendError(res, status, ApolloServerErrorCode.BAD_REQUEST, message);
      return;
    }
    logger.error({ err: error, correlationId: correlationIdOf(res) }, 'unhandled error in HTTP pipeline');
    sendError(res, 500, ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error');
  };
}
