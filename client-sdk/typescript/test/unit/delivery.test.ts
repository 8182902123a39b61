import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DeliveryTracker } from '../../src/delivery.js';
import type { ChatMessage, Joined } from '../../src/generated/protocol.js';

const author = { id: 'u-1', pseudonym: 'Robin', role: 'member' };

function message(room: string, seq: number): ChatMessage {
  return { type: 'message', room, seq, id: `m-${seq}`, author, text: `text ${seq}`, ts: seq };
}

function joined(room: string, epoch: string, seqs: number[], lastSeq: number, recovered = false): Joined {
  return {
    type: 'joined',
    room,
    epoch,
    lastSeq,
    recovered,
    messages: seqs.map((s) => message(room, s)),
    hasMore: false,
    presence: [],
    online: 0,
  };
}

describe('DeliveryTracker', () => {
  test('a first join delivers its page in order and live messages follow above it', () => {
    const rooms = new DeliveryTracker();
    const outcome = rooms.joined(joined('r', 'e1', [3, 1, 2], 3));
    assert.deepEqual(
      outcome.toDeliver.map((m) => m.seq),
      [1, 2, 3],
    );
    assert.equal(outcome.recovered, false);
    assert.equal(outcome.reset, false);
    assert.equal(rooms.accept(message('r', 4)), true);
    assert.deepEqual(rooms.cursor('r'), { epoch: 'e1', lastSeq: 4 });
  });

  test('a message at or below the cursor is a duplicate and is dropped', () => {
    const rooms = new DeliveryTracker();
    rooms.joined(joined('r', 'e1', [1, 2], 2));
    assert.equal(rooms.accept(message('r', 2)), false);
    assert.equal(rooms.accept(message('r', 1)), false);
    assert.equal(rooms.accept(message('r', 3)), true);
    assert.equal(rooms.accept(message('r', 3)), false);
  });

  test('a message of a room not joined is dropped', () => {
    assert.equal(new DeliveryTracker().accept(message('elsewhere', 1)), false);
  });

  test('a resume delivers only what was missed and reports it recovered', () => {
    const rooms = new DeliveryTracker();
    rooms.joined(joined('r', 'e1', [1, 2], 2));
    rooms.accept(message('r', 3));
    const outcome = rooms.joined(joined('r', 'e1', [3, 4, 5], 5, true));
    assert.deepEqual(
      outcome.toDeliver.map((m) => m.seq),
      [4, 5],
    );
    assert.equal(outcome.recovered, true);
    assert.equal(outcome.reset, false);
  });

  test('a new epoch starts the room again: its history is delivered from the start and reported as a reset', () => {
    const rooms = new DeliveryTracker();
    rooms.joined(joined('r', 'e1', [1, 2, 3, 4, 5, 6, 7], 7));
    const outcome = rooms.joined(joined('r', 'e2', [1, 2], 2, false));
    assert.deepEqual(
      outcome.toDeliver.map((m) => m.seq),
      [1, 2],
    );
    assert.equal(outcome.recovered, false);
    assert.equal(outcome.reset, true);
    assert.equal(rooms.accept(message('r', 3)), true);
  });

  test('history that went backwards under the same epoch is a reset too', () => {
    const rooms = new DeliveryTracker();
    rooms.joined(joined('r', 'e1', [1, 2, 3, 4], 4));
    const outcome = rooms.joined(joined('r', 'e1', [1, 2], 2, true));
    assert.equal(outcome.reset, true);
    assert.equal(outcome.recovered, false);
    assert.deepEqual(
      outcome.toDeliver.map((m) => m.seq),
      [1, 2],
    );
  });

  test('forgotten rooms are not re-joined; entries keep the order rooms were joined in', () => {
    const rooms = new DeliveryTracker();
    rooms.joined(joined('b', 'e', [], 0));
    rooms.joined(joined('a', 'e', [], 0));
    rooms.joined(joined('c', 'e', [], 0));
    rooms.forget('a');
    assert.deepEqual(
      rooms.entries().map(([room]) => room),
      ['b', 'c'],
    );
  });
});
