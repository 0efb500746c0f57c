import { describe, expect, it } from 'vitest';
import {
  CHAT_COMMANDS,
  parseActionPayload,
  parseCommand,
  parseDrillPayload,
  usage,
} from '../../../src/bot/commands/grammar.js';

describe('command grammar', () => {
  it('defaults to drivers 30d vs previous by service on actual cost', () => {
    expect(parseCommand('')).toEqual({
      kind: 'drivers',
      window: { kind: 'days', days: 30 },
      compare: { kind: 'previous_period' },
      by: 'service',
      basis: 'actual',
      where: [],
    });
  });

  it('reads every word of the drivers grammar', () => {
    expect(parseCommand('drivers mtd vs last-month by team basis amortized')).toEqual({
      kind: 'drivers',
      window: { kind: 'mtd' },
      compare: { kind: 'same_period_last_month' },
      by: 'team',
      basis: 'amortized',
      where: [],
    });
    expect(parseCommand('2026-10-01..2026-10-31 vs none by SKU')).toMatchObject({
      window: { kind: 'custom', range: { start: '2026-10-01', end: '2026-10-31' } },
      compare: { kind: 'none' },
      by: 'sku',
    });
  });

  it('reads subscribe, unsubscribe, digest, model, carbon and help', () => {
    expect(parseCommand('subscribe weekly mon 9:00 Europe/Berlin')).toEqual({
      kind: 'subscribe',
      weekday: 'mon',
      time: '09:00',
      zone: 'Europe/Berlin',
    });
    expect(parseCommand('unsubscribe')).toEqual({ kind: 'unsubscribe' });
    for (const k of ['digest', 'model', 'carbon', 'help']) expect(parseCommand(k).kind).toBe(k);
  });

  it.each([
    ['drivers 45x', '"45x"'],
    ['by colour', '"colour"'],
    ['30d vs yesterday', '"yesterday"'],
    ['basis cheap', '"cheap"'],
    ['subscribe weekly funday 09:00 Europe/Berlin', '"funday"'],
    ['subscribe weekly mon 25:00 Europe/Berlin', '"25:00"'],
    ['subscribe weekly mon 09:00 Mars/Olympus', '"Mars/Olympus"'],
    ['digest now', '"now"'],
    ['please', '"please"'],
  ])('%s: names the word it could not read', (text, word) => {
    expect(() => parseCommand(text)).toThrow(`I could not read ${word}`);
  });

  it('help and the unknown-word error name every command the parser reads, and each example parses', () => {
    let unknown = '';
    try {
      parseCommand('please');
    } catch (e) {
      unknown = (e as Error).message;
    }
    const help = usage();
    for (const c of CHAT_COMMANDS) {
      expect(help).toContain(`/spend ${c.word === 'drivers' ? '[drivers]' : c.word}`);
      expect(unknown).toContain(c.word);
      expect(() => parseCommand(c.example)).not.toThrow();
    }
  });

  it('reads where after any report command, and scope and showback', () => {
    expect(parseCommand('where team payments')).toMatchObject({
      kind: 'drivers',
      where: [{ dimension: 'team', values: ['payments'] }],
    });
    expect(parseCommand('drivers mtd where team=payments,search by service')).toMatchObject({
      window: { kind: 'mtd' },
      by: 'service',
      where: [{ dimension: 'team', values: ['payments', 'search'] }],
    });
    expect(
      parseCommand('anomalies where service Amazon Elastic Compute Cloud and tag:env=prod by account'),
    ).toMatchObject({
      kind: 'anomalies',
      by: 'account',
      where: [
        { dimension: 'service', values: ['Amazon Elastic Compute Cloud'] },
        { dimension: 'tag:env', values: ['prod'] },
      ],
    });
    // Slack turns typed quotes into curly ones.
    expect(parseCommand('digest where service=“Foo, Inc.”')).toEqual({
      kind: 'digest',
      where: [{ dimension: 'service', values: ['Foo, Inc.'] }],
    });
    expect(parseCommand('showback mtd by tag:cost-center')).toEqual({
      kind: 'showback',
      window: { kind: 'mtd' },
      by: 'tag:cost-center',
      where: [],
    });
    expect(parseCommand('scope')).toEqual({ kind: 'scope', action: 'show' });
    expect(parseCommand('scope off')).toEqual({ kind: 'scope', action: 'off' });
    expect(parseCommand('scope team=payments and account 123')).toEqual({
      kind: 'scope',
      action: 'set',
      where: [
        { dimension: 'team', values: ['payments'] },
        { dimension: 'account', values: ['123'] },
      ],
    });
    expect(parseCommand('scope <#C0123ABC|payments> team=payments')).toMatchObject({
      action: 'set',
      target: 'C0123ABC',
    });
    expect(() => parseCommand('subscribe weekly mon 09:00 Europe/Berlin where team=x')).toThrow(
      /"subscribe" takes no where/,
    );
    expect(() => parseCommand('where colour red')).toThrow(/"colour" is not a dimension/);
    expect(() => parseCommand('scope')).not.toThrow();
  });

  it('drill payloads round-trip and anything else is refused', () => {
    const req = parseDrillPayload(
      JSON.stringify({
        dim: 'service',
        key: 'EC2',
        next: 'account',
        window: '2026-10-25..2026-11-23',
        compare: 'none',
        basis: 'net',
      }),
    );
    expect(req).toMatchObject({
      kind: 'drill',
      dim: 'service',
      key: 'EC2',
      next: 'account',
      compare: { kind: 'none' },
      basis: 'net',
    });
    expect(() => parseDrillPayload('{"dim":"planet"}')).toThrow(/no longer carries a drill-down/);
    expect(usage()).toContain('/spend subscribe weekly <mon..sun> <HH:MM> <IANA time zone>');
  });
});

