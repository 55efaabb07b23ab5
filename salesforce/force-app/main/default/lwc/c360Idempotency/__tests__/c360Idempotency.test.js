// The submission key: one per intended submission, the same on every retry until settled, random
// UUIDs where crypto.randomUUID is missing, and kept in memory when storage is blocked.
import { keyFor, pendingKey, settle } from 'c/c360Idempotency';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

afterEach(() => {
  window.sessionStorage.clear();
  jest.restoreAllMocks();
});

describe('c360Idempotency', () => {
  it('hands out the same key until the submission is settled, then a new one', () => {
    expect(pendingKey('q1')).toBeNull();
    const first = keyFor('q1');
    expect(first).toMatch(UUID_V4);
    expect(keyFor('q1')).toBe(first);
    expect(pendingKey('q1')).toBe(first);
    expect(keyFor('q2')).not.toBe(first);

    settle('q1');
    expect(pendingKey('q1')).toBeNull();
    const second = keyFor('q1');
    expect(second).not.toBe(first);
  });

  it("survives a reload of the component: the key lives in the tab's session storage", () => {
    const key = keyFor('q3');
    expect(window.sessionStorage.getItem('c360:submitQuote:q3')).toBe(key);
  });

  it('uses crypto.randomUUID where the browser has it', () => {
    const original = crypto.randomUUID;
    crypto.randomUUID = () => '11111111-2222-4333-8444-555555555555';
    try {
      expect(keyFor('q4')).toBe('11111111-2222-4333-8444-555555555555');
    } finally {
      crypto.randomUUID = original;
    }
  });

  it('keeps keys in memory when storage is blocked', () => {
    jest.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new Error('blocked');
    });
    jest.spyOn(Storage.prototype, 'getItem').mockImplementation(() => {
      throw new Error('blocked');
    });
    const key = keyFor('q5');
    expect(keyFor('q5')).toBe(key);
    settle('q5');
    expect(pendingKey('q5')).toBeNull();
  });
});
