import assert from 'node:assert/strict';
import { describe, mock, test } from 'node:test';
import { ClientErrorCode, KindredError } from '../../src/errors.js';
import { PendingRequests } from '../../src/pending.js';

describe('PendingRequests', () => {
  test('a reply settles the command with its ref, once', async () => {
    const pending = new PendingRequests();
    const reply = pending.register('r1', 1000, 'ping');
    assert.equal(pending.complete('r1', { type: 'pong', ref: 'r1' }), true);
    assert.equal(pending.complete('r1', { type: 'pong', ref: 'r1' }), false);
    assert.deepEqual(await reply, { type: 'pong', ref: 'r1' });
    assert.equal(pending.size, 0);
  });

  test('a command without a reply in time fails with client_timeout, naming the command', async () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const pending = new PendingRequests();
      const reply = pending.register('r1', 5000, 'join');
      mock.timers.tick(5000);
      await assert.rejects(reply, (e: KindredError) => e.code === ClientErrorCode.TIMEOUT && /join/.test(e.message));
      assert.equal(pending.complete('r1', { type: 'pong' }), false);
    } finally {
      mock.timers.reset();
    }
  });

  test('a closed connection fails every waiting command', async () => {
    const pending = new PendingRequests();
    const a = pending.register('a', 1000, 'x');
    const b = pending.register('b', 1000, 'y');
    pending.failAll(KindredError.connectionClosed(1006, 'gone', true));
    await assert.rejects(a, { code: 'connection_closed', closeCode: 1006 });
    await assert.rejects(b, { code: 'connection_closed' });
  });

  test('a ref cannot wait twice', () => {
    const pending = new PendingRequests();
    void pending.register('r1', 1000, 'x').catch(() => {});
    assert.throws(() => pending.register('r1', 1000, 'x'), /already pending/);
    pending.failAll(new Error('done'));
  });
});
