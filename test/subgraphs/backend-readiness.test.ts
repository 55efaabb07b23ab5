// A subgraph's readiness (subgraphs/shared/backend-readiness.ts on lib/readiness.ts): read from the
// outcomes of the backend calls the shield makes anyway, with a ping only when nothing was seen for
// the interval and a probe asks; degraded (the backend down after this process reached it) stays
// ready, never having reached it is not.
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { ShieldEvent } from '../../shield/index.js';
import type { BackendOutcome } from '../../shield/metrics.js';
import { backendReadiness } from '../../subgraphs/shared/backend-readiness.js';

const flush = () => new Promise((resolve) => setImmediate(resolve));

function setup(options: { pingFails?: boolean } = {}) {
  let now = Date.parse('2026-03-01T10:00:00Z');
  const listeners: ((event: ShieldEvent) => void)[] = [];
  const pings: string[] = [];
  let pingFails = options.pingFails ?? false;
  let releasePing: (() => void) | null = null;
  let holdPings = false;
  const readiness = backendReadiness({
    backend: 'erp',
    policy: { subscribe: (listener) => (listeners.push(listener), { dispose: () => undefined }) },
    ping: async ({ correlationId }) => {
      pings.push(correlationId);
      await flush(); // a backend call takes a while
      if (holdPings) await new Promise<void>((resolve) => (releasePing = resolve));
      // A ping goes through the shield too, and reports its outcome like any call.
      call('ping', pingFails ? 'unavailable' : 'success');
      if (pingFails) throw new Error('ERP down');
    },
    intervalMs: 30_000,
    logger: pino({ level: 'silent' }),
    now: () => now,
  });
  const call = (operation: string, outcome: BackendOutcome) =>
    listeners.forEach((listener) => listener({ type: 'call', backend: 'erp', operation, outcome }));
  return {
    readiness,
    pings,
    call,
    advance: (ms: number) => (now += ms),
    failPings: (fails: boolean) => (pingFails = fails),
    hold: () => (holdPings = true),
    release: () => {
      holdPings = false;
      releasePing?.();
    },
    probe: async () => {
      const { httpStatus, body } = await readiness.report('probe');
      return { httpStatus, status: body.status };
    },
  };
}

describe('backend readiness', () => {
  it('checks once on the first probe, then answers 50 probes without a backend call', async () => {
    const { probe, pings } = setup();
    for (let i = 0; i < 50; i += 1) expect(await probe()).toEqual({ httpStatus: 200, status: 'ready' });
    expect(pings).toHaveLength(1);
  });

  it('needs no ping at all while calls are being made', async () => {
    const { probe, pings, call, advance } = setup();
    for (let minute = 0; minute < 10; minute += 1) {
      call('customersByNumbers', 'success');
      advance(60_000);
      call('itemsByNumbers', 'success');
      expect(await probe()).toEqual({ httpStatus: 200, status: 'ready' });
    }
    expect(pings).toEqual([]);
  });

  it('is degraded (still 200) when calls fail after the backend was reached, ready again when one succeeds', async () => {
    const { probe, call, pings } = setup();
    call('customersByNumbers', 'success');
    call('customersByNumbers', 'timeout');
    expect(await probe()).toEqual({ httpStatus: 200, status: 'degraded' });
    call('customersByNumbers', 'circuit_open');
    expect(await probe()).toEqual({ httpStatus: 200, status: 'degraded' });
    call('customersByNumbers', 'success');
    expect(await probe()).toEqual({ httpStatus: 200, status: 'ready' });
    // Outcomes about us, not the backend, change nothing; a refusal of our request says it is there.
    call('customersByNumbers', 'bulkhead_full');
    call('customersByNumbers', 'abandoned');
    expect(await probe()).toEqual({ httpStatus: 200, status: 'ready' });
    call('customersByNumbers', 'rejected');
    expect(await probe()).toEqual({ httpStatus: 200, status: 'ready' });
    expect(pings).toEqual([]);
  });

  it('is unavailable (503) while the backend has never been reached since start', async () => {
    const { probe, pings, advance, failPings } = setup({ pingFails: true });
    expect(await probe()).toEqual({ httpStatus: 503, status: 'unavailable' });
    expect(await probe()).toEqual({ httpStatus: 503, status: 'unavailable' });
    expect(pings).toHaveLength(1);
    // The next check is due after the interval: it runs in the background, the probe after it sees it.
    failPings(false);
    advance(30_000);
    expect(await probe()).toEqual({ httpStatus: 503, status: 'unavailable' });
    await flush();
    expect(await probe()).toEqual({ httpStatus: 200, status: 'ready' });
    expect(pings).toHaveLength(2);
  });

  it('checks a stale observation in the background, once for any number of probes', async () => {
    const { probe, pings, call, advance, hold, release } = setup();
    call('customersByNumbers', 'success');
    advance(30_000);
    hold();
    const answers = await Promise.all(Array.from({ length: 20 }, () => probe()));
    expect(answers.every((answer) => answer.status === 'ready')).toBe(true);
    expect(pings).toHaveLength(1);
    release();
    await flush();
    await flush();
    expect(pings).toHaveLength(1);
  });

  it('checks a backend seen down again after 5 s, not the full interval; still once for many probes', async () => {
    const { probe, pings, advance, failPings } = setup({ pingFails: true });
    expect(await probe()).toEqual({ httpStatus: 503, status: 'unavailable' });
    for (let i = 0; i < 50; i += 1) await probe();
    expect(pings).toHaveLength(1);
    failPings(false);
    advance(5_000);
    await probe();
    await flush();
    await flush();
    expect(await probe()).toEqual({ httpStatus: 200, status: 'ready' });
    expect(pings).toHaveLength(2);
  });
});
