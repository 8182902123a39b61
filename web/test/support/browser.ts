import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { packageFile, webDir } from './node.js';

/** Debian's Chromium, never a downloaded browser. */
const CHROMIUM = process.env.KINDRED_CHROMIUM ?? '/usr/bin/chromium';

/** The flags every browser test runs with; Playwright adds a fresh --user-data-dir of its own per launch. */
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 360, height: 740 };

export const screenshotDir = process.env.KINDRED_SCREENSHOTS ?? join(webDir, 'browser-tests', 'target', 'screenshots');

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
}

/**
 * One person's browser: its own context (cookies, storage), a page, and every console error and CSP violation it
 * met, which the tests require to be none.
 */
export class Person {
  readonly problems: string[] = [];

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
  ) {
    page.on('console', (message) => {
      if (message.type() === 'error' && !/WebSocket|ERR_INTERNET_DISCONNECTED|ERR_CONNECTION/.test(message.text())) {
        this.problems.push(message.text());
      }
    });
    page.on('pageerror', (error) => this.problems.push(error.message));
    page.on('dialog', (dialog) => void dialog.accept());
  }

  static async open(browser: Browser, viewport = DESKTOP, options: { reducedMotion?: boolean } = {}): Promise<Person> {
    const context = await browser.newContext({
      viewport,
      locale: 'en-GB',
      timezoneId: 'Europe/Paris',
      reducedMotion: options.reducedMotion === false ? 'no-preference' : 'reduce',
    });
    context.setDefaultTimeout(15_000);
    return new Person(context, await context.newPage());
  }

  /** Signs in with the development sign-in at `base` and waits for the app's first screen. */
  async signIn(base: string, pseudonym: string, role = 'member', path = '#/rooms'): Promise<void> {
    const page = this.page;
    await page.goto(`${base}/${path}`);
    await page.getByLabel('Pseudonym').fill(pseudonym);
    await page.getByRole('radio', { name: role, exact: true }).check();
    await page.getByRole('button', { name: 'Enter' }).click();
    await page.locator('[data-connection="connected"]').waitFor();
  }

  async go(hash: string): Promise<void> {
    await this.page.evaluate((h) => {
      window.location.hash = h;
    }, hash);
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}

/** No serious or critical accessibility violation on the page as it is now (axe-core, from node_modules). */
export async function assertAccessible(page: Page, screen: string): Promise<void> {
  await page.evaluate(`${packageFile('axe-core/axe.min.js')}\n;0`);
  const violations = (await page.evaluate(async () => {
    const result = await (
      window as unknown as {
        axe: {
          run: (
            c: unknown,
            o: unknown,
          ) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 5),
    }));
  })) as { id: string; impact: string; help: string; targets: string[] }[];
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(serious, [], `${screen}: axe found ${JSON.stringify(serious, null, 2)}`);
}

/** The page is no wider than the viewport: nothing scrolls sideways. */
export async function assertNoHorizontalScroll(page: Page, screen: string): Promise<void> {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  assert.ok(scroll <= client, `${screen}: the page is ${scroll} px wide in a ${client} px viewport`);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.evaluate(() => window.scrollTo(0, 0)); // a sticky header drawn mid-page otherwise
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}

/** Waits until `check` holds, polling; for conditions the page cannot express as one locator. */
export async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting for ${what}`);
}
