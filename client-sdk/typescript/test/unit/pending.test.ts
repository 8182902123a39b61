import assert from 'node:assert/strict';
import { describe, mock, test } from 'node:test';
import { ClientErrorCode, KindredError } from '../../src/errors.js';
import type { ServerMessage } from '../../src/generated/protocol.js';
import { PendingRequests } from '../../src/pending.js';

function recorder() {
  const settled: { error: unknown; reply?: ServerMessage }[] = [];
  return { settled, settle: (error: unknown, reply?: ServerMessage) => settled.push({ error, reply }) };
}

describe('PendingRequests', () => {
  test('a reply settles the command with its ref, once, synchronously', () => {
    const pending = new PendingRequests();
    const { settled, settle } = recorder();
    pending.register('r1', 1000, 'ping', settle);
    assert.equal(pending.complete('r1', { type: 'pong', ref: 'r1' }), true);
    assert.deepEqual(settled, [{ error: undefined, reply: { type: 'pong', ref: 'r1' } }], 'before complete returns');
    assert.equal(pending.complete('r1', { type: 'pong', ref: 'r1' }), false);
    assert.equal(settled.length, 1);
    assert.equal(pending.size, 0);
  });

  test('a command without a reply in time fails with client_timeout, naming the command', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const pending = new PendingRequests();
      const { settled, settle } = recorder();
      pending.register('r1', 5000, 'join', settle);
      mock.timers.tick(4999);
      assert.equal(settled.length, 0);
      mock.timers.tick(1);
      const error = settled[0]?.error as KindredError;
      assert.equal(error.code, ClientErrorCode.TIMEOUT);
      assert.match(error.message, /join/);
      assert.equal(pending.complete('r1', { type: 'pong' }), false, 'a late reply is ignored');
    } finally {
      mock.timers.reset();
    }
  });

  test('a closed connection fails every waiting command', () => {
    const pending = new PendingRequests();
    const { settled, settle } = recorder();
    pending.register('a', 1000, 'x', settle);
    pending.register('b', 1000, 'y', settle);
    pending.failAll(KindredError.connectionClosed(1006, 'gone', true));
    assert.deepEqual(
      settled.map((s) => [(s.error as KindredError).code, (s.error as KindredError).closeCode]),
      [
        ['connection_closed', 1006],
        ['connection_closed', 1006],
      ],
    );
  });

  test('a ref cannot wait twice', () => {
    const pending = new PendingRequests();
    pending.register('r1', 1000, 'x', () => {});
    assert.throws(() => pending.register('r1', 1000, 'x', () => {}), /already pending/);
    pending.failAll(new Error('done'));
  });
});
