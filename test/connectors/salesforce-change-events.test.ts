// The connector's Change Data Capture subscription (jsforce's streaming client and Replay extension)
// against the Salesforce emulator's Streaming API: parsed events in order, resuming from a stored
// replay id, the invalid-replay-id signal, and reconnecting through every fault the emulator can
// inject (forgotten clients, severed connections, an expired session) with nothing missed.
import jsforce from 'jsforce';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  REPLAY_ALL,
  REPLAY_NEW,
  createChangeEventSubscription,
  createSalesforceConnector,
  parseChangeEvent,
  type ChangeEventSubscription,
  type ChangeStreamItem,
  type SalesforceConnectorOptions,
} from '../../connectors/salesforce/index.js';
import { BackendError } from '../../lib/backend-error.js';
import {
  loadSalesforceEmulatorConfig,
  startSalesforceEmulator,
  type RunningSalesforceEmulator,
} from '../../emulators/salesforce/index.js';
import { CREDENTIALS, seedDataset } from './salesforce-fixture.js';

for (const name of ['http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY']) delete process.env[name];

const logger = pino({ level: 'silent' });
const dataset = seedDataset(20);
const accountIds = dataset.Account.map((a) => a.Id);

/** Collects what a subscription yields, in the background. */
function collect(subscription: ChangeEventSubscription) {
  const items: ChangeStreamItem[] = [];
  const done = (async () => {
    for await (const item of subscription) items.push(item);
  })();
  const changes = () => items.flatMap((item) => (item.kind === 'change' ? [item.event] : []));
  const until = async (check: () => boolean, timeoutMs = 10_000, what = 'items') => {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}: ${JSON.stringify(items.map((i) => i.kind))}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  return { items, changes, until, done };
}

