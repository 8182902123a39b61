import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Outbox } from '../../src/outbox.js';

function add(outbox: Outbox, room: string, clientMsgId: string) {
  return outbox.add({ room, clientMsgId, text: clientMsgId, resolve: () => {}, reject: () => {} });
}

describe('Outbox', () => {
  test('one send per room goes out at a time, rooms do not wait for each other', () => {
    const outbox = new Outbox();
    add(outbox, 'a', 'a1');
    add(outbox, 'a', 'a2');
    add(outbox, 'b', 'b1');
    const first = outbox.sendable();
    assert.deepEqual(
      first.map((s) => s.clientMsgId),
      ['a1', 'b1'],
    );
    first.forEach((s) => (s.status = 'inFlight'));
    assert.deepEqual(outbox.sendable(), []);
    outbox.remove(first[0]!);
    assert.deepEqual(
      outbox.sendable().map((s) => s.clientMsgId),
      ['a2'],
    );
  });

  test('after a reconnect every send goes out again in the order it was made', () => {
    const outbox = new Outbox();
    const a1 = add(outbox, 'a', 'a1');
    add(outbox, 'a', 'a2');
    a1.status = 'inFlight';
    outbox.requeueAll();
    assert.deepEqual(
      outbox.sendable().map((s) => s.clientMsgId),
      ['a1'],
    );
    assert.deepEqual(
      outbox.list().map((s) => s.clientMsgId),
      ['a1', 'a2'],
    );
  });

  test('a room gone for good takes its sends with it, others stay', () => {
    const outbox = new Outbox();
    add(outbox, 'a', 'a1');
    add(outbox, 'b', 'b1');
    add(outbox, 'a', 'a2');
    assert.deepEqual(
      outbox.removeRoom('a').map((s) => s.clientMsgId),
      ['a1', 'a2'],
    );
    assert.deepEqual(
      outbox.list().map((s) => s.clientMsgId),
      ['b1'],
    );
    assert.equal(outbox.drain().length, 1);
    assert.equal(outbox.size, 0);
  });
});
