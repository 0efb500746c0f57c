import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { CARD_ACTIONS, CARD_TABLE_ROWS, renderCard } from '../../src/render/card.js';
import { hugeReport, realReport } from '../helpers/reports.js';

// The package's UMD build parses in Node without a DOM (its ES build does not resolve under Node).
const AC = createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js');

/** Parses with the Adaptive Cards SDK and returns every warning or error it raised. */
function parseEvents(card: object): string[] {
  const ac = new AC.AdaptiveCard();
  const ctx = new AC.SerializationContext(new AC.Version(1, 5));
  ac.parse(card, ctx);
  const events: string[] = [];
  for (let i = 0; i < ctx.eventCount; i++) events.push(ctx.getEventAt(i).message);
  return events;
}

const url = (c: { id: string }) => `https://bot.example.com/charts/${c.id}.png`;

describe('renderCard', () => {
  it('a real report parses as an Adaptive Card 1.5 without a warning', () => {
    const card = renderCard(realReport(), url) as { version: string; body: { type: string }[] };
    expect(card.version).toBe('1.5');
    expect(parseEvents(card)).toEqual([]);
    const json = JSON.stringify(card);
    expect(json).toContain('"type":"FactSet"');
    expect(json).toContain('"type":"Table"');
    expect(json).toContain('"url":"https://bot.example.com/charts/waterfall.png"');
    // Universal Actions, with Action.Submit as the fallback of older clients, the same data in both.
    expect(json).toMatch(
      /"type":"Action.Execute","verb":"spendbrief","title":"[^"]+ by account","data":\{"action":"drill","dim":"service"/,
    );
    expect(json).toMatch(
      /"fallback":\{"type":"Action.Submit","title":"[^"]+ by account","data":\{"action":"drill"/,
    );
  });

  it('the SDK parser does catch a broken card (so the check above can fail)', () => {
    expect(
      parseEvents({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Chart.Bogus' }] }),
    ).not.toEqual([]);
  });

  it('over-long input: rows and buttons cut with "+N more", texts shortened, still parses', () => {
    const card = renderCard(hugeReport(), url);
    expect(parseEvents(card)).toEqual([]);
    const json = JSON.stringify(card);
    expect(json).toContain(`+${200 - CARD_TABLE_ROWS} more`);
    expect(json).toContain(`+${200 - CARD_ACTIONS} more not shown as buttons`);
    expect(json).not.toContain('a'.repeat(2001));
  });

  it('without an image URL a chart becomes its description', () => {
    const json = JSON.stringify(renderCard(realReport(), () => null));
    expect(json).not.toContain('"type":"Image"');
    expect(json).toContain('From previous to current spend');
  });
});
