import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { KindredClient } from '../../src/index.js';
import { client, eventually, pseudonym } from '../support/clients.js';
import { Harness } from '../support/harness.js';

describe('one-to-one support against a real node', { timeout: 120_000 }, () => {
  let node: Harness;
  const open: KindredClient[] = [];

  before(async () => {
    node = await Harness.start();
  });

  after(async () => {
    await Promise.all(open.map((c) => c.close()));
    await node.stop();
  });

  async function connected<T extends { client: KindredClient }>(made: T): Promise<T> {
    await made.client.connect();
    return made;
  }

  function user(name: string, role: string, url?: string) {
    const made = client(node, pseudonym(name), role, url ? { url } : {});
    open.push(made.client);
    return made;
  }

  test('a member asks, a mentor accepts, they talk privately, the member ends it and rates it', async () => {
    const mentor = user('Sam', 'mentor');
    const member = user('Robin', 'member');
    const outsider = user('Nosy', 'member');
    await Promise.all([mentor.client.connect(), member.client.connect(), outsider.client.connect()]);
    const availability = await mentor.client.setAvailability({
      available: true,
      conditions: ['diabetes'],
      languages: ['en'],
      capacity: 2,
    });
    assert.equal(availability.available, true);
    assert.equal(availability.activeSessions, 0);

    const queued = await member.client.requestSupport({
      condition: 'diabetes',
      language: 'en',
      note: 'Newly diagnosed and a bit overwhelmed.',
    });
    assert.equal(queued.position, 1);
    await eventually(() => mentor.seen.of('offer').length === 1, 'the mentor is offered the request');
    const offer = mentor.seen.of('offer')[0]!;
    assert.equal(offer.requestId, queued.requestId);
    assert.equal(offer.note, 'Newly diagnosed and a bit overwhelmed.');

    const session = await mentor.client.acceptOffer(offer.requestId);
    assert.equal(mentor.seen.of('sessionStarted').length, 1, 'the accepting mentor gets the event too');
    await eventually(() => member.seen.of('sessionStarted').length === 1, 'the member is told');
    assert.equal(member.seen.of('sessionStarted')[0]!.sessionId, session.sessionId);

    await member.client.join(session.sessionId);
    await mentor.client.join(session.sessionId);
    await member.client.send(session.sessionId, 'Thank you for taking this.');
    await mentor.client.send(session.sessionId, 'Of course. How are you doing today?');
    await eventually(() => member.seen.texts(session.sessionId).length === 2, 'both messages reach the member');
    // To anyone else the session does not exist.
    await assert.rejects(outsider.client.join(session.sessionId), { code: 'room_not_found' });
    await mentor.client.mentorNote(session.sessionId, 'Coping well; suggested the diabetes room.');

    await member.client.endSession(session.sessionId);
    await eventually(() => mentor.seen.of('sessionEnded').length === 1, 'the mentor is told it ended');
    assert.equal(mentor.seen.of('sessionEnded')[0]!.reason, 'ended');
    await member.client.rateSession(session.sessionId, 5, 'Sam really listened.');
    await assert.rejects(member.client.send(session.sessionId, 'one more thing'), { code: 'session_ended' });
  });

  test('a member may withdraw its request; a second request while one is open is refused', async () => {
    const member = user('Wren', 'member');
    await member.client.connect();
    const queued = await member.client.requestSupport({ condition: 'long-covid', language: 'fr' });
    await assert.rejects(member.client.requestSupport({ condition: 'long-covid', language: 'fr' }), {
      code: 'already_requested',
    });
    const cancelled = await member.client.cancelSupport(queued.requestId);
    assert.equal(cancelled.reason, 'cancelled');
    await assert.rejects(member.client.cancelSupport(queued.requestId), { code: 'request_not_found' });
  });

  test('a member may not set availability; a mentor declines an offer and it moves on', async () => {
    const member = user('Ash', 'member');
    const first = user('Kai', 'mentor');
    const second = user('Lee', 'mentor');
    await Promise.all([member.client.connect(), first.client.connect(), second.client.connect()]);
    await assert.rejects(
      member.client.setAvailability({ available: true, conditions: ['anxiety'], languages: ['de'] }),
      { code: 'forbidden' },
    );
    await first.client.setAvailability({ available: true, conditions: ['anxiety'], languages: ['de'] });
    await member.client.requestSupport({ condition: 'anxiety', language: 'de' });
    await eventually(() => first.seen.of('offer').length === 1, 'the first mentor is offered it');
    await second.client.setAvailability({ available: true, conditions: ['anxiety'], languages: ['de'] });
    await first.client.declineOffer(first.seen.of('offer')[0]!.requestId);
    await eventually(() => second.seen.of('offer').length === 1, 'the offer moves on to the second mentor');
    await second.client.acceptOffer(second.seen.of('offer')[0]!.requestId);
    await eventually(() => member.seen.of('sessionStarted').length === 1, 'the member is matched');
  });

  test("a hand-off with the member's consent moves the session to another mentor, history and all", async () => {
    const member = await connected(user('Jules', 'member'));
    const first = await connected(user('Ari', 'mentor'));
    const second = await connected(user('Bo', 'mentor'));
    await first.client.setAvailability({ available: true, conditions: ['caregivers'], languages: ['en'] });
    await member.client.requestSupport({ condition: 'caregivers', language: 'en' });
    await eventually(() => first.seen.of('offer').length === 1, 'the first mentor is offered it');
    const session = await first.client.acceptOffer(first.seen.of('offer')[0]!.requestId);
    await member.client.join(session.sessionId);
    await member.client.send(session.sessionId, 'My mother has just moved in with us.');

    await second.client.setAvailability({ available: true, conditions: ['caregivers'], languages: ['en'] });
    await first.client.proposeHandoff(session.sessionId, {
      toMentorId: second.client.welcome!.user.id,
      reason: 'Bo cared for a parent for years.',
    });
    await eventually(() => member.seen.of('handoffProposed').length === 1, 'the member is asked');
    assert.equal(member.seen.of('handoffProposed')[0]!.reason, 'Bo cared for a parent for years.');
    await member.client.answerHandoff(session.sessionId, true);
    await eventually(() => first.seen.of('done').some((d) => d.command === 'handoff_accepted'), 'the mentor is told');
    await eventually(() => second.seen.of('offer').length === 1, 'the second mentor is offered the session');
    assert.equal(second.seen.of('offer')[0]!.sessionId, session.sessionId);
    await second.client.acceptOffer(second.seen.of('offer')[0]!.requestId);
    await eventually(() => first.seen.of('sessionEnded').some((e) => e.reason === 'handed_off'), 'handed off');
    await eventually(
      () => member.seen.of('sessionStarted').some((s) => s.continued && s.mentor.id === second.client.welcome!.user.id),
      'the member continues with the second mentor',
    );
    await second.client.join(session.sessionId);
    assert.deepEqual(second.seen.texts(session.sessionId), ['My mother has just moved in with us.']);
    await member.client.deleteTranscript(session.sessionId);
  });

  test("a mentor's availability is set again by itself after its connection drops", async () => {
    const mentor = user('Mo', 'mentor', node.urls.proxyWs);
    await mentor.client.connect();
    await mentor.client.setAvailability({ available: true, conditions: ['chronic-pain'], languages: ['en'] });
    await node.drop();
    await eventually(() => mentor.seen.of('availabilityRestored').length === 1, 'the availability is restored');
    assert.deepEqual(mentor.seen.of('availabilityRestored')[0]!.conditions, ['chronic-pain']);

    const member = user('Pat', 'member');
    await member.client.connect();
    await member.client.requestSupport({ condition: 'chronic-pain', language: 'en' });
    await eventually(() => mentor.seen.of('offer').length === 1, 'the restored mentor is offered the request');
  });
});
