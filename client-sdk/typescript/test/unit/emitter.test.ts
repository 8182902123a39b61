import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Emitter } from '../../src/emitter.js';

interface Events {
  tick: number;
  tock: string;
}

describe('Emitter', () => {
  test('listeners run in the order they were added, and stop when removed', () => {
    const seen: string[] = [];
    const emitter = new Emitter<Events>(() => {});
    const off = emitter.on('tick', (n) => seen.push(`first ${n}`));
    emitter.on('tick', (n) => seen.push(`second ${n}`));
    emitter.emit('tick', 1);
    off();
    emitter.emit('tick', 2);
    assert.deepEqual(seen, ['first 1', 'second 1', 'second 2']);
  });

  test('a listener that throws is reported and does not stop the others', () => {
    const errors: unknown[] = [];
    const seen: number[] = [];
    const emitter = new Emitter<Events>((name, error) => errors.push([name, (error as Error).message]));
    emitter.on('tick', () => {
      throw new Error('boom');
    });
    emitter.on('tick', (n) => seen.push(n));
    emitter.emit('tick', 7);
    assert.deepEqual(seen, [7]);
    assert.deepEqual(errors, [['tick', 'boom']]);
  });

  test('once resolves with the next event of its name only', async () => {
    const emitter = new Emitter<Events>(() => {});
    const next = emitter.once('tock');
    emitter.emit('tick', 1);
    emitter.emit('tock', 'a');
    emitter.emit('tock', 'b');
    assert.equal(await next, 'a');
  });
});
