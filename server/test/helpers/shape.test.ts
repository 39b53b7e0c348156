import { describe, expect, it } from 'vitest';
import { compareShape } from './shape';

describe('compareShape', () => {
  it('accepts the same keys, types and nulls with other values', () => {
    const recorded = { id: 'a', total: 1.5, note: null, items: [{ name: 'x', qty: 1 }], _source: 'doc' };
    const sandbox = {
      id: 'b',
      total: 99,
      note: null,
      items: [
        { name: 'y', qty: 2 },
        { name: 'z', qty: 3 },
      ],
    };
    expect(compareShape(recorded, sandbox)).toEqual([]);
  });

  it('names a missing key, an extra key, a wrong type and a null the real service would not send', () => {
    const recorded = { id: 'a', total: '1.50', note: null, group: { 'line items': { results: [] } } };
    const sandbox = { id: 'b', total: 1.5, note: 'x', group: { line_items: { results: [] } }, extra: true };
    expect(compareShape(recorded, sandbox)).toEqual([
      '$.total: recorded string, sandbox number',
      '$.note: recorded null, sandbox string',
      "$.group.line items: missing in the sandbox's answer",
      '$.group.line_items: the sandbox sends a key the real service does not',
      '$.extra: the sandbox sends a key the real service does not',
    ]);
  });

  it('checks every element of an array against the recorded first element', () => {
    expect(compareShape({ rows: [{ a: 1 }] }, { rows: [{ a: 1 }, { a: '2' }] })).toEqual(['$.rows[].a: recorded number, sandbox string']);
  });

  it('honours declared optional keys, extra keys and loose types', () => {
    const options = { optionalKeys: ['$.b'], extraKeys: ['$.c'], looseTypes: ['$.d'] };
    expect(compareShape({ a: 1, b: 2, d: '1' }, { a: 1, c: 3, d: 1 }, options)).toEqual([]);
  });
});
