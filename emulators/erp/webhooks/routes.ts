// /api/v2.0/subscriptions: GET (the list, or one by its quoted key), POST (create, after the
// handshake; 201 with Location), PATCH (renew, If-Match required, after a new handshake) and
// DELETE (204). Subscriptions are the tenant's, not a company's: the URL has no companies(...).
import express from 'express';
import type { Request, Response } from 'express';
import { BcError, malformedUrl } from '../errors.js';
import { checkIfMatch } from '../etag.js';
import {
  parseNewSubscription,
  parseSubscriptionChanges,
  subscriptionJson,
  type Subscription,
} from './subscriptions.js';
import type { Webhooks } from './webhooks.js';

const JSON_TYPE = 'application/json; odata.metadata=minimal';
const PATH = /^\/subscriptions(?:\((.*)\))?\/?$/;

function methodNotAllowed(method: string, kind: string, allowed: string[]): BcError {
  return new BcError(
    405,
    'BadRequest_MethodNotAllowed',
    `'${method}' requests for 'subscriptions' of EdmType '${kind}' are not allowed within Microsoft Dynamics 365 Business Central OData web services.`,
    { Allow: allowed.join(', ') },
  );
}

/** The subscriptionId of `subscriptions('<id>')`: an OData string key, in single quotes. */
function keyOf(raw: string): string {
  let text: string;
  try {
    text = decodeURIComponent(raw);
  } catch {
    throw malformedUrl(`The key '${raw}' is not valid percent-encoding.`);
  }
  const m = /^'([^']{1,150})'$/.exec(text);
  if (!m)
    throw malformedUrl(
      `'${text}' is not a valid key of subscriptions: a quoted string such as ('c670ea73cacb459bb51dc1740da2f1db') is expected.`,
    );
  return m[1]!;
}

export function createSubscriptionsRouter(options: { webhooks: Webhooks; companyId: string }): express.Router {
  const { webhooks, companyId } = options;
  const router = express.Router();
  router.use(express.json({ limit: '1mb', type: ['application/json', 'application/*+json'] }));

  function origin(req: Request): string {
    return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
  }

  function send(req: Request, res: Response, status: number, subscription: Subscription): void {
    const etag = webhooks.etags.etag(subscription);
    res
      .status(status)
      .set('OData-Version', '4.0')
      .set('Content-Type', JSON_TYPE)
      .set('ETag', etag)
      .send(
        JSON.stringify({
          '@odata.context': `${origin(req)}/api/v2.0/$metadata#subscriptions/$entity`,
          '@odata.etag': etag,
          ...subscriptionJson(subscription),
        }),
      );
  }

  router.use(async (req: Request, res: Response, next) => {
    const m = PATH.exec(req.path);
    if (!m) {
      next();
      return;
    }
    if (m[1] === undefined) {
      if (req.method === 'GET') {
        res
          .status(200)
          .set('OData-Version', '4.0')
          .set('Content-Type', JSON_TYPE)
          .send(
            JSON.stringify({
              '@odata.context': `${origin(req)}/api/v2.0/$metadata#subscriptions`,
              value: webhooks.list().map((s) => ({ '@odata.etag': webhooks.etags.etag(s), ...subscriptionJson(s) })),
            }),
          );
        return;
      }
      if (req.method === 'POST') {
        const created = await webhooks.create(parseNewSubscription(req.body, companyId));
        res.set('Location', `${origin(req)}/api/v2.0/subscriptions('${created.subscriptionId}')`);
        send(req, res, 201, created);
        return;
      }
      throw methodNotAllowed(req.method, 'EntityCollection', ['GET', 'POST']);
    }
    const subscription = webhooks.get(keyOf(m[1]));
    switch (req.method) {
      case 'GET':
        send(req, res, 200, subscription);
        return;
      case 'PATCH':
        checkIfMatch(req, webhooks.etags.etag(subscription));
        send(
          req,
          res,
          200,
          await webhooks.renew(subscription, parseSubscriptionChanges(req.body, subscription, companyId)),
        );
        return;
      case 'DELETE':
        if (req.get('if-match')) checkIfMatch(req, webhooks.etags.etag(subscription));
        webhooks.delete(subscription.subscriptionId);
        res.status(204).set('OData-Version', '4.0').end();
        return;
      default:
        throw methodNotAllowed(req.method, 'Entity', ['GET', 'PATCH', 'DELETE']);
    }
  });
  return router;
}
