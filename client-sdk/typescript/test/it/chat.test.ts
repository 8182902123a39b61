import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { KindredClient, KindredError } from '../../src/index.js';
import { client, eventually, oneTo, pseudonym } from '../support/clients.js';
import { Harness } from '../support/harness.js';

describe('rooms against a real node', { timeout: 120_000 }, () => {
  let node: Harness;
  const open: KindredClient[] = [];

  before(async () => {
    node = await Harness.start();
  });

  after(async () => {
    await Promise.all(open.map((c) => c.close()));
    await node.stop();
  });

  function member(name: string, role = 'member', options = {}) {
    const made = client(node, pseudonym(name), role, options);
    open.push(made.client);
    return made;
  }

  test('two members chat: history on join, live messages, presence and typing', async () => {
    const ana = member('Ana');
    const ben = member('Ben');
    const welcome = await ana.client.connect();
    assert.equal(welcome.user.role, 'member');
    assert.equal(ana.client.state, 'ready');
    assert.deepEqual(
      ana.seen.of('state').map((s) => s.state),
      ['connecting', 'ready'],
    );
    await ana.client.join('diabetes');
    for (const i of oneTo(3)) {
      await ana.client.send('diabetes', `earlier ${i}`);
    }

    await ben.client.connect();
    const joined = await ben.client.join('diabetes');
    assert.deepEqual(
      ben.seen.texts('diabetes'),
      ['earlier 1', 'earlier 2', 'earlier 3'],
      'history before join resolves',
    );
    assert.equal(joined.presence.length, 2);
    await eventually(() => ana.seen.of('presenceJoined').length === 1, 'Ana sees Ben arrive');

    ben.client.typing('diabetes', true);
    await eventually(() => ana.seen.of('typing').some((t) => t.active), 'Ana sees Ben typing');
    const ack = await ben.client.send('diabetes', 'hello Ana');
    assert.equal(ack.seq, 4);
    assert.equal(ack.duplicate, false);
    await eventually(() => ana.seen.texts('diabetes').length === 4, 'Ana gets the live message');
    assert.deepEqual(ana.seen.seqs('diabetes'), oneTo(4));
    assert.deepEqual(ana.client.joinedRooms, ['diabetes']);

    await ben.client.leave('diabetes');
    await eventually(() => ana.seen.of('presenceLeft').length === 1, 'Ana sees Ben leave');
    assert.deepEqual(ben.client.joinedRooms, []);
  });

  test('history pages back through a room, oldest first, to the caller only', async () => {
    const cam = member('Cam');
    await cam.client.connect();
    await cam.client.join('long-covid');
    for (const i of oneTo(5)) {
      await cam.client.send('long-covid', `m${i}`);
    }
    const page = await cam.client.history('long-covid', { before: 5, limit: 2 });
    assert.deepEqual(
      page.messages.map((m) => m.seq),
      [3, 4],
    );
    assert.equal(page.hasMore, true);
    assert.equal(cam.seen.texts('long-covid').length, 5, 'the page was not delivered as events');
    const rooms = await cam.client.listRooms();
    assert.ok(rooms.some((r) => r.id === 'long-covid' && r.online === 1));
  });

  test('a refused command rejects with the server code; a refused send is not sent again', async () => {
    const dee = member('Dee');
    await dee.client.connect();
    await assert.rejects(dee.client.join('no-such-room'), (e: KindredError) => {
      assert.ok(e instanceof KindredError);
      assert.equal(e.code, 'room_not_found');
      assert.equal(e.retryable, false);
      assert.equal(e.serverError?.type, 'error');
      return true;
    });
    await assert.rejects(dee.client.send('anxiety', 'not joined yet'), { code: 'not_in_room' });
    await dee.client.join('anxiety');
    await assert.rejects(dee.client.send('anxiety', 'x'.repeat(4001)), { code: 'text_too_long' });
    await dee.client.join('welcome');
    await assert.rejects(dee.client.send('welcome', 'members cannot post here'), { code: 'forbidden' });
    await assert.rejects(dee.client.listReports(), { code: 'forbidden' });
    const ack = await dee.client.send('anxiety', 'still fine');
    assert.equal(ack.seq, 1, 'the refused sends took no place in the room');
    assert.deepEqual(dee.client.unacknowledged(), []);
  });

  test('sends beyond the rate limit are retried after retryAfterMs, in order, none lost or doubled', async () => {
    const eve = member('Eve');
    await eve.client.connect();
    await eve.client.join('chronic-pain');
    const texts = oneTo(30).map((i) => `burst ${i}`);
    const acks = await Promise.all(texts.map((t) => eve.client.send('chronic-pain', t)));
    assert.deepEqual(
      acks.map((a) => a.seq),
      oneTo(30),
    );
    // Eve's own bucket is empty now: another member reads the room.
    const eli = member('Eli');
    await eli.client.connect();
    await eli.client.join('chronic-pain');
    assert.deepEqual(eli.seen.texts('chronic-pain'), texts);
  });

  test('the same clientMsgId is posted once; its second ack says duplicate', async () => {
    const fay = member('Fay');
    await fay.client.connect();
    await fay.client.join('caregivers');
    const first = await fay.client.send('caregivers', 'only once', { clientMsgId: 'retry-me-1' });
    const again = await fay.client.send('caregivers', 'only once', { clientMsgId: 'retry-me-1' });
    assert.equal(again.duplicate, true);
    assert.equal(again.seq, first.seq);
    assert.deepEqual(fay.seen.texts('caregivers'), ['only once']);
  });

  test('with several URLs the client goes to the next one when a URL cannot be reached', async () => {
    const gus = member('Gus', 'member', { urls: ['ws://127.0.0.1:9/ws', node.urls.ws] });
    await gus.client.connect();
    assert.equal(gus.client.url, node.urls.ws);
  });

  test('no reachable URL rejects connect with connect_failed and leaves the client idle', async () => {
    const nobody = new KindredClient({ url: 'ws://127.0.0.1:9/ws', token: 't', webSocket: WebSocket });
    await assert.rejects(nobody.connect(), { code: 'connect_failed' });
    assert.equal(nobody.state, 'idle');
  });

  test('close() while a connection is still being opened ends quietly', async () => {
    const held: Socket[] = [];
    const silent = createServer((socket) => held.push(socket)); // accepts, never answers the handshake
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const stuck = new KindredClient({ url: `ws://127.0.0.1:${port}/ws`, token: 't', webSocket: WebSocket });
      const connecting = stuck.connect();
      await eventually(() => held.length === 1, 'the TCP connection is open');
      await stuck.close();
      await assert.rejects(connecting, { code: 'client_closed' });
      // An unheard socket error would be an uncaught exception: the runner fails the file for it.
    } finally {
      held.forEach((s) => s.destroy());
      silent.close();
    }
  });

  test('a refused token rejects connect with the server code and does not reconnect', async () => {
    const forged = new KindredClient({ url: node.urls.ws, token: 'not.a.token', webSocket: WebSocket });
    const states: string[] = [];
    forged.on('state', ({ state }) => states.push(state));
    await assert.rejects(forged.connect(), { code: 'token_invalid' });
    assert.deepEqual(states, ['connecting', 'idle']);
  });

  test('close() ends the session: pending sends fail with client_closed and nothing reconnects', async () => {
    const hal = member('Hal');
    await hal.client.connect();
    await hal.client.close();
    assert.equal(hal.client.state, 'closed');
    assert.deepEqual(hal.seen.of('disconnected'), [{ code: 1000, reason: 'client closed', willReconnect: false }]);
    await assert.rejects(hal.client.join('diabetes'), { code: 'client_closed' });
    await eventually(() => true, 'nothing');
  });

  test('an invisible member reads and posts but is neither listed nor announced', async () => {
    const ana = member('Ana');
    const quiet = member('Quiet', 'member', { invisible: true });
    await ana.client.connect();
    await ana.client.join('anxiety');
    const welcome = await quiet.client.connect();
    const joined = await quiet.client.join('anxiety');
    assert.ok(!joined.presence.some((u) => u.id === welcome.user.id), 'not in its own presence list');
    assert.match(welcome.user.id, /^u[A-Za-z0-9_-]{22}$/, 'an opaque id, not the token subject');

    // The last test of this node: its post must not move the seqs the tests above expect.
    await quiet.client.send('anxiety', 'reading along');
    await eventually(() => ana.seen.texts('anxiety').includes('reading along'), 'Ana reads the invisible member');
    const ben = member('Ben');
    const bensWelcome = await ben.client.connect();
    const bensView = await ben.client.join('anxiety');
    assert.ok(!bensView.presence.some((u) => u.id === welcome.user.id), 'not listed to others');
    await eventually(
      () => ana.seen.of('presenceJoined').some((p) => p.user.id === bensWelcome.user.id),
      'Ana sees Ben arrive',
    );
    assert.ok(!ana.seen.of('presenceJoined').some((p) => p.user.id === welcome.user.id), 'never announced');
  });
});
