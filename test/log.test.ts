import { describe, expect, it } from 'vitest';
import { cliLog, secretsOf, serverLog } from '../src/log.js';

const env = {
  SLACK_BOT_TOKEN: 'xoxb-abcdef-123456',
  SLACK_SIGNING_SECRET: 'shh-signing-secret',
  AZURE_STORAGE_CONNECTION_STRING: 'AccountName=a;AccountKey=c2VjcmV0',
  PORT: '3000',
};

describe('logs', () => {
  it('the configured secrets are what a variable named like a secret holds', () => {
    expect(secretsOf(env).sort()).toEqual(
      ['AccountName=a;AccountKey=c2VjcmV0', 'shh-signing-secret', 'xoxb-abcdef-123456'].sort(),
    );
  });

  it('a server line is one JSON object with level, time, msg and fields, secrets redacted everywhere', () => {
    const lines: string[] = [];
    const log = serverLog(env, { write: (l) => lines.push(l) });
    log('slack: Bearer xoxb-abcdef-123456 refused', {
      level: 'warn',
      channel: 'C1',
      header: 'shh-signing-secret',
    });
    log('sync: done', { durationMs: 12, nested: { cs: 'AccountName=a;AccountKey=c2VjcmV0' } });
    expect(lines).toHaveLength(2);
    const [a, b] = lines.map((l) => JSON.parse(l));
    expect(a).toMatchObject({
      level: 'warn',
      msg: 'slack: Bearer [redacted] refused',
      channel: 'C1',
      header: '[redacted]',
    });
    expect(Date.parse(a.time)).toBeGreaterThan(0);
    expect(b).toMatchObject({
      level: 'info',
      msg: 'sync: done',
      durationMs: 12,
      nested: { cs: '[redacted]' },
    });
    for (const l of lines) for (const s of secretsOf(env)) expect(l).not.toContain(s);
  });

  it('a CLI line is plain, prefixed and redacted', () => {
    let out = '';
    cliLog(env, (s) => {
      out += s;
    })('token xoxb-abcdef-123456 is wrong');
    expect(out).toBe('spendbrief: token [redacted] is wrong\n');
  });
});
