// The carrier emulator's OAuth client credentials (FedEx's `POST /oauth/token` and its error
// envelope) and the bearer check in front of the Track API, over HTTPS with its own CA.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT, httpsRequest, startCarrierFixture, trackBody, type CarrierTestClient } from './carrier-fixture.js';

let carrier: CarrierTestClient;

beforeAll(async () => {
  carrier = await startCarrierFixture({ tokenLifetimeSeconds: 3599 });
});
afterAll(async () => {
  await carrier.close();
});

const someNumber = () => carrier.dataset.salesShipments[0]!.packageTrackingNo;

describe('POST /oauth/token', () => {
  it('issues a FedEx-style bearer token for valid client credentials', async () => {
    const { status, headers, body } = await carrier.token();
    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: 'bearer', expires_in: 3599, scope: 'CXS' });
    expect(typeof body.access_token).toBe('string');
    expect((body.access_token as string).length).toBeGreaterThan(20);
    expect(headers['cache-control']).toBe('no-store');
  });

  it('refuses wrong or unknown credentials with 401 NOT.AUTHORIZED.ERROR in FedEx error envelope', async () => {
    for (const fields of [
      { grant_type: 'client_credentials', client_id: CLIENT.client_id, client_secret: 'wrong' },
      { grant_type: 'client_credentials', client_id: 'someone-else', client_secret: CLIENT.client_secret },
    ]) {
      const { status, body } = await carrier.token(fields);
      expect(status).toBe(401);
      expect(body).toMatchObject({
        errors: [
          {
            code: 'NOT.AUTHORIZED.ERROR',
            message: expect.stringMatching(/^The given client credentials were not valid/),
          },
        ],
      });
      expect(typeof body.transactionId).toBe('string');
    }
  });

  it('refuses a request missing a parameter, or another grant type, with 400 BAD.REQUEST.ERROR', async () => {
    expect(await carrier.token({ grant_type: 'client_credentials', client_id: CLIENT.client_id })).toMatchObject({
      status: 400,
      body: { errors: [{ code: 'BAD.REQUEST.ERROR' }] },
    });
    expect(await carrier.token({ ...CLIENT, grant_type: 'csp_credentials' })).toMatchObject({
      status: 400,
      body: { errors: [{ code: 'BAD.REQUEST.ERROR' }] },
    });
    // A JSON body is not a form.
    const json = await httpsRequest(carrier.running.tokenUrl, {
      method: 'POST',
      ca: carrier.ca,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', ...CLIENT }),
    });
    expect(json.status).toBe(400);
  });
});

describe('bearer tokens on the Track API', () => {
  it('answers 401 NOT.AUTHORIZED.ERROR without a token, with an unknown one, or with Basic credentials', async () => {
    for (const authorization of [
      '',
      'Bearer not-a-token',
      `Basic ${Buffer.from(`${CLIENT.client_id}:${CLIENT.client_secret}`).toString('base64')}`,
    ]) {
      const answer = await carrier.track(trackBody([someNumber()]), { authorization });
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({
        errors: [{ code: 'NOT.AUTHORIZED.ERROR', message: expect.stringMatching(/^Access token expired/) }],
      });
    }
  });

  it('expires tokens after their lifetime', async () => {
    const token = (await carrier.token()).body.access_token as string;
    const authorization = `Bearer ${token}`;
    expect((await carrier.track(trackBody([someNumber()]), { authorization })).status).toBe(200);
    carrier.clock.now += 3599 * 1000;
    try {
      expect((await carrier.track(trackBody([someNumber()]), { authorization })).status).toBe(401);
    } finally {
      carrier.clock.now -= 3599 * 1000;
    }
  });

  it('forgets every token on DELETE /__emulator/tokens (a client must refresh on 401)', async () => {
    const authorization = `Bearer ${(await carrier.token()).body.access_token as string}`;
    expect((await carrier.track(trackBody([someNumber()]), { authorization })).status).toBe(200);
    expect((await carrier.control('/tokens', undefined, 'DELETE')).status).toBe(204);
    expect((await carrier.track(trackBody([someNumber()]), { authorization })).status).toBe(401);
  });

  it('echoes x-customer-transaction-id in answers and errors, as FedEx does', async () => {
    const ok = await carrier.track(trackBody([someNumber()]), { 'x-customer-transaction-id': 'corr-42' });
    expect(ok.body.customerTransactionId).toBe('corr-42');
    const refused = await carrier.track(trackBody([someNumber()]), {
      authorization: 'Bearer nope',
      'x-customer-transaction-id': 'corr-43',
    });
    expect(refused.body.customerTransactionId).toBe('corr-43');
  });
});
