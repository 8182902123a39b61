import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { KindredClient, KindredError } from '../../src/index.js';
import { client, eventually, pseudonym } from '../support/clients.js';
import { Harness } from '../support/harness.js';

/** Rooms for these tests: an open room, and one whose rules hold messages that name a dose. */
const CONFIG = `
newMemberPeriod: 0s
presenceGrace: 0s
rooms:
  - id: open-chat
    title: Open chat
    rules: []
  - id: medication
    title: Medication questions
    rules: [hold_doses]
`;

describe('safety against a real node', { timeout: 120_000 }, () => {
  let node: Harness;
  const open: KindredClient[] = [];

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kindred-safety-'));
    writeFileSync(join(dir, 'kindred.yaml'), CONFIG);
    node = await Harness.start(['--config', join(dir, 'kindred.yaml')]);
  });

  after(async () => {
    await Promise.all(open.map((c) => c.close()));
    await node.stop();
  });

  async function user(name: string, role = 'member', room = 'open-chat') {
    const made = client(node, pseudonym(name), role);
    open.push(made.client);
    const welcome = await made.client.connect();
    await made.client.join(room);
    return { ...made, id: welcome.user.id };
  }

  test('crisis language: the author is shown help at once, moderators are alerted and one takes it', async () => {
    const mod = await user('Jo', 'moderator');
    const other = await user('Kim', 'moderator');
    const robin = await user('Robin');
    const ack = await robin.client.send('open-chat', 'Some nights I just want to end it all.');
    await eventually(() => robin.seen.of('crisisSupport').length === 1, 'the author is shown crisis resources');
    const help = robin.seen.of('crisisSupport')[0]!;
    assert.equal(help.seq, ack.seq);
    assert.ok(help.resources.length > 0);

    await eventually(() => mod.seen.of('alert').length === 1, 'the moderator is alerted');
    const alert = mod.seen.of('alert')[0]!;
    assert.equal(alert.message.seq, ack.seq);
    assert.ok((await mod.client.listAlerts()).some((a) => a.alertId === alert.alertId));
    const taken = await mod.client.ackAlert(alert.alertId);
    assert.equal(taken.first, true);
    await eventually(() => other.seen.of('alertAcked').length === 1, 'the other moderator sees who took it');
    assert.equal(other.seen.of('alertAcked')[0]!.by.id, mod.id);
    const late = await other.client.ackAlert(alert.alertId);
    assert.equal(late.first, false);
    await assert.rejects(robin.client.ackAlert(alert.alertId), { code: 'forbidden' });
  });

  test('a report reaches the moderators with its snapshot; a moderator resolves it and reads the audit log', async () => {
    const mod = await user('Lou', 'moderator');
    const casey = await user('Casey');
    const robin = await user('Robin');
    const ack = await casey.client.send('open-chat', 'You can skip insulin if you eat low carb.');
    const received = await robin.client.report('open-chat', ack.seq, 'misinformation', 'Dangerous advice.');
    await eventually(
      () => mod.seen.of('reportFiled').some((r) => r.report.reportId === received.reportId),
      'the moderator is told of the report',
    );
    const reports = await mod.client.listReports();
    const report = reports.find((r) => r.reportId === received.reportId)!;
    assert.equal(report.message?.text, 'You can skip insulin if you eat low carb.');
    assert.equal(report.reporter.id, robin.id);
    const resolved = await mod.client.resolveReport(received.reportId, 'Talked with Casey privately.');
    assert.equal(resolved.by.id, mod.id);
    await assert.rejects(mod.client.resolveReport('rp-nope', 'x'), { code: 'report_not_found' });

    await mod.client.deleteMessage('open-chat', ack.seq, 'Dangerous medical advice.');
    await eventually(() => robin.seen.of('messageDeleted').some((d) => d.seq === ack.seq), 'everyone sees it go');
    const page = await robin.client.history('open-chat');
    assert.equal(page.messages.find((m) => m.seq === ack.seq)?.deleted, true);

    const audit = await mod.client.auditLog(20);
    assert.ok(audit.some((e) => e.action === 'report_resolved'));
    assert.ok(
      audit.every((e) => !JSON.stringify(e).includes('low carb')),
      'never the text of messages',
    );
  });

  test('an author edits its own message: everyone sees the new text marked edited, nobody else may edit it', async () => {
    const author = await user('Edie');
    const reader = await user('Reed');
    const ack = await author.client.send('open-chat', 'I take 40 mg at marker-night');
    await author.client.editMessage('open-chat', ack.seq, 'I take my dose at night');
    await eventually(
      () => reader.seen.of('messageEdited').some((e) => e.seq === ack.seq && e.text === 'I take my dose at night'),
      'the reader sees the edit',
    );
    const page = await reader.client.history('open-chat');
    const edited = page.messages.find((m) => m.seq === ack.seq);
    assert.equal(edited?.text, 'I take my dose at night');
    assert.ok(edited?.editedAt !== undefined);
    await assert.rejects(reader.client.editMessage('open-chat', ack.seq, 'mine now'), { code: 'forbidden' });
  });

  test('a block hides each from the other; lifting it shows new messages again', async () => {
    const ana = await user('Ana');
    const pest = await user('Pest');
    await ana.client.block(pest.id, 'Keeps replying to everything I post.');
    await pest.client.send('open-chat', 'hey ana');
    const marker = await user('Bystander');
    await marker.client.send('open-chat', 'after the block');
    await eventually(() => ana.seen.texts('open-chat').includes('after the block'), 'Ana gets later messages');
    assert.ok(!ana.seen.texts('open-chat').includes('hey ana'));
    await ana.client.unblock(pest.id);
    await pest.client.send('open-chat', 'hello again');
    await eventually(() => ana.seen.texts('open-chat').includes('hello again'), 'Ana sees Pest again');
  });

  test('a sanctioned member is told why and its send says so; the moderator lifts it', async () => {
    const mod = await user('Max', 'moderator');
    const casey = await user('Casey');
    const sanction = await mod.client.sanction({
      userId: casey.id,
      kind: 'timeout',
      reason: 'Repeated advice to skip insulin after a warning.',
      durationSeconds: 600,
    });
    assert.equal(sanction.kind, 'timeout');
    await eventually(() => casey.seen.of('sanctioned').length === 1, 'the member is told');
    assert.equal(casey.seen.of('sanctioned')[0]!.sanction.reason, 'Repeated advice to skip insulin after a warning.');
    await assert.rejects(casey.client.send('open-chat', 'can I talk?'), { code: 'sanctioned' });
    await mod.client.liftSanction(sanction.sanctionId, 'Apologised.');
    await eventually(() => casey.seen.of('sanctionLifted').length === 1, 'the member is told it is lifted');
    await casey.client.send('open-chat', 'thank you');
    await assert.rejects(mod.client.liftSanction(sanction.sanctionId), { code: 'sanction_not_found' });
  });

  test('a held message waits for a moderator: approved it is posted as sent, rejected its author is told', async () => {
    const mod = await user('Ty', 'moderator', 'medication');
    const asker = await user('Asker', 'member', 'medication');
    const reader = await user('Reader', 'member', 'medication');
    await assert.rejects(
      asker.client.send('medication', 'I take 500 mg of metformin twice a day', { clientMsgId: 'dose-1' }),
      { code: 'held_for_review', retryable: false },
    );
    await eventually(() => mod.seen.of('heldMessage').length === 1, 'the moderator gets it to review');
    const held = mod.seen.of('heldMessage')[0]!;
    assert.equal(held.rule, 'hold_doses');
    await mod.client.reviewHeld(held.heldId, true);
    await eventually(() => reader.seen.texts('medication').length === 1, 'approved, it is posted');
    assert.equal(reader.seen.of('message')[0]?.clientMsgId, 'dose-1');

    await assert.rejects(asker.client.send('medication', 'take 40 pills and sleep', { clientMsgId: 'dose-2' }), {
      code: 'held_for_review',
    });
    await eventually(() => mod.seen.of('heldMessage').length === 2, 'the second is held');
    await mod.client.reviewHeld(mod.seen.of('heldMessage')[1]!.heldId, false, 'Please ask your care team.');
    await eventually(() => asker.seen.of('messageRejected').length === 1, 'the author is told');
    assert.deepEqual(
      { ...asker.seen.of('messageRejected')[0] },
      { type: 'message_rejected', room: 'medication', clientMsgId: 'dose-2', reason: 'Please ask your care team.' },
    );
  });

  test('moderator queues are paged and moderators only: held messages, sanctions in force, a member history', async () => {
    const mod = await user('Queue', 'moderator', 'medication');
    const asker = await user('Patient', 'member', 'medication');
    for (const n of [1, 2, 3]) {
      await assert.rejects(asker.client.send('medication', `I take ${n}00 mg of metformin`), {
        code: 'held_for_review',
      });
    }
    const first = await mod.client.listHeld({ limit: 2 });
    assert.equal(first.held.length, 2);
    assert.ok(first.nextCursor !== undefined);
    const rest = await mod.client.listHeld({ cursor: first.nextCursor, limit: 2 });
    assert.ok(rest.held.length >= 1);
    assert.ok(!first.held.some((h) => rest.held.some((r) => r.heldId === h.heldId)), 'no item twice');
    await assert.rejects(asker.client.listHeld(), { code: 'forbidden' });

    const sanction = await mod.client.sanction({
      userId: asker.id,
      kind: 'timeout',
      reason: 'cool down',
      durationSeconds: 600,
    });
    const inForce = await mod.client.listSanctions({ userId: asker.id });
    assert.deepEqual(
      inForce.sanctions.map((s) => s.sanctionId),
      [sanction.sanctionId],
    );
    const history = await mod.client.memberHistory(asker.id, { actions: ['sanction_applied'] });
    assert.deepEqual(
      history.entries.map((e) => e.subject),
      [sanction.sanctionId],
    );
    await assert.rejects(asker.client.memberHistory(asker.id), { code: 'forbidden' });
    const audit = await mod.client.auditLog(50);
    assert.ok(
      audit.some((e) => e.action === 'queue_read' && e.subject === 'list_held'),
      'reading is audited',
    );
  });

  test('a sanctioned member appeals once; the moderator lifts the sanction and the member is told', async () => {
    const mod = await user('Judge', 'moderator');
    const loud = await user('Loud');
    const sanction = await mod.client.sanction({
      userId: loud.id,
      kind: 'timeout',
      reason: 'cool down',
      durationSeconds: 600,
    });
    const appealId = await loud.client.appeal(sanction.sanctionId, 'I was quoting my doctor');
    await assert.rejects(loud.client.appeal(sanction.sanctionId, 'again'), { code: 'already_appealed' });
    await eventually(() => mod.seen.of('appealFiled').length === 1, 'moderators see the appeal');
    const open = await mod.client.listAppeals();
    assert.ok(open.appeals.some((a) => a.appealId === appealId));
    const decided = await mod.client.decideAppeal(appealId, true, 'Thanks for explaining');
    assert.equal(decided.outcome, 'lifted');
    await eventually(() => loud.seen.of('appealDecided').length === 1, 'the member is told');
    assert.equal(loud.seen.of('appealDecided')[0]!.note, 'Thanks for explaining');
  });

  test('after taking an alert a moderator checks in privately; the member accepts and they talk', async () => {
    const mod = await user('Carer', 'moderator');
    const robin = await user('Sad');
    await robin.client.send('open-chat', 'Some nights I just want to end it all.');
    await eventually(() => mod.seen.of('alert').length >= 1, 'the moderator is alerted');
    const alert = mod.seen.of('alert').at(-1)!;
    await mod.client.ackAlert(alert.alertId);
    const sent = await mod.client.checkIn(alert.alertId);
    await eventually(() => robin.seen.of('checkInOffer').length === 1, 'the member is asked');
    const offer = robin.seen.of('checkInOffer')[0]!;
    assert.equal(offer.checkInId, sent.checkInId);
    assert.match(offer.message, /moderators/);
    const session = await robin.client.answerCheckIn(offer.checkInId, true);
    assert.equal(session?.condition, 'check_in');
    await eventually(
      () => mod.seen.of('sessionStarted').some((s) => s.sessionId === session?.sessionId),
      'the moderator is in the session',
    );
  });

  test('a member who reads French is told why in French, with the precise reason after', async () => {
    const camille = client(node, pseudonym('Camille'), 'member', { language: () => 'fr-CA' });
    open.push(camille.client);
    await camille.client.connect();
    await assert.rejects(
      camille.client.join('no-such-room'),
      (e: KindredError) =>
        e.code === 'room_not_found' && e.serverError?.message === "Ce salon n'existe pas. (no room 'no-such-room')",
    );
  });
});
