// Group commands against a running cluster: schedules N weekly groups, then times register_group, list_groups and
// update-free reads from members spread over the nodes. No dependencies: Node 22+, or Node 20 with
// --experimental-websocket. Usage:
//   node [--experimental-websocket] loadtest/scripts/group-commands.mjs <secret> <groups> ws://host:port/ws [...]
import { createHmac, randomUUID } from 'node:crypto';

const [secret, groupsArg, ...urls] = process.argv.slice(2);
const GROUPS = Number(groupsArg);

function token(sub, pseudonym, role) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const head = b64({ alg: 'HS256', typ: 'JWT' });
  const now = Math.floor(Date.now() / 1000);
  const body = b64({ sub, pseudonym, role, iat: now, exp: now + 3600 });
  const sig = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

function client(url, sub, pseudonym, role) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const waiting = new Map();
    ws.onmessage = (e) => {
      const m = JSON.parse(e.data);
      if (m.type === 'welcome') resolve(c);
      if (m.ref && waiting.has(m.ref)) {
        waiting.get(m.ref)(m);
        waiting.delete(m.ref);
      }
    };
    ws.onerror = (e) => reject(e);
    ws.onopen = () => ws.send(JSON.stringify({ type: 'hello', ref: 'h', token: token(sub, pseudonym, role), protocolVersion: 1 }));
    const c = {
      call(cmd) {
        const ref = randomUUID();
        const start = process.hrtime.bigint();
        return new Promise((res) => {
          waiting.set(ref, (m) => res({ m, ms: Number(process.hrtime.bigint() - start) / 1e6 }));
          ws.send(JSON.stringify({ ...cmd, ref }));
        });
      },
      close() { ws.close(); },
    };
  });
}

function stats(name, ms, errors) {
  ms.sort((a, b) => a - b);
  const q = (p) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))].toFixed(1);
  console.log(`${name}: n=${ms.length} p50=${q(0.5)} ms p99=${q(0.99)} ms max=${ms[ms.length - 1].toFixed(1)} ms errors=${errors}`);
}

const facilitators = await Promise.all(urls.map((u, i) => client(u, `u-fac-${i}`, `Fac${i}`, 'facilitator')));
const created = [];
let errors = 0;
const createMs = [];
const start = Date.now() + 7 * 24 * 3600 * 1000; // a week from now: nothing due while measuring
for (let i = 0; i < GROUPS; i++) {
  const f = facilitators[i % facilitators.length];
  const startsAt = new Date(Math.floor((start + i * 60_000) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  const { m, ms } = await f.call({ type: 'create_group', title: `Circle ${i}`, topic: 'long-covid', startsAt,
    durationMinutes: 60, recurrence: 'weekly', registration: false });
  if (m.type === 'error') errors++; else { created.push(m.group.groupId); createMs.push(ms); }
}
stats('create_group', createMs, errors);

const members = await Promise.all(urls.flatMap((u, n) =>
  Array.from({ length: 10 }, (_, i) => client(u, `u-m-${n}-${i}`, `Member${n}x${i}`, 'member'))));
for (const [name, make] of [
  ['register_group', (i) => ({ type: 'register_group', groupId: created[(i * 7919) % created.length] })],
  ['unregister_group', (i) => ({ type: 'unregister_group', groupId: created[(i * 7919) % created.length] })],
  ['list_groups', () => ({ type: 'list_groups', topic: 'long-covid' })],
]) {
  const ms = [];
  let failed = 0;
  for (let round = 0; round < 10; round++) {
    const results = await Promise.all(members.map((c, i) => c.call(make(round * members.length + i))));
    for (const r of results) { if (r.m.type === 'error') failed++; else ms.push(r.ms); }
  }
  stats(name, ms, failed);
}
[...facilitators, ...members].forEach((c) => c.close());
process.exit(0);
