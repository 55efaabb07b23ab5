// The durable store on both engines, with the same tests: PGlite in a temporary directory and a fresh
// PostgreSQL database. Claims are atomic (one winner among concurrent claims, also between two store
// instances sharing PostgreSQL, i.e. two processes), leases expire and are taken over, finished
// records replay, the embedded store survives a restart, and the audit log keeps every write.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore, MIGRATIONS, StoreLockedError, type Store } from '../../connectors/store/index.js';
import { createLogger } from '../../lib/logger.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { createTempDir, type TempDir } from '../support/temp-dir.js';

const logger = createLogger('store-test', 'silent');
const T0 = new Date('2026-01-01T10:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const LEASE = 30_000;

let counter = 0;
const ref = () => ({ scope: 'anonymous', operation: 'submitQuote', key: `key-${process.pid}-${++counter}` });
const claimInput = (key: ReturnType<typeof ref>, owner: string, now = T0, requestHash = 'h1') => ({
  ...key,
  requestHash,
  request: { quoteId: 'Q1' },
  correlationId: `corr-${owner}`,
  owner,
  now,
  leaseMs: LEASE,
});

interface Engine {
  name: string;
  open(): Store;
  /** A second, independent instance on the same data (another process), when the engine allows it. */
  openPeer?(): Store;
}

let tempDir: TempDir;
let database: TestDatabase;
const opened: Store[] = [];
const track = (store: Store) => (opened.push(store), store);
let embedded: Store;

beforeAll(async () => {
  tempDir = createTempDir('store');
  database = await createTestDatabase();
});

afterAll(async () => {
  for (const store of opened) await store.close();
  tempDir?.remove();
  await database?.drop();
});

const engines: Engine[] = [
  {
    name: 'embedded (PGlite)',
    open: () =>
      (embedded = track(createStore({ kind: 'embedded', directory: join(tempDir.path, 'store', 'a') }, logger))),
  },
  {
    name: 'PostgreSQL',
    open: () => track(createStore({ kind: 'postgres', connectionString: database.url }, logger)),
    openPeer: () => track(createStore({ kind: 'postgres', connectionString: database.url }, logger)),
  },
];

describe.each(engines)('store on $name', (engine) => {
  let store: Store;
  beforeAll(async () => {
    store = engine.open();
    await store.ready();
  });

  it('claims a new key once: the next claim sees it in progress, another request sees it reused', async () => {
    const key = ref();
    const first = await store.idempotency.claim(claimInput(key, 'w1'));
    expect(first).toMatchObject({ kind: 'claimed', resumed: false });
    expect(first.record).toMatchObject({
      state: 'in_progress',
      leaseOwner: 'w1',
      attempts: 1,
      correlationId: 'corr-w1',
    });
    expect((await store.idempotency.claim(claimInput(key, 'w2', at(1000)))).kind).toBe('in_progress');
    expect((await store.idempotency.claim(claimInput(key, 'w2', at(1000), 'h2'))).kind).toBe('reused');
  });

  it('replays a completed record, whoever asks and whenever', async () => {
    const key = ref();
    await store.idempotency.claim(claimInput(key, 'w1'));
    expect(await store.idempotency.complete(key, 'w1', { status: 'ACCEPTED_BY_ERP', order: 'SO-1' }, at(10))).toBe(
      true,
    );
    const replay = await store.idempotency.claim(claimInput(key, 'w2', at(LEASE * 10)));
    expect(replay.kind).toBe('completed');
    expect(replay.record.result).toEqual({ status: 'ACCEPTED_BY_ERP', order: 'SO-1' });
    expect(replay.record.completedAt).toEqual(at(10));
  });

  it('lets a retry take over an expired lease; the old holder can then neither advance nor finish', async () => {
    const key = ref();
    await store.idempotency.claim(claimInput(key, 'dead'));
    const retry = await store.idempotency.claim(claimInput(key, 'w2', at(LEASE + 1)));
    expect(retry).toMatchObject({ kind: 'claimed', resumed: true });
    expect(retry.record.attempts).toBe(2);
    expect(await store.idempotency.renew(key, 'dead', at(LEASE + 2), LEASE)).toBe(false);
    expect(await store.idempotency.advance(key, 'dead', 'order_created', {}, at(LEASE + 2))).toBe(false);
    expect(await store.idempotency.complete(key, 'dead', {}, at(LEASE + 2))).toBe(false);
    expect(await store.idempotency.advance(key, 'w2', 'order_created', { orderNumber: 'SO-9' }, at(LEASE + 3))).toBe(
      true,
    );
    expect(await store.idempotency.get(key)).toMatchObject({
      stage: 'order_created',
      progress: { orderNumber: 'SO-9' },
    });
  });

  it('renewing keeps the lease alive past its first expiry', async () => {
    const key = ref();
    await store.idempotency.claim(claimInput(key, 'w1'));
    expect(await store.idempotency.renew(key, 'w1', at(LEASE - 1), LEASE)).toBe(true);
    expect((await store.idempotency.claim(claimInput(key, 'w2', at(LEASE + 1)))).kind).toBe('in_progress');
  });

  it('a released record is claimable at once; with a stage it is listed as unfinished until completed', async () => {
    const key = ref();
    await store.idempotency.claim(claimInput(key, 'w1'));
    expect(
      await store.idempotency.release(
        key,
        'w1',
        { status: 'PENDING_ERP' },
        'order_created',
        { orderNumber: 'SO-2' },
        at(5),
      ),
    ).toBe(true);
    const unfinished = await store.idempotency.unfinished('submitQuote', at(6), 1000);
    expect(unfinished.map((r) => r.key)).toContain(key.key);
    const again = await store.idempotency.claim(claimInput(key, 'w2', at(7)));
    expect(again).toMatchObject({ kind: 'claimed', resumed: true });
    expect(again.record).toMatchObject({ stage: 'order_created', result: { status: 'PENDING_ERP' } });
    await store.idempotency.complete(key, 'w2', { status: 'ACCEPTED_BY_ERP' }, at(8));
    expect((await store.idempotency.unfinished('submitQuote', at(9), 1000)).map((r) => r.key)).not.toContain(key.key);
  });

  it('lists abandoned records (lease expired) as unfinished, live ones not', async () => {
    const key = ref();
    await store.idempotency.claim(claimInput(key, 'w1', at(0)));
    expect((await store.idempotency.unfinished('submitQuote', at(LEASE - 1), 1000)).map((r) => r.key)).not.toContain(
      key.key,
    );
    expect((await store.idempotency.unfinished('submitQuote', at(LEASE + 1), 1000)).map((r) => r.key)).toContain(
      key.key,
    );
  });

  it('of 50 concurrent claims of one key exactly one wins', async () => {
    const key = ref();
    const peer = engine.openPeer?.();
    const stores = peer ? [store, peer] : [store];
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, (_, i) => stores[i % stores.length]!.idempotency.claim(claimInput(key, `w${i}`))),
    );
    expect(outcomes.filter((o) => o.kind === 'claimed')).toHaveLength(1);
    expect(outcomes.filter((o) => o.kind === 'in_progress')).toHaveLength(49);
  });

  it('of 50 concurrent takeovers of an expired lease exactly one wins', async () => {
    const key = ref();
    await store.idempotency.claim(claimInput(key, 'dead'));
    const peer = engine.openPeer?.();
    const stores = peer ? [store, peer] : [store];
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        stores[i % stores.length]!.idempotency.claim(claimInput(key, `w${i}`, at(LEASE + 1))),
      ),
    );
    expect(outcomes.filter((o) => o.kind === 'claimed')).toHaveLength(1);
  });

  it('leases: one holder at a time, re-entrant for the holder, free after release or expiry', async () => {
    const name = `quote:${ref().key}`;
    const peer = engine.openPeer?.() ?? store;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? peer : store).leases.acquire(name, `h${i}`, T0, LEASE)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const holder = `h${results.indexOf(true)}`;
    expect(await store.leases.acquire(name, holder, at(1), LEASE)).toBe(true);
    expect(await store.leases.acquire(name, 'other', at(2), LEASE)).toBe(false);
    expect(await store.leases.renew(name, holder, at(LEASE - 1), LEASE)).toBe(true);
    expect(await store.leases.acquire(name, 'other', at(LEASE + 1), LEASE)).toBe(false);
    expect(await store.leases.acquire(name, 'other', at(3 * LEASE), LEASE)).toBe(true);
    expect(await store.leases.renew(name, holder, at(3 * LEASE), LEASE)).toBe(false);
    await store.leases.release(name, 'other');
    expect(await store.leases.acquire(name, 'third', at(3 * LEASE + 1), LEASE)).toBe(true);
  });

  it('leases: held longer on purpose, neither the holder’s renewal nor its re-acquisition shortens it', async () => {
    const name = `quote:${ref().key}`;
    expect(await store.leases.acquire(name, 'h', T0, LEASE)).toBe(true);
    expect(await store.leases.renew(name, 'h', T0, 3 * LEASE)).toBe(true);
    expect(await store.leases.renew(name, 'h', at(1), LEASE)).toBe(true);
    expect(await store.leases.acquire(name, 'h', at(2), LEASE)).toBe(true);
    expect(await store.leases.acquire(name, 'other', at(2 * LEASE), LEASE)).toBe(false);
    expect(await store.leases.acquire(name, 'other', at(3 * LEASE), LEASE)).toBe(true);
  });

  it('audit: a pending entry before the call, finished with response or error after it', async () => {
    const key = ref();
    const id = await store.audit.begin({
      system: 'erp',
      operation: 'createSalesOrder',
      target: `SFQ-${key.key}`,
      caller: 'anonymous',
      correlationId: `corr-${key.key}`,
      idempotencyKey: key.key,
      request: { customerNumber: 'C00001', lines: [{ itemNumber: '1000-A', quantity: 2 }] },
      startedAt: T0,
    });
    expect((await store.audit.list({ correlationId: `corr-${key.key}` }))[0]).toMatchObject({
      id,
      status: 'pending',
      finishedAt: null,
    });
    await store.audit.finish(id, { status: 'succeeded', response: { number: 'SO-1' }, finishedAt: at(50) });
    const failed = await store.audit.begin({
      system: 'salesforce',
      operation: 'updateQuotesErpSync',
      target: 'Q1',
      caller: 'anonymous',
      correlationId: `corr-${key.key}`,
      idempotencyKey: key.key,
      request: { status: 'Accepted' },
      startedAt: at(60),
    });
    await store.audit.finish(failed, { status: 'failed', error: { failure: 'unavailable' }, finishedAt: at(70) });
    const entries = await store.audit.list({ idempotencyKey: key.key });
    expect(entries.map((e) => [e.system, e.operation, e.status])).toEqual([
      ['erp', 'createSalesOrder', 'succeeded'],
      ['salesforce', 'updateQuotesErpSync', 'failed'],
    ]);
    expect(entries[0]).toMatchObject({
      target: `SFQ-${key.key}`,
      caller: 'anonymous',
      request: { customerNumber: 'C00001', lines: [{ itemNumber: '1000-A', quantity: 2 }] },
      response: { number: 'SO-1' },
      startedAt: T0,
      finishedAt: at(50),
    });
    expect(entries[1]).toMatchObject({ error: { failure: 'unavailable' }, response: null });
  });

  it('audit: settlePending finishes only the pending entries of that write of that submission', async () => {
    const key = ref();
    const entry = (operation: string, target: string, caller = 'c1') => ({
      system: 'erp' as const,
      operation,
      target,
      caller,
      correlationId: `corr-${key.key}`,
      idempotencyKey: key.key,
      request: {},
      startedAt: T0,
    });
    const pending = await store.audit.begin(entry('createSalesOrder', 'SFQ-1'));
    const done = await store.audit.begin(entry('createSalesOrder', 'SFQ-1'));
    await store.audit.finish(done, { status: 'failed', error: { failure: 'timeout' }, finishedAt: at(10) });
    const otherCaller = await store.audit.begin(entry('createSalesOrder', 'SFQ-1', 'c2'));
    const otherWrite = await store.audit.begin(entry('updateQuotesErpSync', 'SFQ-1'));
    const match = { caller: 'c1', idempotencyKey: key.key, operation: 'createSalesOrder', target: 'SFQ-1' };
    expect(
      await store.audit.settlePending(match, {
        status: 'succeeded',
        response: { settledBy: 'recovery', number: 'SO-9' },
        finishedAt: at(99),
      }),
    ).toBe(1);
    const byId = new Map((await store.audit.list({ idempotencyKey: key.key })).map((e) => [e.id, e]));
    expect(byId.get(pending)).toMatchObject({
      status: 'succeeded',
      response: { settledBy: 'recovery', number: 'SO-9' },
      finishedAt: at(99),
    });
    expect(byId.get(done)).toMatchObject({ status: 'failed', error: { failure: 'timeout' } });
    expect(byId.get(otherCaller)?.status).toBe('pending');
    expect(byId.get(otherWrite)?.status).toBe('pending');
    expect(await store.audit.settlePending(match, { status: 'failed', finishedAt: at(100) })).toBe(0);
  });

  it('lists completed records to watch: recent, with the progress key set, newest first', async () => {
    const op = `watch-${process.pid}-${++counter}`;
    const key = (n: number) => ({ scope: 'anonymous', operation: op, key: `w-${n}` });
    const complete = async (n: number, progress: unknown, completedAt: Date) => {
      await store.idempotency.claim({ ...claimInput(key(n), 'w'), now: at(-60_000) });
      await store.idempotency.advance(key(n), 'w', 'order_created', progress, at(-59_000));
      await store.idempotency.complete(key(n), 'w', { n }, completedAt);
    };
    await complete(1, { unconfirmedCreateAt: 'x' }, at(-10_000));
    await complete(2, { unconfirmedCreateAt: 'x' }, at(-5_000));
    await complete(3, { orderNumber: 'SO-1' }, at(-5_000));
    await complete(4, { unconfirmedCreateAt: 'x' }, at(-120_000));
    const listed = await store.idempotency.completedWithProgress(op, 'unconfirmedCreateAt', at(-60_000), 10);
    expect(listed.map((r) => r.key)).toEqual(['w-2', 'w-1']);
    expect(listed[0]).toMatchObject({ state: 'completed', progress: { unconfirmedCreateAt: 'x' }, result: { n: 2 } });
    expect(await store.idempotency.completedWithProgress(op, 'unconfirmedCreateAt', at(-60_000), 1)).toHaveLength(1);
  });

  it('purges finished records older than the cutoff and keeps unfinished work', async () => {
    const old = at(-48 * 3600_000);
    const [done, open, unfinished, live] = [ref(), ref(), ref(), ref()];
    for (const key of [done, open, unfinished, live]) await store.idempotency.claim(claimInput(key, 'w', old));
    await store.idempotency.complete(done, 'w', {}, old);
    await store.idempotency.release(open, 'w', {}, null, null, old);
    await store.idempotency.release(unfinished, 'w', {}, 'order_created', {}, old);
    await store.idempotency.purge(at(-24 * 3600_000));
    expect(await store.idempotency.get(done)).toBeNull();
    expect(await store.idempotency.get(open)).toBeNull();
    expect(await store.idempotency.get(unfinished)).not.toBeNull();
    expect(await store.idempotency.get(live)).not.toBeNull();
  });

  it('counts the retention from completion (or the last update), not from creation', async () => {
    const created = at(-48 * 3600_000);
    const [lateDone, lateOpen] = [ref(), ref()];
    for (const key of [lateDone, lateOpen]) await store.idempotency.claim(claimInput(key, 'w', created));
    // Retried for a day and more, finished an hour ago: its result must still be replayed.
    await store.idempotency.complete(lateDone, 'w', {}, at(-3600_000));
    await store.idempotency.release(lateOpen, 'w', {}, null, null, at(-3600_000));
    await store.idempotency.purge(at(-24 * 3600_000));
    expect(await store.idempotency.get(lateDone)).not.toBeNull();
    expect(await store.idempotency.get(lateOpen)).not.toBeNull();
  });
});

