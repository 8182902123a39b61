import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { KindredClient } from '../../src/index.js';
import { client, eventually, pseudonym } from '../support/clients.js';
import { Harness } from '../support/harness.js';

/** A node that lists 3 users in `joined`, pages 4 at a time and batches presence in rooms of more than 5. */
const CONFIG = `
newMemberPeriod: 0s
presenceGrace: 0s
ratePerSecond: 1000
rateBurst: 1000
presence:
  joinedListLimit: 3
  pageMax: 4
  batchAbove: 5
  batchInterval: 100ms
rooms:
  - id: crowd
    title: A busy room
`;

describe('paged presence against a real node', { timeout: 120_000 }, () => {
  let node: Harness;
  const open: KindredClient[] = [];

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kindred-presence-'));
    writeFileSync(join(dir, 'kindred.yaml'), CONFIG);
    node = await Harness.start(['--config', join(dir, 'kindred.yaml')]);
  });

  after(async () => {
    await Promise.all(open.map((c) => c.close()));
    await node.stop();
  });

  async function joined(name: string, options = {}) {
    const made = client(node, pseudonym(name), 'member', options);
    open.push(made.client);
    await made.client.connect();
    const reply = await made.client.join('crowd');
    return { ...made, reply };
  }

  test('joined lists the first few with the count; pages list everyone exactly once', async () => {
    const crowd = [];
    for (let i = 0; i < 10; i++) {
      crowd.push(await joined(`Pager${i}`));
    }
    const reader = await joined('Reader');
    assert.equal(reader.reply.presence.length, 3);
    assert.ok(reader.reply.online >= 11);
    const listed = [...reader.reply.presence];
    let next = reader.reply.presenceNext;
    while (next !== undefined) {
      const page = await reader.client.presencePage('crowd', { after: next });
      assert.ok(page.users.length <= 4);
      listed.push(...page.users);
      next = page.next;
    }
    const ids = listed.map((u) => u.id);
    assert.equal(new Set(ids).size, ids.length, 'nobody twice');
    assert.equal(ids.length, reader.reply.online);
    assert.equal(reader.client.members('crowd')?.members.length, reader.reply.online);
  });

  test('an exact member list equals the room after a burst, through batched diffs', async () => {
    const exact = await joined('Exact', { exactPresence: true });
    const onJoin = exact.client.members('crowd');
    assert.ok(onJoin?.complete, 'every page loaded on join');
    assert.equal(onJoin?.members.length, onJoin?.online);

    const burst = [];
    for (let i = 0; i < 8; i++) {
      burst.push(await joined(`Burst${i}`));
    }
    await burst[0]!.client.leave('crowd');
    const truth = await joined('Truth', { exactPresence: true });
    const expected = truth.client.members('crowd')!;
    await eventually(() => {
      const now = exact.client.members('crowd')!;
      const names = now.members.map((u) => u.pseudonym).sort();
      return (
        now.online === expected.online &&
        JSON.stringify(names) === JSON.stringify(expected.members.map((u) => u.pseudonym).sort())
      );
    }, 'the exact list matches a fresh full listing');
    assert.ok(exact.seen.of('presenceDiff').length > 0, 'a busy room sends diffs');
  });
});
