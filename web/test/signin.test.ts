import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launch, Person } from './support/browser.js';
import { Node } from './support/node.js';

const SECRET = 'a-test-secret-that-is-at-least-32-bytes-long';
const ISSUER = 'https://id.example.org';
const AUDIENCE = 'kindred';
const SIGN_IN = 'https://id.example.org/sign-in?return={returnTo}';

/** An HS256 token as a community's identity service would issue it. */
function jwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const body = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}`;
  return `${body}.${createHmac('sha256', SECRET).update(body).digest('base64url')}`;
}

/** A node that verifies real tokens: the app never offers the development sign-in there. */
describe('sign-in with a real identity provider', () => {
  let node: Node;
  let browser: Browser;

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kindred-web-'));
    const config = join(dir, 'kindred.yaml');
    writeFileSync(
      config,
      `jwt:\n  hs256Secret: ${SECRET}\n  issuer: ${ISSUER}\n  audience: ${AUDIENCE}\nweb:\n  signInUrl: "${SIGN_IN}"\n`,
    );
    [node, browser] = await Promise.all([Node.start(['--config', config]), launch()]);
  });

  after(async () => {
    await browser?.close();
    await node?.stop();
  });

  test('without a token the app sends people to the identity provider and never shows the dev form', async () => {
    const visitor = await Person.open(browser);
    await visitor.page.goto(`${node.http}/`);
    const link = visitor.page.getByRole('link', { name: 'Sign in with your community account' });
    await link.waitFor();
    assert.equal(
      await link.getAttribute('href'),
      `https://id.example.org/sign-in?return=${encodeURIComponent(`${node.http}/`)}`,
    );
    assert.equal(await visitor.page.getByLabel('Pseudonym').count(), 0);
    assert.equal(await visitor.page.getByText('Development sign-in').count(), 0);
    assert.deepEqual(visitor.problems, []);
    await visitor.close();
  });

  test('a token in the URL fragment signs in, and leaves the address bar at once', async () => {
    const member = await Person.open(browser);
    const now = Math.floor(Date.now() / 1000);
    const token = jwt({
      iss: ISSUER,
      aud: AUDIENCE,
      sub: 'u-robin',
      pseudonym: 'Robin',
      roles: ['member'],
      iat: now,
      exp: now + 3600,
    });
    await member.page.goto(`${node.http}/#token=${token}`);
    await member.page.locator('[data-connection="connected"]').waitFor();
    await member.page.getByText('Signed in as Robin (member)').waitFor();
    assert.ok(!member.page.url().includes(token), 'the token left the address bar');
    await member.page.reload();
    await member.page.getByText('Signed in as Robin (member)').waitFor();
    assert.deepEqual(member.problems, []);
    await member.close();
  });

  test('a refused token brings the sign-in back with the reason', async () => {
    const stranger = await Person.open(browser);
    await stranger.page.goto(`${node.http}/#token=not-a-token`);
    await stranger.page.getByRole('alert').filter({ hasText: 'Kindred refused this sign-in' }).waitFor();
    await stranger.page.getByRole('link', { name: 'Sign in with your community account' }).waitFor();
    await stranger.close();
  });
});
