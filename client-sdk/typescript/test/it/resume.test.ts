import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Ack, KindredClient } from '../../src/index.js';
import { client, eventually, oneTo, pseudonym } from '../support/clients.js';
import { Harness } from '../support/harness.js';

/**
 * The exactly-once, in-order promise across connection loss: a proxy that cuts the TCP connections (a phone losing its
 * network), a node that closes every connection (close code 4000) and comes back with its history (Redis), and one
 * that comes back without it (a new epoch).
 */
describe('reconnect and resume against a real node', { timeout: 60_000 }, () => {
  let plain: Harness;
  let shared: Harness;
  const open: KindredClient[] = [];

  before(async () => {
    [plain, shared] = await Promise.all([Harness.start(), Harness.start(['--redis'])]);
  });

  after(async () => {
    await Promise.all(open.map((c) => c.close()));
    await Promise.all([plain.stop(), shared.stop()]);
  });

  function member(node: Harness, name: string, url = node.urls.ws) {
    const made = client(node, pseudonym(name), 'member', { url });
    open.push(made.client);
    return made;
  }

  test('a dropped connection resumes: every message once and in order, the unsent message delivered once', async () => {
    const phone = member(plain, 'Phone', plain.urls.proxyWs);
    const desk = member(plain, 'Desk');
    await Promise.all([phone.client.connect(), desk.client.connect()]);
    await phone.client.join('diabetes');
    await desk.client.join('diabetes');
    for (const i of oneTo(10)) {
      await desk.client.send('diabetes', `before ${i}`);
    }
    await eventually(() => phone.seen.texts('diabetes').length === 10, 'the phone has the first ten');

    assert.equal(await plain.drop(), 1);
    await eventually(() => phone.seen.of('disconnected').length === 1, 'the phone notices');
    assert.deepEqual(phone.seen.of('disconnected')[0], { code: 1006, reason: '', willReconnect: true });
    const offline = phone.client.send('diabetes', 'from the tunnel');
    assert.deepEqual(
      phone.client.unacknowledged('diabetes').map((s) => s.text),
      ['from the tunnel'],
    );
    for (const i of oneTo(10)) {
      await desk.client.send('diabetes', `during ${i}`);
    }
    const ack = await offline;
    for (const i of oneTo(10)) {
      await desk.client.send('diabetes', `after ${i}`);
    }

    await eventually(() => phone.seen.texts('diabetes').length === 31, 'the phone has all 31');
    assert.deepEqual(phone.seen.seqs('diabetes'), oneTo(31));
    assert.equal(phone.seen.texts('diabetes').filter((t) => t === 'from the tunnel').length, 1);
    assert.ok(ack.seq >= 11 && ack.seq <= 31);
    assert.deepEqual(phone.seen.of('resumed'), [{ room: 'diabetes', recovered: true, reset: false }]);
    assert.ok(phone.tokens() >= 2, 'the token source was asked again for the new connection');
    assert.deepEqual(
      phone.seen.of('state').map((s) => s.state),
      ['connecting', 'ready', 'reconnecting', 'resuming', 'ready'],
    );
    await eventually(() => desk.seen.texts('diabetes').includes('from the tunnel'), 'the desk gets it');
    assert.equal(desk.seen.texts('diabetes').filter((t) => t === 'from the tunnel').length, 1);
  });

  test('sends cut off in flight are sent again with the same clientMsgId: posted once each, in the order written', async () => {
    const phone = member(plain, 'Burst', plain.urls.proxyWs);
    const reader = member(plain, 'Reader');
    await Promise.all([phone.client.connect(), reader.client.connect()]);
    await phone.client.join('long-covid');
    await reader.client.join('long-covid');
    const texts = oneTo(12).map((i) => `burst ${i}`);
    const sends: Promise<Ack>[] = [];
    for (const [i, text] of texts.entries()) {
      sends.push(phone.client.send('long-covid', text, { clientMsgId: `burst-${process.pid}-${i}` }));
      if (i === 3) {
        await plain.drop(); // while the fourth send is on its way
      }
    }
    const acks = await Promise.all(sends);
    assert.deepEqual(
      acks.map((a) => a.seq),
      oneTo(12),
      'acked in the order written',
    );
    await eventually(() => reader.seen.texts('long-covid').length === 12, 'the reader has all twelve');
    assert.deepEqual(reader.seen.texts('long-covid'), texts);
    assert.deepEqual(phone.seen.texts('long-covid'), texts);
  });

  test('a node that closes every connection and returns with its history: resumed, nothing lost or doubled', async () => {
    const phone = member(shared, 'Roamer');
    const desk = member(shared, 'Anchor');
    await Promise.all([phone.client.connect(), desk.client.connect()]);
    await phone.client.join('anxiety');
    await desk.client.join('anxiety');
    for (const i of oneTo(5)) {
      await desk.client.send('anxiety', `before ${i}`);
    }
    await eventually(() => phone.seen.texts('anxiety').length === 5, 'the phone has the first five');

    const restarted = shared.restart();
    await eventually(() => phone.seen.of('disconnected').length === 1, 'the phone is told to reconnect');
    assert.deepEqual(phone.seen.of('disconnected')[0], {
      code: 4000,
      reason: 'server shutting down',
      willReconnect: true,
    });
    const whileAway = [phone.client.send('anxiety', 'sent while away'), desk.client.send('anxiety', 'desk while away')];
    await restarted;
    await Promise.all(whileAway);
    for (const i of oneTo(5)) {
      await desk.client.send('anxiety', `after ${i}`);
    }

    await eventually(() => phone.seen.texts('anxiety').length === 12, 'the phone has all twelve');
    assert.deepEqual(phone.seen.seqs('anxiety'), oneTo(12));
    assert.deepEqual(phone.seen.of('resumed'), [{ room: 'anxiety', recovered: true, reset: false }]);
    for (const text of ['sent while away', 'desk while away']) {
      assert.equal(phone.seen.texts('anxiety').filter((t) => t === text).length, 1, text);
    }
  });

  test('a node that returns without its history: the room starts again in a new epoch, and the app is told', async () => {
    const phone = member(plain, 'Restart');
    await phone.client.connect();
    await phone.client.join('depression');
    for (const i of oneTo(3)) {
      await phone.client.send('depression', `old ${i}`);
    }

    const restarted = plain.restart();
    await eventually(() => phone.client.state !== 'ready', 'the phone is cut off');
    const pending = phone.client.send('depression', 'new history');
    await restarted;
    const ack = await pending;
    assert.equal(ack.seq, 1, 'the new history starts at 1');

    await eventually(() => phone.seen.of('resumed').length === 1, 'the room is resumed');
    assert.deepEqual(phone.seen.of('resumed')[0], { room: 'depression', recovered: false, reset: true });
    await eventually(() => phone.seen.texts('depression').includes('new history'), 'the new message arrives');
    assert.deepEqual(phone.seen.texts('depression'), ['old 1', 'old 2', 'old 3', 'new history']);
    assert.deepEqual(phone.seen.seqs('depression'), [1, 2, 3, 1]);
  });
});
