import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  assertAccessible,
  assertNoHorizontalScroll,
  eventually,
  launch,
  Person,
  PHONE,
  screenshot,
} from './support/browser.js';
import { Node } from './support/node.js';

/**
 * The web app in Debian's Chromium against one real node, shared by every scenario (each uses its own room or
 * people, so they do not see each other's traffic).
 */
describe('the web app', () => {
  let node: Node;
  let browser: Browser;
  const people: Person[] = [];

  const person = async (viewport?: { width: number; height: number }) => {
    const p = await Person.open(browser, viewport);
    people.push(p);
    return p;
  };

  before(async () => {
    [node, browser] = await Promise.all([Node.start(), launch()]);
  });

  after(async () => {
    for (const p of people) {
      assert.deepEqual(p.problems, [], 'console errors or CSP violations in a browser');
    }
    await browser?.close();
    await node?.stop();
  });

  const messages = (page: Page) => page.locator('ol.message-list li.msg[data-seq] p.text').allTextContents();

  const send = async (page: Page, text: string) => {
    const composer = page.getByRole('textbox', { name: 'Message' });
    await composer.fill(text);
    await composer.press('Enter');
  };

  test('two members chat in a room and see each other arrive and type', async () => {
    const robin = await person();
    const sam = await person();
    await robin.signIn(node.http, 'Robin', 'member', '#/room/diabetes');
    await sam.signIn(node.http, 'Sam', 'member', '#/room/diabetes');

    await robin.page.getByRole('button', { name: /Who is here \(2\)/ }).click();
    await robin.page.locator('.presence li', { hasText: 'Sam' }).waitFor();

    await sam.page.getByRole('textbox', { name: 'Message' }).pressSequentially('Hello Ro');
    await robin.page.getByTestId('typing').filter({ hasText: 'Sam is typing…' }).waitFor();

    await send(sam.page, 'Hello Robin, how are your levels today?');
    await robin.page.locator('li.msg', { hasText: 'Hello Robin, how are your levels today?' }).waitFor();
    await eventually(async () => (await robin.page.getByTestId('typing').textContent()) === '', 'typing to stop');
    await send(robin.page, 'Better since I changed my evening routine.');
    await sam.page.locator('li.msg', { hasText: 'Better since I changed my evening routine.' }).waitFor();
    await robin.page.locator('li.msg.mine .state.sent').first().waitFor();

    await screenshot(robin.page, 'member-room-desktop');
    await assertAccessible(robin.page, 'room');
    await robin.close();
    await sam.close();
  });

  test('an author edits its own message and the other member sees the new text marked edited', async () => {
    const casey = await person();
    const kim = await person();
    await casey.signIn(node.http, 'Casey', 'member', '#/room/anxiety');
    await kim.signIn(node.http, 'Kim', 'member', '#/room/anxiety');

    await send(casey.page, 'My clinic is marker-Elm-Street, come by');
    await kim.page.locator('li.msg', { hasText: 'marker-Elm-Street' }).waitFor();
    const mine = casey.page.locator('li.msg.mine', { hasText: 'marker-Elm-Street' });
    await mine.locator('.state.sent').waitFor();
    await mine.getByRole('button', { name: /Actions/ }).click();
    await casey.page.getByRole('button', { name: 'Edit my message' }).click();
    await casey.page.getByRole('textbox', { name: 'New text' }).fill('My clinic is nearby, ask me privately');
    await casey.page.getByRole('button', { name: 'Save' }).click();
    await casey.page.getByRole('status').filter({ hasText: 'Your message was changed for everyone.' }).waitFor();

    const edited = kim.page.locator('li.msg', { hasText: 'My clinic is nearby, ask me privately' });
    await edited.locator('.edited', { hasText: '(edited)' }).waitFor();
    assert.ok(!(await messages(kim.page)).some((text) => text.includes('marker-Elm-Street')));
    await casey.close();
    await kim.close();
  });

  test('a browser whose connection is cut resumes with every message once and in order, its unsent message once', async () => {
    const steady = await person();
    const phone = await person();
    await steady.signIn(node.http, 'Kim', 'member', '#/room/long-covid');
    await phone.signIn(node.proxied, 'Alex', 'member', '#/room/long-covid');
    await send(steady.page, 'before the cut');
    await phone.page.locator('li.msg', { hasText: 'before the cut' }).waitFor();

    await phone.context.setOffline(true); // no new connection gets through...
    assert.ok((await node.drop()) >= 1); // ...and the one it had is reset, with no close frame
    await phone.page.locator('[data-connection="reconnecting"]').waitFor();

    await send(phone.page, 'typed while offline');
    await phone.page.locator('li.msg[data-state="sending"]', { hasText: 'typed while offline' }).waitFor();
    for (let i = 1; i <= 5; i++) await send(steady.page, `missed ${i}`);
    await steady.page.locator('li.msg', { hasText: 'missed 5' }).waitFor();

    await phone.context.setOffline(false);
    await phone.page.locator('[data-connection="connected"]').waitFor();
    await phone.page.locator('li.msg[data-seq]', { hasText: 'typed while offline' }).waitFor();
    await steady.page.locator('li.msg', { hasText: 'typed while offline' }).waitFor();

    const expected = ['before the cut', 'missed 1', 'missed 2', 'missed 3', 'missed 4', 'missed 5'];
    const seen = await messages(phone.page);
    assert.deepEqual(
      seen.filter((text) => expected.includes(text)),
      expected,
      'every message once, in order',
    );
    assert.equal(seen.filter((text) => text === 'typed while offline').length, 1);
    const seqs = await phone.page
      .locator('ol.message-list li.msg[data-seq]')
      .evaluateAll((items) => items.map((item) => Number(item.getAttribute('data-seq'))));
    assert.deepEqual(
      seqs,
      [...seqs].sort((a, b) => a - b),
      'ascending sequence numbers',
    );
    assert.equal(new Set(seqs).size, seqs.length, 'no message twice');
    await eventually(
      async () => (await messages(steady.page)).filter((t) => t === 'typed while offline').length === 1,
      'the other member to see the resent message once',
    );
    assert.equal(await phone.page.locator('li.msg[data-state]').count(), 0, 'nothing left as sending');
    await steady.close();
    await phone.close();
  });

  test('a member asks for support, a mentor accepts, they talk privately, the member ends and rates it', async () => {
    const mentor = await person();
    const member = await person();
    await mentor.signIn(node.http, 'Mentor Sam', 'mentor', '#/mentor');
    await mentor.page.getByRole('checkbox', { name: 'Chronic pain' }).check();
    await mentor.page.getByRole('checkbox', { name: 'English' }).check();
    await mentor.page.getByRole('button', { name: 'Save availability' }).click();
    await mentor.page.getByTestId('availability').filter({ hasText: 'You are available' }).waitFor();

    await member.signIn(node.http, 'Jordan', 'member', '#/support');
    await member.page.getByLabel('What would you like to talk about?').selectOption('chronic-pain');
    await member.page.getByLabel('A short note for the mentor (optional)').fill('Flare day, feeling low.');
    await member.page.getByRole('button', { name: 'Ask for a mentor' }).click();
    await member.page.getByTestId('queue').filter({ hasText: 'You are number 1 in the queue.' }).waitFor();

    const offer = mentor.page.locator('li.offer', { hasText: 'Jordan asks to talk about Chronic pain in English' });
    await offer.getByText('Flare day, feeling low.').waitFor();
    await offer.getByText(/s left to answer/).waitFor();
    await screenshot(mentor.page, 'mentor-desk-offer-desktop');
    await offer.getByRole('button', { name: 'Accept' }).click();

    await member.page.getByRole('heading', { name: 'Private conversation with Mentor Sam' }).waitFor();
    await send(member.page, 'Thank you for taking this.');
    await mentor.page.locator('.session-panel li.msg', { hasText: 'Thank you for taking this.' }).waitFor();
    await mentor.page
      .locator('.session-panel')
      .getByRole('textbox', { name: 'Message' })
      .fill('I am here. What helps on flare days?');
    await mentor.page.locator('.session-panel').getByRole('textbox', { name: 'Message' }).press('Enter');
    await member.page.locator('li.msg', { hasText: 'I am here. What helps on flare days?' }).waitFor();
    await screenshot(mentor.page, 'mentor-desk-desktop');
    await assertAccessible(mentor.page, 'mentor desk');

    await member.page.getByRole('button', { name: 'End conversation' }).click();
    await member.page.getByRole('heading', { name: 'How was this conversation?' }).waitFor();
    await mentor.page.locator('.session-panel').getByText('Ended').waitFor();
    await member.page.getByRole('radio', { name: '5 – great' }).check();
    await member.page.getByLabel('A few words (optional)').fill('Really listened.');
    await member.page.getByRole('button', { name: 'Send feedback' }).click();
    await member.page.getByText('Thank you for your feedback.').waitFor();
    await assertAccessible(member.page, 'support');
    await mentor.close();
    await member.close();
  });

  test('a facilitator mutes a member, whose browser shows why its message is refused', async () => {
    const dana = await person();
    const casey = await person();
    await dana.signIn(node.http, 'Dana', 'facilitator', '#/facilitate');
    await dana.page.getByLabel('Title').fill('Pain evening circle');
    await dana.page.getByLabel('Topic').selectOption('chronic-pain');
    await dana.page.getByLabel('Rules (pinned in the lobby)').fill('Be kind. One voice at a time.');
    const inFiveMinutes = await dana.page.evaluate(() => {
      const at = new Date(Date.now() + 5 * 60_000);
      return new Date(at.getTime() - at.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    });
    await dana.page.getByLabel(/^Start/).fill(inFiveMinutes); // its lobby is open at once
    await dana.page.getByRole('button', { name: 'Schedule' }).click();
    const card = dana.page.locator('article.group', { hasText: 'Pain evening circle' });
    await card.getByRole('link', { name: 'Run meeting' }).click();
    await dana.page.getByRole('button', { name: 'Open meeting' }).click();
    await dana.page.locator('[data-phase="open"]').waitFor();

    await casey.signIn(node.http, 'Casey', 'member', '#/groups');
    await casey.page
      .locator('article.group', { hasText: 'Pain evening circle' })
      .getByRole('link', { name: 'Enter' })
      .click();
    await casey.page.getByText('Be kind. One voice at a time.').waitFor();
    await send(casey.page, 'Hi all, first time here.');
    await dana.page.locator('li.msg', { hasText: 'Hi all, first time here.' }).waitFor();

    await dana.page.getByRole('button', { name: 'Mute Casey' }).click();
    await dana.page.getByRole('button', { name: 'Unmute Casey' }).waitFor();
    await screenshot(dana.page, 'facilitator-meeting-desktop');
    await assertAccessible(dana.page, 'meeting (facilitator)');

    await casey.page.getByText('A facilitator muted you.').waitFor();
    await send(casey.page, 'Can I still post?');
    const refused = casey.page.locator('li.msg[data-state="failed"]', { hasText: 'Can I still post?' });
    await refused.getByText('A facilitator muted you in this meeting: you can read, not post.').waitFor();
    await refused.getByRole('button', { name: 'Retry' }).waitFor();
    assert.equal(
      await dana.page.locator('li.msg', { hasText: 'Can I still post?' }).count(),
      0,
      'the muted message reached nobody',
    );
    await screenshot(casey.page, 'member-meeting-desktop');
    await assertAccessible(casey.page, 'meeting (member)');
    await dana.close();
    await casey.close();
  });

  test('a crisis message shows resources to its author and an alert in the moderator console, acknowledged there', async () => {
    const jo = await person();
    const riley = await person();
    await jo.signIn(node.http, 'Jo', 'moderator', '#/moderate');
    await jo.page.getByRole('heading', { name: 'Crisis alerts' }).waitFor();

    await riley.signIn(node.http, 'Riley', 'member', '#/room/depression');
    await send(riley.page, 'Some nights I just want to end it all.');
    const dialog = riley.page.getByRole('alertdialog', { name: 'You are not alone' });
    await dialog.getByText('Where to get help now').waitFor();
    await dialog.getByText('Emergency services').waitFor();
    await dialog.getByText('Told: the moderators.').waitFor();
    await screenshot(riley.page, 'member-crisis-desktop');
    await assertAccessible(riley.page, 'crisis support');
    await dialog.getByRole('button', { name: 'I have seen this' }).click();

    const alert = jo.page.locator('li.alert-item.open', { hasText: 'Some nights I just want to end it all.' });
    await alert.getByText(/In Depression, /).waitFor();
    await screenshot(jo.page, 'moderator-console-desktop');
    await alert.getByRole('button', { name: 'Acknowledge' }).click();
    await jo.page
      .locator('li.alert-item.acked', { hasText: 'Some nights I just want to end it all.' })
      .getByText(/Acknowledged by Jo after \d+ s/)
      .waitFor();
    await assertAccessible(jo.page, 'moderator console');

    // Having taken the alert, Jo offers Riley a private check-in; Riley is free to say no, and Jo is told.
    const taken = jo.page.locator('li.alert-item.acked', { hasText: 'Some nights I just want to end it all.' });
    await taken.getByRole('button', { name: 'Check in privately' }).click();
    await taken.getByText('Check-in offered; waiting for the answer.').waitFor();
    const offer = riley.page.getByRole('dialog', { name: 'A moderator would like to talk' });
    await offer.getByText(/^Jo, one of the moderators here/).waitFor();
    await assertAccessible(riley.page, 'check-in offer');
    await offer.getByRole('button', { name: 'No, thank you' }).click();
    await jo.page.getByText('Riley declined your check-in.').waitFor();
    await jo.page.getByRole('heading', { name: 'Appeals' }).waitFor();
    await jo.page.getByRole('heading', { name: "Mentors' notes" }).waitFor();
    await jo.close();
    await riley.close();
  });

  test('the member room view works with the keyboard alone', async () => {
    const other = await person();
    await other.signIn(node.http, 'Morgan', 'member', '#/room/anxiety');
    await send(other.page, 'Breathing exercises help me before meetings.');

    const me = await person();
    await me.signIn(node.http, 'Quinn', 'member', '#/rooms');
    const page = me.page;
    const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
    // From the top of the page, Tab until the Anxiety room's link has focus, then open it.
    for (let i = 0; i < 40 && !(await focused()).startsWith('Anxiety'); i++) await page.keyboard.press('Tab');
    assert.match(await focused(), /^Anxiety/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Anxiety' }).waitFor();
    await page.locator('li.msg', { hasText: 'Breathing exercises help me before meetings.' }).waitFor();

    const focusedLabel = () =>
      page.evaluate(() => {
        const element = document.activeElement as HTMLElement | null;
        return element?.getAttribute('aria-label') ?? element?.id ?? '';
      });
    for (let i = 0; i < 40 && (await focusedLabel()) !== 'composer-anxiety'; i++) await page.keyboard.press('Tab');
    assert.equal(await focusedLabel(), 'composer-anxiety');
    await page.keyboard.type('Thanks Morgan, I will try that.');
    await page.keyboard.press('Enter');
    await other.page.locator('li.msg', { hasText: 'Thanks Morgan, I will try that.' }).waitFor();

    // Back to Morgan's message's actions, open them, choose Report, leave with Escape: focus comes back.
    for (let i = 0; i < 40 && (await focusedLabel()) !== 'Actions for the message from Morgan'; i++) {
      await page.keyboard.press('Shift+Tab');
    }
    assert.equal(await focusedLabel(), 'Actions for the message from Morgan');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Message from Morgan' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    assert.equal(await focusedLabel(), 'Actions for the message from Morgan');
    await other.close();
    await me.close();
  });

  test('a moderator creates a room in the console, a member sees it and joins it, then the moderator archives it', async () => {
    const jo = await person();
    const robin = await person();
    await jo.signIn(node.http, 'Jordan', 'moderator', '#/moderate');
    // A queue is read (and the read audited) only once the moderator opens it.
    const held = jo.page.getByRole('region', { name: 'Held messages' });
    await held.getByRole('button', { name: 'Open — Held messages' }).waitFor();
    assert.equal(await held.locator('ul.held-list').count(), 0, 'not read on arrival');
    await held.getByRole('button', { name: 'Open — Held messages' }).click();
    await held.locator('ul.held-list').waitFor({ state: 'attached' });

    const rooms = jo.page.getByRole('region', { name: 'Rooms' });
    await rooms.getByText('No room made here yet.').waitFor();
    await rooms.getByLabel('Id (a-z, 0-9, - and _)').fill('night-owls');
    await rooms.getByLabel('Title', { exact: true }).fill('Night owls');
    await rooms.getByLabel('Description').fill('For those awake at 3am.');
    await rooms.getByLabel('Tags (comma-separated)').fill('sleep');
    await rooms.getByRole('button', { name: 'Create room' }).click();
    await rooms.locator('li[data-room="night-owls"]', { hasText: 'Night owls' }).waitFor();

    await robin.signIn(node.http, 'Robin', 'member', '#/rooms');
    await robin.page.locator('a.room-card[data-room="night-owls"]').click();
    await robin.page.getByRole('heading', { name: 'Night owls' }).waitFor();
    await send(robin.page, 'Anyone else awake?');
    await robin.page.locator('li.msg', { hasText: 'Anyone else awake?' }).waitFor();

    await rooms.getByRole('button', { name: 'Archive Night owls' }).click();
    await rooms.locator('li.archived[data-room="night-owls"]').waitFor();
    await robin.page.locator('li.msg', { hasText: 'This room was archived by the moderators.' }).waitFor();
    await assertAccessible(jo.page, 'moderator console, rooms');
    await jo.close();
    await robin.close();
  });

  test('every screen passes axe and fits a 360 px phone without sideways scrolling', async () => {
    const screens: [string, string, string][] = [
      ['member', '#/rooms', 'member-rooms'],
      ['member', '#/room/diabetes', 'member-room'],
      ['member', '#/support', 'member-support'],
      ['member', '#/groups', 'member-groups'],
      ['mentor', '#/mentor', 'mentor-desk'],
      ['facilitator', '#/facilitate', 'facilitator-schedule'],
      ['moderator', '#/moderate', 'moderator-console'],
    ];
    const signInPage = await person(PHONE);
    await signInPage.page.goto(`${node.http}/`);
    await signInPage.page.getByLabel('Pseudonym').waitFor();
    await assertAccessible(signInPage.page, 'sign-in');
    await assertNoHorizontalScroll(signInPage.page, 'sign-in');
    await screenshot(signInPage.page, 'sign-in-phone');
    await signInPage.close();

    for (const [role, path, name] of screens) {
      const phone = await person(PHONE);
      await phone.signIn(node.http, `Phone ${role}`, role, path);
      await phone.page.locator('main h1, main h2').first().waitFor();
      await assertNoHorizontalScroll(phone.page, name);
      await assertAccessible(phone.page, `${name} (phone)`);
      await screenshot(phone.page, `${name}-phone`);
      await phone.close();
    }
  });
});