describe('embedded store', () => {
  // One PGlite directory for the whole file (creating one runs initdb: seconds): the engine tests
  // above filled it; here it is closed and reopened, as a restarted service would.
  it('survives a restart: records are still there and migrations are not re-run', async () => {
    const directory = join(tempDir.path, 'store', 'a');
    const key = ref();
    const first = embedded;
    await first.idempotency.claim(claimInput(key, 'w1'));
    await first.idempotency.complete(key, 'w1', { status: 'ACCEPTED_BY_ERP' }, at(1));
    await first.close();

    const second = track(createStore({ kind: 'embedded', directory }, logger));
    expect(second.mayHoldData()).toBe(true);
    const replay = await second.idempotency.claim(claimInput(key, 'w2', at(2)));
    expect(replay).toMatchObject({ kind: 'completed', record: { result: { status: 'ACCEPTED_BY_ERP' } } });
    // A second instance on the same directory (another process, or this one) is refused.
    await expect(createStore({ kind: 'embedded', directory }, logger).ready()).rejects.toBeInstanceOf(StoreLockedError);
  });

  it('creates nothing before first use', () => {
    const store = createStore({ kind: 'embedded', directory: join(tempDir.path, 'store', 'never-used') }, logger);
    expect(store.mayHoldData()).toBe(false);
  });
});

describe('migrations', () => {
  it('are numbered uniquely and in order', () => {
    const versions = MIGRATIONS.map((m) => m.version);
    expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b));
  });
});
