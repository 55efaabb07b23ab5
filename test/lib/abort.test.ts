// lib/abort.ts: a waiter that gives up must never leave the shared work's failure unhandled.
import { describe, expect, it, vi } from 'vitest';
import { settleUnlessAborted } from '../../lib/abort.js';

describe('settleUnlessAborted', () => {
  it('settles with the work while the signal stays quiet', async () => {
    await expect(
      settleUnlessAborted(Promise.resolve(7), new AbortController().signal, () => new Error('gone')),
    ).resolves.toBe(7);
  });

  it('rejects with the reason as soon as the signal aborts, and the late failure of the work is handled', async () => {
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const controller = new AbortController();
      controller.abort();
      let fail!: (error: Error) => void;
      const work = new Promise<number>((_resolve, reject) => {
        fail = reject;
      });
      await expect(settleUnlessAborted(work, controller.signal, () => new Error('gave up'))).rejects.toThrow('gave up');
      fail(new Error('shared work failed later'));
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });
});
