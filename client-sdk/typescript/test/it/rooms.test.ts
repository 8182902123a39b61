import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { KindredClient } from '../../src/index.js';
import { client, eventually, pseudonym } from '../support/clients.js';
import { Harness } from '../support/harness.js';

describe('rooms made at run time against a real node', { timeout: 120_000 }, () => {
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
    await made.client.connect();
    return made;
  }

  test('a moderator makes, edits, archives and restores a room a member joins', async () => {
    const moderator = await user('Jo', 'moderator');
    const member = await user('Robin');
    const id = `ts-room-${Date.now()}`;

    const made = await moderator.client.createRoom({
      room: id,
      title: 'Night owls',
      tags: ['sleep'],
      presence: 'count',
      audience: { roles: [], claims: {} },
    });
    assert.equal(made.id, id);
    assert.equal(made.presence, 'count');
    assert.equal(made.archived, false);
    assert.deepEqual(made.rules, ['new_member_contacts'], 'the default rules');

    assert.ok((await member.client.listRooms()).some((r) => r.id === id));
    await member.client.join(id);

    const edited = await moderator.client.editRoom(id, { title: 'Night owls (3am)' });
    assert.equal(edited.title, 'Night owls (3am)');
    assert.deepEqual(edited.tags, ['sleep'], 'fields left out stay');

    const archived = await moderator.client.archiveRoom(id);
    assert.equal(archived.archived, true);
    await eventually(
      () => member.seen.texts(id).some((text) => text.includes('archived')),
      'the member in the room reads that it was archived',
    );
    assert.ok(!(await member.client.listRooms()).some((r) => r.id === id));
    assert.ok((await moderator.client.listManagedRooms()).some((r) => r.id === id && r.archived));

    assert.equal((await moderator.client.restoreRoom(id)).archived, false);
    assert.ok((await member.client.listRooms()).some((r) => r.id === id));
  });

  test('each refusal rejects with its code', async () => {
    const member = await user('Casey');
    await assert.rejects(member.client.createRoom({ room: 'mine', title: 'Mine' }), { code: 'forbidden' });
    await assert.rejects(member.client.listManagedRooms(), { code: 'forbidden' });
    const moderator = await user('Mo', 'moderator');
    await assert.rejects(moderator.client.createRoom({ room: 'diabetes', title: 'Again' }), { code: 'room_exists' });
    await assert.rejects(moderator.client.createRoom({ room: 'g-1', title: 'Meeting?' }), { code: 'invalid_field' });
    await assert.rejects(moderator.client.editRoom('nowhere', { title: 'X' }), { code: 'room_not_found' });
    await assert.rejects(moderator.client.archiveRoom('diabetes'), { code: 'forbidden' });
  });
});
