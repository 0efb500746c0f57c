/**
 * Socket Mode end to end: `apps.connections.open` on the fake Web API hands out the URL of a
 * WebSocket server in this test, which speaks Slack's envelopes (hello, slash_commands,
 * interactive block_actions, disconnect). Each envelope is acknowledged, each report posted once,
 * also when Slack redelivers a command across a reconnect.
 */

import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { type Running, serve } from '../../../src/bot/server.js';
import { loadConfig } from '../../../src/config.js';
import { FakeSlack } from '../../helpers/fake-slack.js';

let slack: FakeSlack;
let http: Server;
let wss: WebSocketServer;
let app: Running;
const sockets: WebSocket[] = [];
const acks: { envelope_id: string; payload?: Record<string, unknown> }[] = [];

const send = (envelope: object) => sockets.at(-1)!.send(JSON.stringify(envelope));
const waitFor = async (what: () => boolean, ms = 20_000) => {
  const start = Date.now();
  while (!what()) {
    if (Date.now() - start > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
};
const command = (envelopeId: string, trigger: string, text: string, retry = 0) => ({
  envelope_id: envelopeId,
  type: 'slash_commands',
  accepts_response_payload: true,
  retry_attempt: retry,
  retry_reason: retry ? 'timeout' : '',
  payload: {
    token: 'x',
    team_id: 'T1',
    channel_id: 'C1',
    user_id: 'U1',
    command: '/spend',
    text,
    api_app_id: 'A1',
    response_url: 'http://127.0.0.1:9/response',
    trigger_id: trigger,
  },
});

beforeAll(async () => {
  slack = await new FakeSlack().start();
  http = createServer();
  wss = new WebSocketServer({ server: http, path: '/link' });
  wss.on('connection', (ws) => {
    sockets.push(ws);
    ws.on('message', (d) => acks.push(JSON.parse(String(d))));
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: 1,
        debug_info: {},
        connection_info: { app_id: 'A1' },
      }),
    );
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  slack.socketUrl = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/link`;
  app = await serve({
    config: loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-socket',
      SLACK_SIGNING_SECRET: 'unused-in-socket-mode',
      SLACK_APP_TOKEN: 'xapp-socket',
      SLACK_API_URL: `${slack.url}/api/`,
      PORT: '0',
      SPENDBRIEF_DB: join(mkdtempSync(join(tmpdir(), 'spendbrief-socket-')), 'state.duckdb'),
    }),
    source: { kind: 'demo' },
    useTimers: false,
    log: () => {},
  });
  await app.firstSync;
}, 60_000);
afterAll(async () => {
  await app?.close();
  wss?.close();
  http?.close();
  await slack?.stop();
});

describe('Socket Mode', () => {
  it('connects through apps.connections.open with the app-level token', () => {
    const open = slack.of('apps.connections.open');
    expect(open).toHaveLength(1);
    expect(open[0]!.authorization).toBe('Bearer xapp-socket');
    expect(sockets).toHaveLength(1);
  });

  it('a slash command envelope is acknowledged with the ack payload, and the report posted once', async () => {
    send(command('env-1', 'trigger-1', 'drivers 30d by service'));
    await waitFor(() => acks.some((a) => a.envelope_id === 'env-1'));
    expect(acks.find((a) => a.envelope_id === 'env-1')!.payload).toMatchObject({ text: 'Working on it…' });
    await slack.waitFor('chat.postMessage', 1);
  });

  it('a block_actions envelope (a drill click) is acknowledged and answered in the thread', async () => {
    const posted = slack.of('chat.postMessage')[0]!.args;
    const actions = (
      posted.blocks as { type: string; elements?: { value: string; action_id: string }[] }[]
    ).find((b) => b.type === 'actions')!;
    send({
      envelope_id: 'env-2',
      type: 'interactive',
      accepts_response_payload: false,
      payload: {
        type: 'block_actions',
        team: { id: 'T1' },
        user: { id: 'U1' },
        channel: { id: 'C1' },
        container: { type: 'message', message_ts: '1700000001.000100', channel_id: 'C1' },
        message: { ts: '1700000001.000100', text: 'x' },
        actions: [
          {
            type: 'button',
            action_id: actions.elements![0]!.action_id,
            block_id: 'b',
            value: actions.elements![0]!.value,
            action_ts: '1700000002.1',
          },
        ],
        trigger_id: 'trigger-2',
        response_url: 'http://127.0.0.1:9/response',
      },
    });
    await waitFor(() => acks.some((a) => a.envelope_id === 'env-2'));
    const replies = await slack.waitFor('chat.postMessage', 2);
    expect(replies.at(-1)!.args.thread_ts).toBe('1700000001.000100');
  });

  it('after a disconnect the client reconnects; a command redelivered across it is posted once', async () => {
    const before = slack.of('chat.postMessage').length;
    send(command('env-3', 'trigger-3', 'drivers 7d'));
    await waitFor(() => acks.some((a) => a.envelope_id === 'env-3'));
    send({ type: 'disconnect', reason: 'refresh_requested', debug_info: { host: 'test' } });
    await waitFor(() => sockets.length === 2, 30_000);
    expect(slack.of('apps.connections.open')).toHaveLength(2);
    // Slack did not see the ack in time and redelivers the same command on the new connection.
    send(command('env-4', 'trigger-3', 'drivers 7d', 1));
    await waitFor(() => acks.some((a) => a.envelope_id === 'env-4'));
    await slack.waitFor('chat.postMessage', before + 1);
    await new Promise((r) => setTimeout(r, 1500));
    expect(slack.of('chat.postMessage')).toHaveLength(before + 1);
  }, 45_000);
});
