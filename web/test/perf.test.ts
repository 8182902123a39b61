import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launch, Person, screenshotDir } from './support/browser.js';
import { Node } from './support/node.js';

/** 50 messages a second for 10 seconds, from 6 senders (each under the node's 10 commands/s per connection). */
const RATE = 50;
const SECONDS = 10;
const SENDERS = 6;

let node: Node;
let browser: Browser;

before(async () => {
  [node, browser] = await Promise.all([Node.start(), launch()]);
});

after(async () => {
  await browser?.close();
  await node?.stop();
});

/**
 * A member reads a room receiving 50 messages a second while typing: every message arrives, the list stays capped,
 * and the figures (frames, long tasks, input latency) are written to target/perf.json for docs/performance.md. Times
 * are measured and reported, never asserted: the machine is shared.
 */
test('a room receiving 50 messages a second stays responsive', async () => {
  const reader = await Person.open(browser);
  await reader.signIn(node.http, 'Reader', 'member', '#/room/caregivers');
  await reader.page.getByRole('textbox', { name: 'Message' }).focus();
  await reader.page.evaluate(() => {
    const w = window as unknown as Record<string, unknown>;
    const frames: number[] = [];
    const longTasks: number[] = [];
    const events: number[] = [];
    w.__perf = { frames, longTasks, events, running: true };
    let last = performance.now();
    const frame = (now: number) => {
      frames.push(now - last);
      last = now;
      if ((w.__perf as { running: boolean }).running) requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
    new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push(e.duration))).observe({
      type: 'longtask',
    });
    new PerformanceObserver((list) =>
      list.getEntries().forEach((e) => {
        if (e.name === 'keydown' || e.name === 'keypress' || e.name === 'input') events.push(e.duration);
      }),
    ).observe({ type: 'event', durationThreshold: 16 } as PerformanceObserverInit);
  });

  const load = await Person.open(browser);
  await load.page.goto(`${node.http}/config.json`);
  const sending = load.page.evaluate(
    async ({ rate, seconds, senders }) => {
      const tokens = await Promise.all(
        Array.from({ length: senders }, (_, i) =>
          fetch('/dev/token', { method: 'POST', body: JSON.stringify({ pseudonym: `Load ${i}`, role: 'member' }) })
            .then((r) => r.json())
            .then((b: { token: string }) => b.token),
        ),
      );
      let acks = 0;
      const errors: string[] = [];
      const sockets = await Promise.all(
        tokens.map(
          (token) =>
            new Promise<WebSocket>((resolve) => {
              const ws = new WebSocket(new URL('/ws', location.href).href.replace(/^http/, 'ws'));
              ws.onopen = () => ws.send(JSON.stringify({ type: 'hello', token }));
              ws.onmessage = (event) => {
                const frame = JSON.parse(event.data as string) as { type: string; code?: string };
                if (frame.type === 'welcome') ws.send(JSON.stringify({ type: 'join', room: 'caregivers' }));
                else if (frame.type === 'joined') resolve(ws);
                else if (frame.type === 'ack') acks++;
                else if (frame.type === 'error') errors.push(frame.code ?? '?');
              };
            }),
        ),
      );
      const total = rate * seconds;
      const started = performance.now();
      for (let n = 0; n < total; n++) {
        const due = started + (n * 1000) / rate;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        (sockets[n % sockets.length] as WebSocket).send(
          JSON.stringify({ type: 'send', room: 'caregivers', clientMsgId: `load-${n}`, text: `load message ${n}` }),
        );
      }
      const elapsed = (performance.now() - started) / 1000;
      const deadline = performance.now() + 10_000;
      while (acks < total && errors.length === 0 && performance.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      sockets.forEach((ws) => ws.close());
      return { acks, errors, elapsed };
    },
    { rate: RATE, seconds: SECONDS, senders: SENDERS },
  );

  // Meanwhile the reader types, one key every 200 ms, as a person would.
  const typing = (async () => {
    for (let i = 0; i < (SECONDS * 1000) / 200; i++) {
      await reader.page.keyboard.type(i % 20 === 19 ? ' ' : 'a');
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  const [sent] = await Promise.all([sending, typing]);
  assert.deepEqual(sent.errors, [], 'the node refused some of the load');
  assert.equal(sent.acks, RATE * SECONDS);

  const lastText = `load message ${RATE * SECONDS - 1}`;
  await reader.page.locator('li.msg', { hasText: lastText }).waitFor();
  const figures = await reader.page.evaluate(() => {
    const w = window as unknown as Record<
      string,
      { frames: number[]; longTasks: number[]; events: number[]; running: boolean }
    >;
    const perf = w.__perf as { frames: number[]; longTasks: number[]; events: number[]; running: boolean };
    perf.running = false;
    const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
    const pct = (values: number[], p: number) => {
      const s = sorted(values);
      return s.length === 0 ? 0 : (s[Math.min(s.length - 1, Math.floor((s.length * p) / 100))] as number);
    };
    const frames = perf.frames.slice(1);
    return {
      frames: frames.length,
      frameP50Ms: pct(frames, 50),
      frameP95Ms: pct(frames, 95),
      frameMaxMs: Math.max(...frames),
      longTasks: perf.longTasks.length,
      longTaskTotalMs: perf.longTasks.reduce((a, b) => a + b, 0),
      longTaskMaxMs: Math.max(0, ...perf.longTasks),
      slowInputEvents: perf.events.length,
      inputMaxMs: Math.max(0, ...perf.events),
      domMessages: document.querySelectorAll('ol.message-list li.msg').length,
    };
  });
  const composer = await reader.page.getByRole('textbox', { name: 'Message' }).inputValue();
  assert.equal(composer.length, (SECONDS * 1000) / 200, 'every key typed reached the composer');
  assert.ok(figures.domMessages <= 150, `the list draws ${figures.domMessages} messages: it must stay capped`);

  const report = { rate: RATE, seconds: SECONDS, senders: SENDERS, sendSeconds: sent.elapsed, ...figures };
  mkdirSync(screenshotDir, { recursive: true });
  writeFileSync(join(screenshotDir, '..', 'perf.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log(`busy room: ${JSON.stringify(report)}`);
  await reader.close();
  await load.close();
});
