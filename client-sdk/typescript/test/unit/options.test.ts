import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import WebSocket from 'ws';
import { KindredClient, KindredError } from '../../src/index.js';

const webSocket = WebSocket;

describe('KindredClient options', () => {
  test('a URL and a token are required, and named when missing', () => {
    assert.throws(() => new KindredClient({ token: 't', webSocket }), /urls: \[\] \(expected: at least one/);
    assert.throws(
      () => new KindredClient({ url: 'http://x/ws', token: 't', webSocket }),
      /expected: a ws:\/\/ or wss:\/\//,
    );
    assert.throws(() => new KindredClient({ url: 'ws://x/ws', token: '', webSocket }), /token: none/);
  });

  test('numbers out of range are refused with the option named', () => {
    const base = { url: 'ws://x/ws', token: 't', webSocket };
    assert.throws(() => new KindredClient({ ...base, requestTimeoutMs: 0 }), /requestTimeoutMs: 0 \(expected: > 0\)/);
    assert.throws(() => new KindredClient({ ...base, pingIntervalMs: -1 }), /pingIntervalMs: -1/);
    assert.throws(() => new KindredClient({ ...base, maxSendAttempts: 0 }), /maxSendAttempts: 0/);
    assert.throws(() => new KindredClient({ ...base, reconnect: { factor: 0 } }), /factor: 0/);
  });

  test('a language that is not a BCP 47 tag is refused with the option named', () => {
    const base = { url: 'ws://x/ws', token: 't', webSocket };
    assert.throws(() => new KindredClient({ ...base, language: 'french' }), /language: "french" \(expected: a BCP 47/);
    assert.ok(new KindredClient({ ...base, language: 'fr-CA' }));
  });

  test('without a WebSocket class the error says what to pass', () => {
    const global = globalThis as { WebSocket?: unknown };
    const saved = global.WebSocket;
    delete global.WebSocket;
    try {
      assert.throws(() => new KindredClient({ url: 'ws://x/ws', token: 't' }), /the 'ws' package/);
    } finally {
      if (saved !== undefined) global.WebSocket = saved;
    }
  });

  test('a new client is idle; commands before connect() fail with not_connected', async () => {
    const client = new KindredClient({ url: 'ws://127.0.0.1:9/ws', token: 't', webSocket });
    assert.equal(client.state, 'idle');
    await assert.rejects(client.listRooms(), (e: KindredError) => e.code === 'not_connected');
    await assert.rejects(client.send('r', 'hi'), { code: 'not_connected' });
  });

  test('argument errors throw at once', () => {
    const client = new KindredClient({ url: 'ws://127.0.0.1:9/ws', token: 't', webSocket });
    assert.throws(() => client.send('', 'hi'), /room/);
    assert.throws(() => client.send('r', '  '), /text/);
    assert.throws(() => client.send('r', 'hi', { clientMsgId: 'x'.repeat(65) }), /longer than 64/);
    assert.throws(() => client.typing('', true), /room/);
  });

  test('a closed client refuses to connect', async () => {
    const client = new KindredClient({ url: 'ws://127.0.0.1:9/ws', token: 't', webSocket });
    await client.close();
    assert.equal(client.state, 'closed');
    await assert.rejects(client.connect(), { code: 'client_closed' });
  });
});