describe('button payloads', () => {
  it('a run payload is read with the command grammar; a drill payload as before; nothing else', () => {
    expect(parseActionPayload({ run: 'drivers 30d by service' })).toMatchObject({
      kind: 'drivers',
      by: 'service',
      window: { kind: 'days', days: 30 },
    });
    expect(parseActionPayload(JSON.stringify({ run: 'model' }))).toEqual({ kind: 'model', where: [] });
    expect(() => parseActionPayload({ run: 'unsubscribe' })).toThrow(/no longer asks for a report/);
    expect(() => parseActionPayload({ run: 'drivers by nonsense' })).toThrow(/nonsense/);
    expect(
      parseActionPayload({
        dim: 'service',
        key: 'AWS Lambda',
        next: 'account',
        window: '2026-11-01..2026-11-07',
        compare: 'none',
        basis: 'actual',
      }),
    ).toMatchObject({ kind: 'drill', key: 'AWS Lambda' });
    expect(() => parseActionPayload({ something: 'else' })).toThrow(/no longer carries a drill-down/);
  });
});

describe('alert commands', () => {
  it('anomalies, forecast, budget set/list/remove, alerts on/off', () => {
    expect(parseCommand('anomalies')).toEqual({ kind: 'anomalies', by: 'total', days: 7, where: [] });
    expect(parseCommand('anomalies 14d by service')).toEqual({
      kind: 'anomalies',
      by: 'service',
      days: 14,
      where: [],
    });
    expect(parseCommand('forecast by team')).toEqual({ kind: 'forecast', by: 'team', where: [] });
    expect(parseCommand('budget set 50,000 monthly')).toEqual({
      kind: 'budget-set',
      amount: 50000,
      period: 'month',
      scope: { dimension: 'total', key: 'total' },
    });
    expect(parseCommand('budget set $20000 quarterly service Amazon Elastic Compute Cloud')).toEqual({
      kind: 'budget-set',
      amount: 20000,
      period: 'quarter',
      scope: { dimension: 'service', key: 'Amazon Elastic Compute Cloud' },
    });
    expect(parseCommand('budget list')).toEqual({ kind: 'budgets' });
    expect(parseCommand('budget remove Total monthly')).toEqual({
      kind: 'budget-remove',
      name: 'Total monthly',
    });
    expect(parseCommand('alerts off')).toEqual({ kind: 'alerts', on: false });
  });

  it.each([
    ['anomalies by planet', 'by takes one of total'],
    ['anomalies 400d', 'up to 90d'],
    ['budget set lots monthly', 'an amount above 0'],
    ['budget set 100 weekly', 'monthly or quarterly'],
    ['budget set 100 monthly planet Mars', "a budget's scope is"],
    ['alerts maybe', 'alerts takes on or off'],
  ])('%s is answered with what is wrong', (text, message) => {
    expect(() => parseCommand(text)).toThrow(message);
  });
});
