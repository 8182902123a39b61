import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import WebSocket, { WebSocketServer } from 'ws';
import { KindredClient } from '../../src/index.js';

const USER = { id: 'u-1', pseudonym: 'Robin', role: 'member' };

/**
 * A scripted server on loopback: it answers the first `outcomeUnknown` transmissions of a send with `outcome_unknown`
 * (its store stopped answering, the message may be stored), the next with an ack, and records every `clientMsgId` sent.
 */
async function scriptedServer(outcomeUnknown: number) {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const sent: string[] = [];
  server.on('connection', (socket) => {
    socket.on('message', (data) => {
      const command = JSON.parse(String(data)) as Record<string, unknown>;
      const reply = (frame: object) => socket.send(JSON.stringify(frame));
      switch (command.type) {
        case 'hello':
          reply({
            type: 'welcome',
            ref: command.ref,
            protocolVersion: 1,
            user: USER,
            roles: ['member'],
            limits: {
              maxTextLength: 4000,
              maxFrameBytes: 65536,
              ratePerSecond: 10,
              rateBurst: 20,
              historyPageMax: 100,
              joinHistory: 50,
              idleTimeoutMillis: 60000,
            },
            sessionId: 's-1',
          });
          break;
        case 'join':
          reply({
            type: 'joined',
            ref: command.ref,
            room: command.room,
            epoch: 'e-1',
            lastSeq: 0,
            recovered: true,
            messages: [],
            hasMore: false,
            presence: [USER],
          });
          break;
        case 'send':
          sent.push(command.clientMsgId as string);
          if (sent.length <= outcomeUnknown) {
            reply({
              type: 'error',
              ref: command.ref,
              code: 'outcome_unknown',
              message: 'the store did not answer in time: this message may have been stored',
              retryable: true,
            });
          } else {
            reply({
              type: 'ack',
              ref: command.ref,
              room: command.room,
              clientMsgId: command.clientMsgId,
              id: 'm-1',
              seq: 1,
              ts: 1767225600000,
              duplicate: true,
            });
          }
          break;
        default:
          break;
      }
    });
  });
  const port = (server.address() as AddressInfo).port;
  return { url: `ws://127.0.0.1:${port}/ws`, sent, close: () => server.close() };
}

describe('a send of unknown outcome', () => {
  test('is resent with the same clientMsgId until acknowledged, beyond maxSendAttempts', async () => {
    const server = await scriptedServer(3);
    const client = new KindredClient({ url: server.url, token: 't', webSocket: WebSocket, maxSendAttempts: 1 });
    try {
      await client.connect();
      await client.join('diabetes');
      const ack = await client.send('diabetes', 'hello', { clientMsgId: 'c-1' });
      assert.equal(ack.duplicate, true);
      assert.deepEqual(server.sent, ['c-1', 'c-1', 'c-1', 'c-1']);
    } finally {
      await client.close();
      server.close();
    }
  });
});
