import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ReconnectPolicy } from '../../src/reconnect.js';

describe('ReconnectPolicy', () => {
  test('the bound doubles from 200 ms up to 10 s by default', () => {
    const policy = new ReconnectPolicy();
    assert.deepEqual(
      [0, 1, 2, 3, 5, 6, 10].map((n) => policy.bound(n)),
      [200, 400, 800, 1600, 6400, 10_000, 10_000],
    );
  });

  test('each delay is drawn uniformly between zero and the bound, both included', () => {
    const policy = new ReconnectPolicy({ initialDelayMs: 100, maxDelayMs: 1000 });
    assert.equal(
      policy.delay(0, () => 0),
      0,
    );
    assert.equal(
      policy.delay(0, () => 0.999_999),
      100,
    );
    assert.equal(
      policy.delay(1, () => 0.5),
      100,
    );
    assert.equal(
      policy.delay(20, () => 0.999_999),
      1000,
    );
  });

  test('jitter spreads clients dropped at once over the whole window', () => {
    const policy = new ReconnectPolicy();
    const delays = new Set(Array.from({ length: 200 }, () => policy.delay(3)));
    assert.ok(delays.size > 100, `only ${delays.size} distinct delays`);
    assert.ok([...delays].every((d) => d !== undefined && d >= 0 && d <= 1600));
  });

  test('gives up after maxAttempts, and none() never reconnects', () => {
    const policy = new ReconnectPolicy({ maxAttempts: 2 });
    assert.notEqual(policy.delay(1), undefined);
    assert.equal(policy.delay(2), undefined);
    assert.equal(ReconnectPolicy.none().delay(0), undefined);
  });

  test('settings out of range are refused with the setting named', () => {
    assert.throws(() => new ReconnectPolicy({ initialDelayMs: 0 }), /initialDelayMs: 0 \(expected: > 0\)/);
    assert.throws(() => new ReconnectPolicy({ initialDelayMs: 500, maxDelayMs: 100 }), /maxDelayMs: 100/);
    assert.throws(() => new ReconnectPolicy({ factor: 0.5 }), /factor: 0.5/);
    assert.throws(() => new ReconnectPolicy({ maxAttempts: -1 }), /maxAttempts: -1/);
  });
});
