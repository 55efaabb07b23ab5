// The guarded re-authorization policy in isolation (session.ts): single flight, one re-authorization
// per interval, fail fast after a failed token request.
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { BackendError } from '../../lib/backend-error.js';
import type { AccessToken } from '../../connectors/salesforce/auth.js';
import { createSession } from '../../connectors/salesforce/session.js';

function harness(outcomes: (AccessToken | BackendError)[]) {
  let clock = 10_000;
  const calls: string[] = [];
  const seen: AccessToken[] = [];
  let release: () => void = () => undefined;
  let gate = Promise.resolve();
  const session = createSession({
    obtain: async (correlationId) => {
      calls.push(correlationId);
      await gate;
      const next = outcomes.shift();
      if (!next) throw new Error('unexpected token request');
      if (next instanceof BackendError) throw next;
      return next;
    },
    onToken: (token) => seen.push(token),
    logger: pino({ level: 'silent' }),
    now: () => clock,
  });
  return {
    session,
    calls,
    seen,
    advance: (ms: number) => (clock += ms),
    hold: () => (gate = new Promise((resolve) => (release = resolve))),
    release: () => release(),
  };
}

const token = (n: number): AccessToken => ({ accessToken: `t${n}`, instanceUrl: 'http://sf.test' });
const down = () =>
  new BackendError('salesforce', 'unavailable', 'token endpoint down', { operation: 'auth', status: 503 });

describe('Salesforce session', () => {
  it('shares one token request between concurrent first callers', async () => {
    const h = harness([token(1)]);
    h.hold();
    const all = Promise.all([1, 2, 3, 4, 5].map((i) => h.session.token(`c${i}`)));
    h.release();
    expect((await all).map((t) => t.accessToken)).toEqual(['t1', 't1', 't1', 't1', 't1']);
    expect(h.calls).toEqual(['c1']);
    expect(h.seen).toEqual([token(1)]);
  });

  it('re-authorizes once for concurrent 401s and hands a replaced token to late callers', async () => {
    const h = harness([token(1), token(2)]);
    const t1 = await h.session.token('a');
    h.hold();
    const all = Promise.all([1, 2, 3].map((i) => h.session.reauthorize(t1, `r${i}`)));
    h.release();
    expect((await all).map((t) => t.accessToken)).toEqual(['t2', 't2', 't2']);
    // A request that was sent with t1 and fails later just gets t2: no new token request.
    expect((await h.session.reauthorize(t1, 'late')).accessToken).toBe('t2');
    expect(h.calls).toEqual(['a', 'r1']);
  });

  it('does not re-authorize again within the interval: a fresh token refused is unauthorized', async () => {
    const h = harness([token(1), token(2), token(3)]);
    const t1 = await h.session.token('a');
    const t2 = await h.session.reauthorize(t1, 'b');
    await expect(h.session.reauthorize(t2, 'c')).rejects.toMatchObject({ failure: 'unauthorized' });
    h.advance(1_000);
    expect((await h.session.reauthorize(t2, 'd')).accessToken).toBe('t3');
    expect(h.calls).toEqual(['a', 'b', 'd']);
  });

  it('fails fast for a second after a failed token request, then tries again', async () => {
    const h = harness([down(), token(1)]);
    await expect(h.session.token('a')).rejects.toMatchObject({ failure: 'unavailable' });
    for (let i = 0; i < 20; i++) {
      await expect(h.session.token(`x${i}`)).rejects.toMatchObject({ failure: 'unavailable' });
    }
    expect(h.calls).toEqual(['a']);
    h.advance(1_000);
    expect((await h.session.token('b')).accessToken).toBe('t1');
    expect(h.calls).toEqual(['a', 'b']);
  });
});