describe('Change Data Capture subscription', () => {
  let server: RunningSalesforceEmulator;
  let options: SalesforceConnectorOptions;
  const open: ChangeEventSubscription[] = [];
  const subscribe = (replayFrom: number, channel?: string) => {
    const subscription = createChangeEventSubscription(
      { ...options, replayFrom, reconnectDelayMs: 50, ...(channel ? { channel } : {}) },
      logger,
    );
    open.push(subscription);
    return collect(subscription);
  };
  const sfConnection = () => {
    const token = server.emulator.issueToken(server.url);
    return new jsforce.Connection({
      instanceUrl: token.instance_url,
      accessToken: token.access_token,
      version: '62.0',
    });
  };
  const setPhone = (i: number, phone: string) =>
    sfConnection().sobject('Account').update({ Id: accountIds[i]!, Phone: phone });
  const fault = async (streaming: unknown) => {
    await fetch(`${server.url}/__emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ streaming }),
    });
  };

  beforeAll(async () => {
    server = await startSalesforceEmulator(
      loadSalesforceEmulatorConfig({
        EMULATOR_SALESFORCE_PORT: '0',
        EMULATOR_SALESFORCE_STREAMING_TIMEOUT_SECONDS: '1',
        EMULATOR_SALESFORCE_CDC_MAX_EVENTS: '1000',
      }),
      { dataset },
    );
    options = {
      loginUrl: server.url,
      apiVersion: '62.0',
      timeoutMs: 10_000,
      auth: { flow: 'client_credentials', clientId: CREDENTIALS.clientId, clientSecret: CREDENTIALS.clientSecret },
    };
  });
  afterEach(async () => {
    for (const subscription of open.splice(0)) await subscription.close();
  });
  afterAll(async () => {
    await server.close();
  });

  it('yields parsed change events in order, telling the integration its own writes', async () => {
    const stream = subscribe(REPLAY_NEW);
    await stream.until(() => stream.items.some((i) => i.kind === 'subscribed'));
    const connector = createSalesforceConnector(options, logger);
    await connector.updateAccount(accountIds[0]!, { phone: '555-0001' }, { correlationId: 'test' });
    await setPhone(1, '555-0002');
    await stream.until(() => stream.changes().length === 2);
    const [own, other] = stream.changes();
    expect(own).toMatchObject({
      channel: '/data/ChangeEvents',
      entityName: 'Account',
      changeType: 'UPDATE',
      recordIds: [accountIds[0]],
      changedFields: ['LastModifiedDate', 'Phone'],
      fields: { Phone: '555-0001' },
      fromThisIntegration: true,
      isGap: false,
      sequenceNumber: 1,
    });
    expect(own!.changeOrigin).toBe('com/salesforce/api/rest/62.0;client=customer360-graph');
    expect(other).toMatchObject({ recordIds: [accountIds[1]], fromThisIntegration: false });
    expect(other!.replayId).toBeGreaterThan(own!.replayId);
    expect(stream.items[0]).toEqual({ kind: 'subscribed', channel: '/data/ChangeEvents', replayFrom: REPLAY_NEW });
  });

  it('resumes after a stored replay id with exactly what it missed, on a per-object channel too', async () => {
    const first = subscribe(REPLAY_NEW);
    await first.until(() => first.items.some((i) => i.kind === 'subscribed'));
    await setPhone(2, 'before');
    await first.until(() => first.changes().length === 1);
    const stored = open[0]!.lastReplayId!;
    expect(stored).toBe(first.changes()[0]!.replayId);
    await open[0]!.close();
    for (const phone of ['missed-1', 'missed-2', 'missed-3']) await setPhone(3, phone);

    const resumed = subscribe(stored, '/data/AccountChangeEvent');
    await resumed.until(() => resumed.changes().length === 3);
    expect(resumed.changes().map((e) => e.fields.Phone)).toEqual(['missed-1', 'missed-2', 'missed-3']);
    expect(resumed.changes().every((e) => e.channel === '/data/AccountChangeEvent')).toBe(true);
  });

  it('signals an invalid replay id, then continues from every retained event', async () => {
    await setPhone(4, 'retained');
    const stream = subscribe(1);
    await stream.until(
      () =>
        stream.items.some((i) => i.kind === 'replay-id-invalid') &&
        stream.changes().some((e) => e.fields.Phone === 'retained'),
    );
    expect(stream.items.find((i) => i.kind === 'replay-id-invalid')).toEqual({
      kind: 'replay-id-invalid',
      channel: '/data/ChangeEvents',
      replayId: 1,
      resumedFrom: REPLAY_ALL,
      message: expect.stringContaining('400::The replayId {1} you provided was invalid.'),
    });
    const order = stream.items.map((i) => i.kind);
    expect(order.indexOf('replay-id-invalid')).toBeLessThan(order.indexOf('change'));
  });

  it('misses nothing when the server forgets the client three times during a burst of changes', async () => {
    const stream = subscribe(REPLAY_NEW);
    await stream.until(() => stream.items.some((i) => i.kind === 'subscribed'));
    const expected: string[] = [];
    for (let round = 0; round < 3; round++) {
      for (let k = 0; k < 10; k++) {
        const phone = `burst-${round}-${k}`;
        expected.push(phone);
        await setPhone(5 + (k % 5), phone);
        if (k === 4) await fault({ forgetClients: true });
      }
    }
    await stream.until(() => stream.changes().length >= expected.length, 20_000, 'the burst');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(stream.changes().map((e) => e.fields.Phone)).toEqual(expected);
    expect(stream.items.filter((i) => i.kind === 'subscribed').length).toBeGreaterThanOrEqual(4);
  });

  it('misses nothing when its connection is severed', async () => {
    const stream = subscribe(REPLAY_NEW);
    await stream.until(() => stream.items.some((i) => i.kind === 'subscribed'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await fault({ dropConnections: true });
    await setPhone(10, 'while-severed');
    await stream.until(() => stream.changes().length === 1, 15_000, 'the change after reconnecting');
    expect(stream.changes()[0]!.fields.Phone).toBe('while-severed');
  });

  it('re-authorizes when the session expires and resumes from the last replay id', async () => {
    const shortLived = await startSalesforceEmulator(
      loadSalesforceEmulatorConfig({
        EMULATOR_SALESFORCE_PORT: '0',
        EMULATOR_SALESFORCE_STREAMING_TIMEOUT_SECONDS: '1',
        EMULATOR_SALESFORCE_TOKEN_TTL_SECONDS: '2',
      }),
      { dataset },
    );
    try {
      const subscription = createChangeEventSubscription(
        { ...options, loginUrl: shortLived.url, replayFrom: REPLAY_NEW, reconnectDelayMs: 50 },
        logger,
      );
      open.push(subscription);
      const stream = collect(subscription);
      await stream.until(() => stream.items.some((i) => i.kind === 'subscribed'));
      const write = (phone: string) => {
        const token = shortLived.emulator.issueToken(shortLived.url);
        return new jsforce.Connection({
          instanceUrl: token.instance_url,
          accessToken: token.access_token,
          version: '62.0',
        })
          .sobject('Account')
          .update({ Id: accountIds[11]!, Phone: phone });
      };
      await write('before-expiry');
      await stream.until(
        () => stream.items.some((i) => i.kind === 'disconnected' && i.reason === '401::Authentication invalid'),
        10_000,
        'the refused session',
      );
      await write('during-reauthorization');
      await stream.until(() => stream.changes().length === 2, 10_000, 'both changes');
      expect(stream.changes().map((e) => e.fields.Phone)).toEqual(['before-expiry', 'during-reauthorization']);
      expect(stream.items.filter((i) => i.kind === 'subscribed').length).toBeGreaterThanOrEqual(2);
    } finally {
      await shortLived.close();
    }
  });

  it('reports a channel that does not exist, and keeps trying', async () => {
    const stream = subscribe(REPLAY_NEW, '/data/WidgetChangeEvent');
    await stream.until(() => stream.items.filter((i) => i.kind === 'error').length >= 2);
    const error = stream.items.find((i) => i.kind === 'error');
    expect(error).toMatchObject({
      kind: 'error',
      error: {
        failure: 'rejected',
        message: expect.stringContaining(
          'The channel you requested to subscribe to does not exist {/data/WidgetChangeEvent}',
        ),
      },
    });
  });

  it('ends its iteration when closed', async () => {
    const subscription = createChangeEventSubscription({ ...options, replayFrom: REPLAY_NEW }, logger);
    const stream = collect(subscription);
    await stream.until(() => stream.items.some((i) => i.kind === 'subscribed'));
    await subscription.close();
    await stream.done;
  });
});

describe('parseChangeEvent', () => {
  const data = (header: Record<string, unknown>, fields: Record<string, unknown> = {}) => ({
    schema: 's',
    payload: {
      ChangeEventHeader: {
        entityName: 'Account',
        recordIds: ['001000000000001'],
        changeType: 'UPDATE',
        changeOrigin: 'com/salesforce/api/rest/62.0;client=someone-else',
        transactionKey: 't',
        sequenceNumber: 1,
        commitTimestamp: 1,
        commitNumber: 2,
        commitUser: '005000000000001AAA',
        changedFields: ['Phone'],
        ...header,
      },
      ...fields,
    },
    event: { replayId: 42 },
  });

  it('normalizes record ids, recognises gaps and the integration own writes', () => {
    expect(parseChangeEvent('/data/ChangeEvents', data({}, { Phone: '1' }))).toMatchObject({
      replayId: 42,
      recordIds: ['001000000000001AAA'],
      fromThisIntegration: false,
      isGap: false,
      fields: { Phone: '1' },
      nulledFields: [],
    });
    expect(parseChangeEvent('/data/ChangeEvents', data({ changeType: 'GAP_OVERFLOW', recordIds: [] })).isGap).toBe(
      true,
    );
    expect(
      parseChangeEvent(
        '/data/ChangeEvents',
        data({ changeOrigin: 'com/salesforce/api/rest/62.0;client=customer360-graph' }),
      ).fromThisIntegration,
    ).toBe(true);
    expect(
      parseChangeEvent(
        '/data/ChangeEvents',
        data({ changeOrigin: 'com/salesforce/api/rest/62.0;client=customer360-graph-2' }),
      ).fromThisIntegration,
    ).toBe(false);
  });

  it('refuses malformed events with an invalid_response error', () => {
    for (const bad of [
      null,
      { payload: {} },
      data({ changeType: 'MERGE' }),
      data({ recordIds: ['not an id'] }),
      { ...data({}), event: {} },
    ]) {
      const attempt = () => parseChangeEvent('/data/ChangeEvents', bad);
      expect(attempt).toThrow(BackendError);
      try {
        attempt();
      } catch (error) {
        expect((error as BackendError).failure).toBe('invalid_response');
      }
    }
  });
});
