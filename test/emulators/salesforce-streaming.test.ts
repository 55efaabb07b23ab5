// The Salesforce emulator's Streaming API (CometD at /cometd/<version>) and Change Data Capture,
// tested with jsforce 3.10.16's own streaming client and Replay extension, unchanged, and at the
// Bayeux level for what a client library hides (handshake and error answers).
import jsforce from 'jsforce';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { API_VERSION, fixtureDataset, startEmulator, type RunningFixture } from './salesforce-fixture.js';
import { bayeux, handshake, listen, waitFor, type StreamingListener } from './salesforce-streaming-support.js';

let clock = Date.parse('2025-01-15T12:00:00.000Z');
const now = () => new Date(clock);

describe('change events over CometD, with jsforce', () => {
  let fx: RunningFixture;
  let org: ReturnType<typeof fixtureDataset>;
  const listeners: StreamingListener[] = [];
  const open = (channel: string, replayFrom: number, connection = fx.connection()) => {
    const listener = listen(connection, channel, replayFrom);
    listeners.push(listener);
    return listener;
  };

  beforeAll(async () => {
    org = fixtureDataset();
    fx = await startEmulator({ dataset: org.dataset, now, changeDataCapture: { timeoutSeconds: 5 } });
  });
  afterEach(() => {
    for (const listener of listeners.splice(0)) listener.close();
    expect(fx.unexpected).toEqual([]);
  });
  afterAll(async () => {
    await fx.close();
  });

  it('delivers a CREATE with every non-empty field and compound fields nested, and an UPDATE with only what changed', async () => {
    const all = open('/data/ChangeEvents', -1);
    await all.subscribed;
    const conn = fx.connection();
    const created = (await conn
      .sobject('Account')
      .create({ Name: 'Streamed Ltd', BillingCity: 'Lyon', BillingCountry: 'France', Phone: '555-0199' })) as {
      id: string;
    };
    await conn
      .sobject('Account')
      .update({ Id: created.id, Phone: null, BillingCity: 'Paris', Website: 'https://streamed.example' });
    await waitFor(() => all.events.length >= 2, 5_000, 'two events');

    const [create, update] = all.events;
    expect(create!.channel).toBe('/data/ChangeEvents');
    expect(create!.header).toMatchObject({
      entityName: 'Account',
      changeType: 'CREATE',
      recordIds: [created.id],
      changedFields: [],
      sequenceNumber: 1,
      commitUser: org.users.integration.Id,
      changeOrigin: `com/salesforce/api/rest/${API_VERSION}`,
    });
    expect(create!.header.transactionKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(typeof create!.header.commitNumber).toBe('number');
    expect(create!.header.commitTimestamp).toBe(clock);
    expect(create!.fields).toEqual({
      Name: 'Streamed Ltd',
      Phone: '555-0199',
      BillingAddress: { City: 'Lyon', Country: 'France' },
      OwnerId: org.users.integration.Id,
      CreatedDate: '2025-01-15T12:00:00Z',
      LastModifiedDate: '2025-01-15T12:00:00Z',
    });
    expect(create!.fields).not.toHaveProperty('IsDeleted');

    expect(update!.header.changeType).toBe('UPDATE');
    expect(update!.header.changedFields.sort()).toEqual([
      'BillingAddress.City',
      'LastModifiedDate',
      'Phone',
      'Website',
    ]);
    expect(update!.header.nulledFields).toEqual(['Phone']);
    expect(update!.fields).toEqual({
      LastModifiedDate: '2025-01-15T12:00:00Z',
      Phone: null,
      Website: 'https://streamed.example',
      BillingAddress: { City: 'Paris' },
    });
    expect(update!.header.transactionKey).not.toBe(create!.header.transactionKey);
    expect(update!.replayId).toBeGreaterThan(create!.replayId);
  });

  it('names the client of Sforce-Call-Options in changeOrigin, and nests Contact names', async () => {
    const contacts = open('/data/ContactChangeEvent', -1);
    await contacts.subscribed;
    const token = fx.emulator.issueToken(fx.url);
    const conn = new jsforce.Connection({
      instanceUrl: token.instance_url,
      accessToken: token.access_token,
      version: API_VERSION,
      callOptions: { client: 'customer360-graph' },
    });
    const ann = org.contacts[0]!;
    await conn.sobject('Contact').update({ Id: ann.Id, LastName: 'Archer-Smith' });
    await waitFor(() => contacts.events.length === 1);
    expect(contacts.events[0]!.header.changeOrigin).toBe(
      `com/salesforce/api/rest/${API_VERSION};client=customer360-graph`,
    );
    expect(contacts.events[0]!.header.changedFields.sort()).toEqual(['LastModifiedDate', 'Name.LastName']);
    expect(contacts.events[0]!.fields).toMatchObject({ Name: { LastName: 'Archer-Smith' } });
  });

  it('sends a cascade delete as one transaction, merging the same change to many records into one event', async () => {
    const all = open('/data/ChangeEvents', -1);
    const contacts = open('/data/ContactChangeEvent', -1);
    await Promise.all([all.subscribed, contacts.subscribed]);
    const conn = fx.connection();
    const acme = org.accounts.acme;
    await conn.sobject('Account').destroy(acme.Id);
    await waitFor(() => all.events.length >= 6 && contacts.events.length >= 1);

    const byEntity = new Map(all.events.map((e) => [e.header.entityName, e]));
    expect([...byEntity.keys()]).toEqual(['Account', 'Contact', 'Opportunity', 'Quote', 'QuoteLineItem', 'Case']);
    for (const event of all.events) {
      expect(event.header.changeType).toBe('DELETE');
      expect(event.fields).toEqual({});
      expect(event.header.transactionKey).toBe(all.events[0]!.header.transactionKey);
    }
    expect(all.events.map((e) => e.header.sequenceNumber)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(byEntity.get('Contact')!.header.recordIds.sort()).toEqual(
      org.contacts
        .filter((c) => c.AccountId === acme.Id)
        .map((c) => c.Id)
        .sort(),
    );
    expect(byEntity.get('QuoteLineItem')!.header.recordIds.sort()).toEqual(org.lines.map((l) => l.Id).sort());
    // The per-object channel carries the Contact event only, with the same replay id.
    expect(contacts.events).toHaveLength(1);
    expect(contacts.events[0]!.replayId).toBe(byEntity.get('Contact')!.replayId);

    // Undelete (SOAP and Apex; in-process here) brings the account back with its cascade.
    fx.emulator.store.undelete('Account', acme.Id);
    const deletedIds = all.events.flatMap((e) => e.header.recordIds).sort();
    const undeletes = () => all.events.filter((e) => e.header.changeType === 'UNDELETE');
    await waitFor(() => undeletes().length >= deletedIds.length);
    const undeleted = undeletes();
    // Every record comes back; restored records differ in their fields, so no two merge.
    expect(undeleted.flatMap((e) => e.header.recordIds).sort()).toEqual(deletedIds);
    expect(undeleted.every((e) => e.header.recordIds.length === 1)).toBe(true);
    expect(undeleted[0]!.fields).toMatchObject({ Name: 'Acme Corp', BillingAddress: { City: 'Springfield' } });
    // The quote's roll-up totals follow its restored lines, in the same transaction.
    const rollups = all.events.slice(6).filter((e) => e.header.changeType === 'UPDATE');
    expect(
      rollups.every(
        (e) => e.header.entityName === 'Quote' && e.header.transactionKey === undeleted[0]!.header.transactionKey,
      ),
    ).toBe(true);
    expect(fx.emulator.store.get('Contact', org.contacts[0]!.Id)!.IsDeleted).toBe(false);
  });

  it('publishes nothing for what a call rolls back, and one transaction per collection call', async () => {
    const accounts = open('/data/AccountChangeEvent', -1);
    await accounts.subscribed;
    const conn = fx.connection();
    const { beta, gamma } = org.accounts;
    // allOrNone: one bad record rolls back both: no event.
    const rolledBack = await conn.sobject('Account').update(
      [
        { Id: beta.Id, Phone: '1' },
        { Id: gamma.Id, Name: null },
      ],
      { allOrNone: true },
    );
    expect(rolledBack.every((r) => !r.success)).toBe(true);
    // A single-record call that fails writes nothing.
    await expect(conn.sobject('Account').create({ Phone: 'no name' })).rejects.toMatchObject({
      errorCode: 'REQUIRED_FIELD_MISSING',
    });
    // Partial success: the good record's change is published, in one transaction with the others.
    const partial = await conn.sobject('Account').update(
      [
        { Id: beta.Id, Phone: '2' },
        { Id: gamma.Id, Name: null },
        { Id: gamma.Id, Phone: '3' },
      ],
      { allOrNone: false },
    );
    expect(partial.map((r) => r.success)).toEqual([true, false, true]);
    await waitFor(() => accounts.events.length >= 2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(accounts.events.map((e) => e.header.recordIds)).toEqual([[beta.Id], [gamma.Id]]);
    expect(accounts.events[0]!.header.transactionKey).toBe(accounts.events[1]!.header.transactionKey);
    expect(accounts.events.map((e) => e.header.sequenceNumber)).toEqual([1, 2]);
  });

  it('commits /composite as one transaction with allOrNone, and each subrequest alone without it', async () => {
    const accounts = open('/data/AccountChangeEvent', -1);
    await accounts.subscribed;
    const conn = fx.connection();
    const path = `/services/data/v${API_VERSION}/sobjects/Account`;
    const composite = (allOrNone: boolean) =>
      conn.requestPost(`/services/data/v${API_VERSION}/composite`, {
        allOrNone,
        compositeRequest: [
          { method: 'POST', url: path, referenceId: 'a', body: { Name: `Composite A ${allOrNone}` } },
          { method: 'PATCH', url: `${path}/@{a.id}`, referenceId: 'b', body: { Phone: '555' } },
        ],
      });
    await composite(true);
    await waitFor(() => accounts.events.length >= 2);
    expect(accounts.events[0]!.header.transactionKey).toBe(accounts.events[1]!.header.transactionKey);
    await composite(false);
    await waitFor(() => accounts.events.length >= 4);
    expect(accounts.events[2]!.header.transactionKey).not.toBe(accounts.events[3]!.header.transactionKey);
    expect(accounts.events.map((e) => e.header.changeType)).toEqual(['CREATE', 'UPDATE', 'CREATE', 'UPDATE']);
  });
});

describe('replay', () => {
  let fx: RunningFixture;
  let org: ReturnType<typeof fixtureDataset>;
  const listeners: StreamingListener[] = [];
  const open = (channel: string, replayFrom: number) => {
    const listener = listen(fx.connection(), channel, replayFrom);
    listeners.push(listener);
    return listener;
  };
  const touch = async (phone: string) => {
    await fx.connection().sobject('Account').update({ Id: org.accounts.beta.Id, Phone: phone });
  };

  beforeAll(async () => {
    org = fixtureDataset();
    fx = await startEmulator({
      dataset: org.dataset,
      now,
      changeDataCapture: { timeoutSeconds: 5, retentionMs: 72 * 3_600_000, maxRetainedEvents: 5 },
    });
  });
  afterEach(() => {
    for (const listener of listeners.splice(0)) listener.close();
    expect(fx.unexpected).toEqual([]);
  });
  afterAll(async () => {
    await fx.close();
  });

  it('-2 replays everything retained, a stored id resumes right after it, -1 only what comes next', async () => {
    for (const phone of ['r1', 'r2', 'r3']) await touch(phone);
    const everything = open('/data/ChangeEvents', -2);
    await everything.subscribed;
    await waitFor(() => everything.events.length === 3);
    expect(everything.events.map((e) => e.fields.Phone)).toEqual(['r1', 'r2', 'r3']);

    const resumed = open('/data/AccountChangeEvent', everything.events[0]!.replayId);
    const fresh = open('/data/AccountChangeEvent', -1);
    await Promise.all([resumed.subscribed, fresh.subscribed]);
    await touch('r4');
    await waitFor(() => resumed.events.length === 3 && fresh.events.length === 1);
    expect(resumed.events.map((e) => e.fields.Phone)).toEqual(['r2', 'r3', 'r4']);
    expect(fresh.events.map((e) => e.fields.Phone)).toEqual(['r4']);
  });

  it("refuses an id outside the retention window with Salesforce's error", async () => {
    await touch('old');
    const oldest = fx.emulator.changeDataCapture.log.oldestReplayId!;
    // Past the count limit (5 retained): events older than the retained ones are gone.
    for (const phone of ['n1', 'n2', 'n3', 'n4', 'n5']) await touch(phone);
    const tooOld = open('/data/ChangeEvents', oldest);
    await expect(tooOld.subscribed).rejects.toThrow(
      `The replayId {${oldest}} you provided was invalid.  Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.`,
    );
    // Past the time window: 72 hours later nothing published before is retained.
    const latest = fx.emulator.changeDataCapture.log.latestReplayId;
    const atLatest = open('/data/ChangeEvents', latest);
    await atLatest.subscribed;
    clock += 73 * 3_600_000;
    const afterRetention = open('/data/ChangeEvents', latest - 1);
    await expect(afterRetention.subscribed).rejects.toThrow(`The replayId {${latest - 1}} you provided was invalid.`);
    // An id from the future is no valid id either.
    await expect(open('/data/ChangeEvents', latest + 1000).subscribed).rejects.toThrow('you provided was invalid');
  });

  it('answers the replay map error when the map does not name the subscribed channel', async () => {
    const token = fx.emulator.issueToken(fx.url).access_token;
    const url = `${fx.url}/cometd/${API_VERSION}`;
    const clientId = await handshake(url, token);
    const { replies } = await bayeux(url, token, {
      channel: '/meta/subscribe',
      clientId,
      subscription: '/data/AccountChangeEvent',
      ext: { replay: { '/data/ChangeEvents': -1 } },
    });
    expect(replies[0]).toMatchObject({
      successful: false,
      subscription: '/data/AccountChangeEvent',
      error:
        "400::The replayId for channel {/data/AccountChangeEvent} wasn't found using the provided replay ID map {{/data/ChangeEvents=-1}}. Ensure that the channel name you provided in the replay map is valid and matches the channel name used for subscribing.",
    });
  });
});

describe('the Bayeux protocol as Salesforce answers it', () => {
  let fx: RunningFixture;
  let url: string;
  let token: string;

  beforeAll(async () => {
    fx = await startEmulator({
      dataset: fixtureDataset().dataset,
      changeDataCapture: { timeoutSeconds: 1, entities: ['Account', 'Contact'] },
    });
    url = `${fx.url}/cometd/${API_VERSION}`;
    token = fx.emulator.issueToken(fx.url).access_token;
  });
  afterAll(async () => {
    await fx.close();
  });

  it('handshakes with the replay extension and long polling only', async () => {
    const { status, replies } = await bayeux(url, token, {
      channel: '/meta/handshake',
      version: '1.0',
      supportedConnectionTypes: ['websocket', 'long-polling', 'callback-polling'],
      id: '1',
    });
    expect(status).toBe(200);
    expect(replies).toEqual([
      expect.objectContaining({
        channel: '/meta/handshake',
        successful: true,
        version: '1.0',
        minimumVersion: '1.0',
        supportedConnectionTypes: ['long-polling'],
        ext: { replay: true, 'payload.format': true },
        id: '1',
        clientId: expect.stringMatching(/^[0-9a-z]{20,}$/),
      }),
    ]);
  });

  it('denies a handshake without a valid token, with the reason in ext.sfdc', async () => {
    const message = { channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'] };
    const bad = await bayeux(url, 'not-a-token', message);
    expect(bad.replies[0]).toMatchObject({
      channel: '/meta/handshake',
      successful: false,
      error: '403::Handshake denied',
      advice: { reconnect: 'none' },
      ext: { sfdc: { failureReason: '401::Authentication invalid' }, replay: true },
    });
    expect(bad.replies[0]).not.toHaveProperty('clientId');
    const none = await bayeux(url, null, message);
    expect(none.replies[0]).toMatchObject({
      error: '403::Handshake denied',
      ext: { sfdc: { failureReason: '401::Request requires authentication' } },
    });
  });

  it('answers 401::Authentication invalid once the session is revoked, and the client must start over', async () => {
    const session = fx.emulator.issueToken(fx.url).access_token;
    const clientId = await handshake(url, session);
    const first = await bayeux(url, session, { channel: '/meta/connect', clientId, connectionType: 'long-polling' });
    expect(first.replies[0]).toMatchObject({
      successful: true,
      advice: { reconnect: 'retry', interval: 0, timeout: 1000 },
    });
    expect(fx.emulator.oauth.revoke(session)).toBe(true);
    const revoked = await bayeux(url, session, { channel: '/meta/connect', clientId, connectionType: 'long-polling' });
    expect(revoked.replies[0]).toMatchObject({
      channel: '/meta/connect',
      successful: false,
      error: '401::Authentication invalid',
      advice: { reconnect: 'none', interval: 0 },
    });
    // A new token does not revive the client: it is gone.
    const again = await bayeux(url, token, { channel: '/meta/connect', clientId, connectionType: 'long-polling' });
    expect(again.replies[0]).toMatchObject({
      error: '403::Unknown client',
      advice: { reconnect: 'handshake', interval: 0 },
    });
  });

  it('answers 403::Unknown client to a client it does not know', async () => {
    const { replies } = await bayeux(url, token, {
      channel: '/meta/connect',
      clientId: 'nosuchclient',
      connectionType: 'long-polling',
    });
    expect(replies[0]).toMatchObject({
      channel: '/meta/connect',
      successful: false,
      error: '403::Unknown client',
      advice: { reconnect: 'handshake', interval: 0 },
    });
  });

  it('knows only the channels of the entities selected for Change Data Capture', async () => {
    const clientId = await handshake(url, token);
    const subscribe = async (subscription: string, at = url) =>
      (await bayeux(at, token, { channel: '/meta/subscribe', clientId, subscription })).replies[0];
    expect(await subscribe('/data/ContactChangeEvent')).toMatchObject({ successful: true });
    for (const channel of ['/data/QuoteChangeEvent', '/topic/AccountUpdates', '/data/Account', '/data/*']) {
      expect(await subscribe(channel)).toMatchObject({
        successful: false,
        error: `400::The channel you requested to subscribe to does not exist {${channel}}`,
      });
    }
    expect(await subscribe('data/ChangeEvents')).toMatchObject({
      error: "400::Channel subscriptions must start with a leading '/'",
    });
    // Change Data Capture starts at API 44.0: the channel does not exist on an older endpoint.
    const old = `${fx.url}/cometd/40.0`;
    const oldClient = await handshake(old, token);
    const { replies } = await bayeux(old, token, {
      channel: '/meta/subscribe',
      clientId: oldClient,
      subscription: '/data/ChangeEvents',
    });
    expect(replies[0]).toMatchObject({
      error: '400::The channel you requested to subscribe to does not exist {/data/ChangeEvents}',
    });
    // Publishing to a change event channel is refused.
    const published = await bayeux(url, token, { channel: '/data/ChangeEvents', clientId, data: { hello: 1 } });
    expect(published.replies[0]).toMatchObject({ successful: false, error: expect.stringMatching(/^403::/) });
  });

  it('refuses endpoints without a supported API version', async () => {
    const message = { channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'] };
    const missing = await bayeux(`${fx.url}/cometd`, token, message);
    expect(missing.status).toBe(400);
    expect(missing.replies[0]!.error).toBe("400::API version in the URI is mandatory. URI format: '/cometd/62.0'");
    const old = await bayeux(`${fx.url}/cometd/36.0`, token, message);
    expect(old.status).toBe(400);
    expect(old.replies[0]!.error).toMatch(
      /^400::Unsupported API version\. Only API versions '37\.0' and later are supported\./,
    );
  });

  it('refuses a connection type other than long polling', async () => {
    const clientId = await handshake(url, token);
    const { replies } = await bayeux(url, token, { channel: '/meta/connect', clientId, connectionType: 'websocket' });
    expect(replies[0]).toMatchObject({ successful: false, error: '400::Invalid connection type {websocket}' });
  });
});

describe('streaming faults', () => {
  let fx: RunningFixture;
  let org: ReturnType<typeof fixtureDataset>;
  const listeners: StreamingListener[] = [];
  const fault = async (streaming: unknown) => {
    const response = await fetch(`${fx.url}/__emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ streaming }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const phones = (listener: StreamingListener) => listener.events.map((e) => e.fields.Phone);

  beforeAll(async () => {
    org = fixtureDataset();
    fx = await startEmulator({ dataset: org.dataset, changeDataCapture: { timeoutSeconds: 5, overflowThreshold: 4 } });
  });
  afterEach(() => {
    for (const listener of listeners.splice(0)) listener.close();
    expect(fx.unexpected).toEqual([]);
  });
  afterAll(async () => {
    await fx.close();
  });

  it('forgets clients: jsforce re-handshakes on 403::Unknown client and its Replay extension resumes with nothing missed', async () => {
    const listener = listen(fx.connection(), '/data/AccountChangeEvent', -1);
    listeners.push(listener);
    await listener.subscribed;
    const conn = fx.connection();
    const update = (phone: string) => conn.sobject('Account').update({ Id: org.accounts.beta.Id, Phone: phone });
    await update('f1');
    await waitFor(() => listener.events.length === 1);
    const cometd = fx.emulator.changeDataCapture.cometd;
    for (let round = 0; round < 3; round++) {
      const forgot = await fault({ forgetClients: true });
      expect(forgot.body.streaming).toEqual({ forgottenClients: 1 });
      // Changes made while the client is gone are kept for it by replay, not by its queue.
      await update(`during-${round}-a`);
      await update(`during-${round}-b`);
      await waitFor(
        () => cometd.stats().clients.some((c) => c.channels.length > 0),
        10_000,
        'the client to subscribe again',
      );
    }
    await waitFor(() => listener.events.length === 7, 10_000, 'the replayed events');
    expect(phones(listener)).toEqual([
      'f1',
      'during-0-a',
      'during-0-b',
      'during-1-a',
      'during-1-b',
      'during-2-a',
      'during-2-b',
    ]);
    expect(listener.meta.some((m) => m.channel === '/meta/connect' && m.error === '403::Unknown client')).toBe(true);
    expect(listener.meta.filter((m) => m.channel === '/meta/handshake' && m.successful).length).toBeGreaterThanOrEqual(
      2,
    );
    // Each event exactly once, in replay order.
    const ids = listener.events.map((e) => e.replayId);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('severs connections: the client reconnects with the same client id and nothing published meanwhile is lost', async () => {
    const listener = listen(fx.connection(), '/data/AccountChangeEvent', -1);
    listeners.push(listener);
    await listener.subscribed;
    const conn = fx.connection();
    const clientId = listener.meta.find((m) => m.channel === '/meta/handshake')!.clientId as string;
    const connected = () =>
      fx.emulator.changeDataCapture.cometd.stats().clients.find((c) => c.clientId === clientId)?.connected ?? false;
    await waitFor(connected, 5_000, 'a long poll');
    const dropped = await fault({ dropConnections: clientId });
    expect(dropped.body.streaming).toEqual({ droppedConnections: 1 });
    await conn.sobject('Account').update({ Id: org.accounts.gamma.Id, Phone: 'while-dropped' });
    await waitFor(() => listener.events.length === 1, 15_000, 'the event after reconnecting');
    expect(phones(listener)).toEqual(['while-dropped']);
    expect(listener.meta.filter((m) => m.channel === '/meta/handshake').length).toBe(1);
  });

  it('emits gap events and overflow events, and overflows a transaction past the threshold', async () => {
    const listener = listen(fx.connection(), '/data/ChangeEvents', -1);
    listeners.push(listener);
    await listener.subscribed;
    const { acme, beta } = org.accounts;
    const gap = await fault({
      gap: { entityName: 'Account', changeType: 'GAP_UPDATE', recordIds: [acme.Id, beta.Id] },
      overflow: { entityName: 'Contact' },
    });
    expect(gap.status).toBe(200);
    await waitFor(() => listener.events.length === 2);
    expect(listener.events[0]!.header).toMatchObject({
      entityName: 'Account',
      changeType: 'GAP_UPDATE',
      recordIds: [acme.Id, beta.Id],
      sequenceNumber: 1,
    });
    expect(listener.events[0]!.fields).toEqual({});
    expect(listener.events[1]!.header).toMatchObject({
      entityName: 'Contact',
      changeType: 'GAP_OVERFLOW',
      recordIds: [],
      sequenceNumber: 2,
    });
    expect((gap.body.streaming as { publishedReplayIds: number[] }).publishedReplayIds).toEqual(
      listener.events.map((e) => e.replayId),
    );

    // Threshold 4: an update of 2 fields counts 3 (LastModifiedDate too); the second record overflows.
    await fx
      .connection()
      .sobject('Contact')
      .update([
        { Id: org.contacts[0]!.Id, Title: 'A', Phone: '1' },
        { Id: org.contacts[1]!.Id, Title: 'B', Phone: '2' },
        { Id: org.contacts[2]!.Id, Title: 'C', Phone: '3' },
      ]);
    await waitFor(() => listener.events.length === 4);
    expect(listener.events.slice(2).map((e) => [e.header.changeType, e.header.recordIds])).toEqual([
      ['UPDATE', [org.contacts[0]!.Id]],
      ['GAP_OVERFLOW', []],
    ]);

    expect((await fault({ gap: { entityName: 'Nope', recordIds: ['x'] } })).status).toBe(400);
    expect((await fault({ gap: { entityName: 'Account', recordIds: [org.contacts[0]!.Id] } })).status).toBe(400);
    expect((await fault({ dropEverything: true })).status).toBe(400);
  });

  it('reports its clients and retained events', async () => {
    const listener = listen(fx.connection(), '/data/ContactChangeEvent', -1);
    listeners.push(listener);
    await listener.subscribed;
    const stats = (await (await fetch(`${fx.url}/__emulator/streaming`)).json()) as {
      clients: Array<{ channels: string[] }>;
      events: { retained: number; latestReplayId: number };
    };
    expect(stats.clients.some((c) => c.channels.includes('/data/ContactChangeEvent'))).toBe(true);
    expect(stats.events.retained).toBeGreaterThan(0);
    expect(stats.events.latestReplayId).toBe(fx.emulator.changeDataCapture.log.latestReplayId);
  });
});
