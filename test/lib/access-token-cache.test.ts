// The access-token cache both OAuth connectors share: cached until a minute before expiry (half the
// lifetime for short tokens), one request however many callers, a caller's abort leaving the request
// to the others, a 401'd token dropped only if it is still the current one.
import { describe, expect, it } from 'vitest';
import { AccessTokenCache, type IssuedToken } from '../../lib/access-token-cache.js';

function setup(lifetimeS = 3600) {
  const clock = { now: 1_000_000 };
  let issued = 0;
  let hold: (() => void) | null = null;
  const fetchToken = async (): Promise<IssuedToken> => {
    issued += 1;
    const n = issued;
    if (hold === null) return { accessToken: `t${n}`, expiresInS: lifetimeS };
    await new Promise<void>((resolve) => (hold = resolve));
    return { accessToken: `t${n}`, expiresInS: lifetimeS };
  };
  const cache = new AccessTokenCache(fetchToken, () => clock.now);
  return { cache, clock, issued: () => issued, holdNext: () => (hold = () => undefined), release: () => hold?.() };
}

const signal = () => new AbortController().signal;

describe('AccessTokenCache', () => {
  it('keeps a token until a minute before it expires', async () => {
    const { cache, clock } = setup(3600);
    expect(await cache.get(signal(), 'c')).toBe('t1');
    clock.now += 3_540_000 - 1;
    expect(await cache.get(signal(), 'c')).toBe('t1');
    clock.now += 1;
    expect(await cache.get(signal(), 'c')).toBe('t2');
    expect(cache.requests).toBe(2);
  });

  it('refreshes a short-lived token at half its life', async () => {
    const { cache, clock } = setup(60);
    await cache.get(signal(), 'c');
    clock.now += 29_000;
    expect(await cache.get(signal(), 'c')).toBe('t1');
    clock.now += 1_000;
    expect(await cache.get(signal(), 'c')).toBe('t2');
  });

  it('makes one request for concurrent callers; a caller that gives up leaves it to the others', async () => {
    const { cache, holdNext, release } = setup();
    holdNext();
    const leaving = new AbortController();
    const callers = [cache.get(signal(), 'a'), cache.get(leaving.signal, 'b'), cache.get(signal(), 'c')];
    leaving.abort(new Error('gone'));
    await expect(callers[1]).rejects.toThrow('gone');
    await new Promise((resolve) => setImmediate(resolve));
    release();
    expect(await Promise.all([callers[0], callers[2]])).toEqual(['t1', 't1']);
    expect(cache.requests).toBe(1);
  });

  it('drops a token the backend refused, but not a newer one', async () => {
    const { cache } = setup();
    const first = await cache.get(signal(), 'c');
    cache.invalidate(first);
    const second = await cache.get(signal(), 'c');
    expect(second).toBe('t2');
    cache.invalidate(first);
    expect(await cache.get(signal(), 'c')).toBe('t2');
    expect(await cache.refresh(signal(), 'c')).toBe('t3');
  });

  it('caches nothing when the request fails', async () => {
    let fail = true;
    const cache = new AccessTokenCache(async () => {
      if (fail) throw new Error('refused');
      return { accessToken: 'ok', expiresInS: 3600 };
    });
    await expect(cache.get(signal(), 'c')).rejects.toThrow('refused');
    fail = false;
    expect(await cache.get(signal(), 'c')).toBe('ok');
  });
});
