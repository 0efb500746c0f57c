import { describe, expect, it } from 'vitest';
import {
  andWhere,
  confine,
  formatWhere,
  parseWhere,
  parseWhereClause,
  scopeJson,
} from '../../src/analytics/scope.js';

describe('where lists', () => {
  it('reads dimensions, several values, quoted values with commas and quotes, tag keys', () => {
    expect(parseWhereClause('team=payments,search')).toEqual({
      dimension: 'team',
      values: ['payments', 'search'],
    });
    expect(parseWhereClause('service="Foo, Inc.",Bar')).toEqual({
      dimension: 'service',
      values: ['Foo, Inc.', 'Bar'],
    });
    expect(parseWhereClause('service="say ""hi"""')).toEqual({ dimension: 'service', values: ['say "hi"'] });
    expect(parseWhereClause('tag:cost-center=cc-1')).toEqual({
      dimension: 'tag:cost-center',
      values: ['cc-1'],
    });
    expect(parseWhereClause('Team=payments')).toEqual({ dimension: 'team', values: ['payments'] });
  });

  it.each([
    ['team', /has no "="/],
    ['colour=red', /"colour" is not a dimension/],
    ['team=', /a value is empty/],
    ['team=a,,b', /a value is empty/],
    ['service="Foo', /a quote is not closed/],
    ['service="Foo"x', /followed by "x", not a comma/],
  ])('%s: one line saying what is wrong and what is accepted', (text, message) => {
    expect(() => parseWhereClause(text)).toThrow(message);
  });

  it('prints what it reads back, and JSON keeps the order given', () => {
    const w = parseWhere(['service="Foo, Inc."', 'team=payments,search']);
    expect(formatWhere(w)).toBe('service="Foo, Inc." and team=payments,search');
    expect(parseWhere(formatWhere(w).split(' and '))).toEqual(w);
    expect(scopeJson(w)).toEqual({
      where: [
        { dimension: 'service', values: ['Foo, Inc.'] },
        { dimension: 'team', values: ['payments', 'search'] },
      ],
    });
    expect(scopeJson([])).toBeNull();
  });

  it('AND of two lists keeps, per dimension, the values both allow', () => {
    expect(andWhere(parseWhere(['team=a,b']), parseWhere(['team=b,c', 'region=x']))).toEqual([
      { dimension: 'team', values: ['b'] },
      { dimension: 'region', values: ['x'] },
    ]);
  });

  it("confine: the scope's dimension only to its values; other dimensions narrow; the scope always applies", () => {
    const scope = parseWhere(['team=payments']);
    expect(confine(scope, [])).toEqual(scope);
    expect(confine(scope, parseWhere(['service=EC2']))).toEqual([
      { dimension: 'team', values: ['payments'] },
      { dimension: 'service', values: ['EC2'] },
    ]);
    expect(() => confine(scope, parseWhere(['team=search']))).toThrow(
      `this request names team "search", outside this channel's scope (team=payments)`,
    );
    expect(() => confine(scope, parseWhere(['team=payments,search']))).toThrow(/"search"/);
    expect(confine(null, parseWhere(['team=search']))).toEqual(parseWhere(['team=search']));
  });
});
