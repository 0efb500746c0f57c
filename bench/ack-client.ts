/**
 * The load side of the ack benchmark, in its own process so that the server's event loop is not
 * shared with the client's: fires N signed /spend commands at once and prints their latencies.
 */
import { signedHeaders, slashCommandBody } from '../test/helpers/slack-signing.js';

const [url, secret, n] = process.argv.slice(2) as [string, string, string];
const send = async (text: string): Promise<number> => {
  const body = slashCommandBody(text);
  const headers = signedHeaders(secret, body);
  const t = performance.now();
  const res = await fetch(url, { method: 'POST', headers, body });
  await res.text();
  if (res.status !== 200) throw new Error(`ack status ${res.status}`);
  return performance.now() - t;
};
await send('help');
const times = await Promise.all(
  Array.from({ length: Number(n) }, () => send(process.env.ACK_TEXT ?? 'drivers 7d by service')),
);
process.stdout.write(`${JSON.stringify(times)}\n`);
