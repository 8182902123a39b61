import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { GroupInfo, KindredClient } from '../../src/index.js';
import { client, eventually, pseudonym } from '../support/clients.js';
import { Harness } from '../support/harness.js';

describe('group sessions against a real node', { timeout: 120_000 }, () => {
  let node: Harness;
  const open: KindredClient[] = [];

  before(async () => {
    node = await Harness.start();
  });

  after(async () => {
    await Promise.all(open.map((c) => c.close()));
    await node.stop();
  });

  async function user(name: string, role = 'member') {
    const made = client(node, pseudonym(name), role);
    open.push(made.client);
    const welcome = await made.client.connect();
    return { ...made, id: welcome.user.id };
  }

  /** A group starting in five minutes: its lobby (15 minutes before the start) is already open. */
  function soon(title: string): { title: string; topic: string; startsAt: Date; durationMinutes: number } {
    return { title, topic: 'long-covid', startsAt: new Date(Date.now() + 5 * 60_000), durationMinutes: 60 };
  }

  test('a facilitator schedules, members register and wait in the lobby, then post once it opens', async () => {
    const member = await user('Robin');
    await assert.rejects(member.client.createGroup(soon('Not mine to run')), { code: 'forbidden' });
    const dana = await user('Dana', 'facilitator');
    const group = await dana.client.createGroup({
      ...soon('Evening circle'),
      capacity: 12,
      registration: true,
      rules: 'Be kind. One voice at a time.',
      recurrence: 'weekly',
      timeZone: 'Europe/Paris',
    });
    assert.equal(group.recurrence, 'weekly');
    assert.equal(group.phase, 'lobby');
    assert.match(group.startsAt ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, 'sent in UTC, to the second');

    const listed = await member.client.listGroups('long-covid');
    assert.ok(listed.some((g) => g.groupId === group.groupId));
    await assert.rejects(member.client.join(group.room as string), { code: 'registration_required' });
    const registered = await member.client.registerGroup(group.groupId);
    assert.equal(registered.youAreRegistered, true);

    await dana.client.join(group.room as string);
    await member.client.join(group.room as string);
    await eventually(
      () => member.client.groupState(group.room as string)?.phase === 'lobby',
      'the member is in the lobby',
    );
    assert.equal(member.client.groupState(group.room as string)?.pinned?.rules, 'Be kind. One voice at a time.');
    await assert.rejects(member.client.send(group.room as string, 'too early'), { code: 'group_not_open' });

    await dana.client.openGroup(group.groupId);
    await eventually(() => member.client.groupState(group.room as string)?.phase === 'open', 'the meeting opens');
    await member.client.send(group.room as string, 'Hello everyone');
    await eventually(
      () => dana.seen.texts(group.room as string).includes('Hello everyone'),
      'the facilitator reads it',
    );

    await dana.client.closeGroup(group.groupId);
    const attendance = await dana.client.attendance(group.groupId);
    assert.deepEqual(
      attendance.attendees.map((a) => a.user.id),
      [member.id],
    );
    const updated = await dana.client.updateGroup(group.groupId, { title: 'Evening circle (new title)' });
    assert.equal(updated.title, 'Evening circle (new title)');
    await eventually(() => member.seen.of('groupChanged').length >= 1, 'the registered member hears of the change');
    assert.equal((await member.client.unregisterGroup(group.groupId)).youAreRegistered, false);
  });

  test("the facilitator's controls: a muted member's send says why, slow mode says when, hands and the floor", async () => {
    const dana = await user('Dana', 'facilitator');
    const robin = await user('Robin');
    const casey = await user('Casey');
    const group: GroupInfo = await dana.client.createGroup(soon('Controls'));
    const room = group.room as string;
    for (const c of [dana, robin, casey]) {
      await c.client.join(room);
    }
    await dana.client.openGroup(group.groupId);
    await eventually(() => robin.client.groupState(room)?.phase === 'open', 'open');

    await dana.client.mute(group.groupId, robin.id);
    await eventually(() => casey.client.groupState(room)?.muted.includes(robin.id) === true, 'everyone sees the mute');
    await assert.rejects(robin.client.send(room, 'but I have something to say'), { code: 'muted', retryable: false });
    assert.deepEqual(robin.client.unacknowledged(room), [], 'a refused send is not sent again');
    await dana.client.unmute(group.groupId, robin.id);

    await dana.client.setGroupChat(group.groupId, { slowModeSeconds: 60 });
    await robin.client.send(room, 'first');
    await assert.rejects(robin.client.send(room, 'second'), (e: { code: string; retryAfterMs?: number }) => {
      assert.equal(e.code, 'slow_mode');
      assert.ok(e.retryAfterMs !== undefined && e.retryAfterMs > 0 && e.retryAfterMs <= 60_000);
      return true;
    });
    await dana.client.setGroupChat(group.groupId, { slowModeSeconds: 0, locked: true });
    await assert.rejects(robin.client.send(room, 'locked?'), { code: 'chat_locked' });
    await dana.client.setGroupChat(group.groupId, { locked: false, floorOnly: true });

    await robin.client.raiseHand(group.groupId);
    await casey.client.raiseHand(group.groupId);
    await eventually(() => dana.client.groupState(room)?.hands.length === 2, 'the facilitator sees two hands');
    assert.deepEqual(
      dana.client.groupState(room)?.hands.map((u) => u.id),
      [robin.id, casey.id],
    );
    await dana.client.giveFloorToNext(group.groupId);
    await eventually(() => casey.client.groupState(room)?.floor?.user.id === robin.id, 'Robin holds the floor');
    await assert.rejects(casey.client.send(room, 'me too'), { code: 'not_your_turn' });
    await robin.client.send(room, 'my turn');
    await dana.client.takeFloor(group.groupId);
    await casey.client.lowerHand(group.groupId);

    await casey.client.listenOnly(group.groupId, true);
    await assert.rejects(casey.client.raiseHand(group.groupId), { code: 'listen_only' });
    await casey.client.listenOnly(group.groupId, false);

    const posted = robin.seen.of('message').find((m) => m.text === 'my turn');
    await dana.client.pin(group.groupId, posted?.seq as number);
    await eventually(() => casey.client.groupState(room)?.pinned?.message?.text === 'my turn', 'the pin shows');
    await dana.client.unpin(group.groupId);

    await dana.client.removeParticipant(group.groupId, casey.id, { reason: 'Please take a break.', ban: true });
    await eventually(() => casey.seen.of('removedFromGroup').length === 1, 'Casey is told');
    assert.equal(casey.seen.of('removedFromGroup')[0]?.banned, true);
    assert.equal(casey.client.groupState(room), undefined);
    assert.ok(!casey.client.joinedRooms.includes(room), 'the room is forgotten, not re-joined');
    await assert.rejects(casey.client.join(room), { code: 'removed_from_group' });
    await dana.client.liftGroupBan(group.groupId, casey.id);
    await casey.client.join(room);

    const cancelled = await dana.client.cancelGroup(group.groupId, 'The facilitator is unwell.');
    assert.equal(cancelled.phase, 'cancelled');
  });
});
