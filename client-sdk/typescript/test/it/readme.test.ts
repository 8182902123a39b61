import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Harness } from '../support/harness.js';

const moduleDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

describe("the README's example", { timeout: 60_000 }, () => {
  let node: Harness;

  before(async () => {
    node = await Harness.start();
  });

  after(async () => {
    await node.stop();
  });

  test('runs as written against a real node, importing the built package by its name', async () => {
    const readme = readFileSync(join(moduleDir, 'README.md'), 'utf8');
    const example = /```js\n(\/\/ hello\.mjs[\s\S]*?)```/.exec(readme)?.[1];
    assert.ok(example, 'the README has the hello.mjs example');
    // Inside the package folder, '@kindred/client' resolves to the package itself (its exports map, dist/).
    const file = join(moduleDir, 'build', 'readme-example.mjs');
    writeFileSync(file, example);
    const { stdout } = await promisify(execFile)(process.execPath, [file], {
      env: { ...process.env, KINDRED_URL: node.urls.ws },
      timeout: 30_000,
    });
    assert.match(stdout, /signed in as Robin/);
    assert.match(stdout, /posted as #1/);
    assert.match(stdout, /\[ready\]/);
  });
});
