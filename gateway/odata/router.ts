// The OData 4.0 bridge for Salesforce Connect (issue 6), mounted by the gateway at /odata/v4: the
// service document, $metadata, entity sets, /$count and single entities by key, read-only. Every
// request authenticates like /graphql (same bearer tokens), then becomes one GraphQL operation run
// by the gateway's Apollo Server with origin 'odata' (execute.ts). Every answer carries
// OData-Version: 4.0; every failure is an OData JSON error (errors.ts), never HTML.
import type { ApolloServer } from '@apollo/server';
import express, { type Request, type Response, type Router } from 'express';
import type { Identity } from '../../lib/identity.js';
import type { Logger } from '../../lib/logger.js';
import { AuthError } from '../auth/auth-error.js';
import type { Authenticator } from '../auth/authenticator.js';
import { wwwAuthenticate } from '../auth/middleware.js';
import type { GatewayContext } from '../context.js';
import { correlationIdOf } from '../correlation.js';
import { serveCollection, serveCount } from './collection.js';
import { serveEntity } from './entity.js';
import { OdataError, OdataErrorCode, sendOdataError, writeOdata } from './errors.js';
import type { OdataRequest, OdataResponse } from './exchange.js';
import { jsonResponse } from './exchange.js';
import { apolloExecutor, type GraphqlExecutor } from './execute.js';
import { metadataXml } from './metadata.js';
import { buildEntityModel } from './model.js';
import { checkApplicable } from './query-options.js';
import { decodeQuery, rawQueryOf } from './query-string.js';
import { parseResourcePath } from './resource-path.js';
import { MAX_FIRST } from './row-query.js';
import { serviceDocument } from './service-document.js';

/** What the bridge needs from gateway/auth: the verified caller of a request, or a thrown AuthError. */
export type OdataAuthenticator = Pick<Authenticator, 'authenticate'>;

export interface OdataRouterOptions {
  /** The gateway's Apollo Server (started); each request runs one operation on it. */
  readonly apollo?: ApolloServer<GatewayContext>;
  /** Instead of `apollo`: runs the operations (unit tests). */
  readonly execute?: GraphqlExecutor;
  readonly authenticator: OdataAuthenticator;
  /** The supergraph the gateway serves: the entity model is resolved against it (model.ts). */
  readonly supergraphSdl: string;
  /**
   * The service root as clients reach it (ODATA_PUBLIC_URL), e.g. behind a proxy; the base of
   * @odata.context and of the absolute @odata.nextLink. Default: from the request's Host header.
   */
  readonly publicUrl?: string;
  readonly logger: Logger;
  /** Rows per page (default and at most 2,000, Salesforce Connect's limit). */
  readonly maxPageSize?: number;
}

const PREFER_MAX_PAGE_SIZE = /(?:^|[,;\s])(?:odata\.)?maxpagesize\s*=\s*"?(\d+)"?/i;
const IEEE754 = /IEEE754Compatible=true/i;

function pageSizeOf(req: Request, serviceMax: number): { size: number; applied: boolean } {
  const wanted = PREFER_MAX_PAGE_SIZE.exec(req.get('prefer') ?? '');
  const size = wanted ? Number(wanted[1]) : Number.NaN;
  return size >= 1 && size < serviceMax ? { size, applied: true } : { size: serviceMax, applied: false };
}

function normalizedRoot(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/** 401 with the same challenge /graphql gives (RFC 6750 §3); anything else the authenticator throws is unexpected. */
function authenticationFailure(error: unknown): unknown {
  if (!(error instanceof AuthError)) return error;
  return new OdataError(401, OdataErrorCode.UNAUTHENTICATED, error.message, undefined, {
    'WWW-Authenticate': wwwAuthenticate(error),
  });
}

export function odataRouter(options: OdataRouterOptions): Router {
  const model = buildEntityModel(options.supergraphSdl);
  const metadata = metadataXml(model);
  const given = options.execute ?? (options.apollo ? apolloExecutor(options.apollo) : undefined);
  if (!given) throw new Error('odataRouter needs apollo or execute');
  const execute: GraphqlExecutor = given;
  const serviceMax = Math.min(options.maxPageSize ?? MAX_FIRST, MAX_FIRST);
  const { logger } = options;

  async function handle(req: Request, res: Response): Promise<OdataResponse> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      throw new OdataError(
        405,
        OdataErrorCode.METHOD_NOT_ALLOWED,
        `${req.method} is not supported: this service is read-only.`,
        undefined,
        { Allow: 'GET, HEAD' },
      );
    }
    let identity: Identity;
    try {
      identity = await options.authenticator.authenticate(req);
    } catch (error) {
      throw authenticationFailure(error);
    }
    const serviceRoot = normalizedRoot(options.publicUrl ?? `${req.protocol}://${req.get('host')}${req.baseUrl}`);
    const resource = parseResourcePath(req.path, model);
    const { options: queryOptions } = decodeQuery(rawQueryOf(req.originalUrl));
    checkApplicable(queryOptions, resource.kind);
    const ieee754Compatible = IEEE754.test(req.get('accept') ?? '') || IEEE754.test(queryOptions.get('$format') ?? '');
    switch (resource.kind) {
      case 'service':
        return jsonResponse(serviceDocument(model, serviceRoot), ieee754Compatible);
      case 'metadata':
        return { status: 200, contentType: 'application/xml', body: metadata };
      default: {
        const pageSize = pageSizeOf(req, serviceMax);
        const request: OdataRequest = {
          set: resource.set,
          options: queryOptions,
          identity,
          context: { correlationId: correlationIdOf(res), identity, origin: 'odata' },
          serviceRoot,
          maxPageSize: pageSize.size,
          ieee754Compatible,
          execute,
        };
        if (resource.kind === 'entity') return serveEntity(request, resource.key);
        if (resource.kind === 'count') return serveCount(request);
        const response = await serveCollection(request);
        return pageSize.applied
          ? {
              ...response,
              headers: { ...response.headers, 'Preference-Applied': `odata.maxpagesize=${pageSize.size}` },
            }
          : response;
      }
    }
  }

  const router = express.Router();
  router.use(async (req, res) => {
    try {
      const response = await handle(req, res);
      // Answers depend on the caller (a partner sees its own rows): never stored by a shared cache.
      writeOdata(res, response.status, response.contentType, response.body, {
        'Cache-Control': 'no-store',
        ...response.headers,
      });
    } catch (error) {
      if (error instanceof OdataError) {
        if (error.status >= 500)
          logger.warn(
            { correlationId: res.locals.correlationId, status: error.status, code: error.code },
            'OData request failed',
          );
        sendOdataError(res, error);
        return;
      }
      logger.error({ err: error, correlationId: res.locals.correlationId }, 'unexpected error in the OData bridge');
      sendOdataError(
        res,
        new OdataError(
          500,
          OdataErrorCode.INTERNAL_SERVER_ERROR,
          `Internal server error (correlation id ${String(res.locals.correlationId)}).`,
        ),
      );
    }
  });
  return router;
}
