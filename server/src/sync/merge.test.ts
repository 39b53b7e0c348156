import { describe, expect, it } from 'vitest';
import { fieldHashes, type Content } from './content';
import { mergeFields, type MergeInput } from './merge';
import { planPairs } from './plan';

const fields = ['firstName', 'lastName', 'email', 'phone', 'companyName'] as const;
const input = (hub: Content, acc: Content, base?: { hub: Content; acc: Content }, extra: Partial<MergeInput> = {}): MergeInput => ({
  fields,
  hubspot: { content: hub, base: base && fieldHashes(base.hub) },
  accounting: { content: acc, base: base && fieldHashes(base.acc) },
  owners: {},
  trigger: 'hubspot',
  ...extra,
});

describe('per-field merge', () => {
  const base = { hub: { lastName: 'Roth', email: 'a@x.de' }, acc: { lastName: 'Roth', email: 'a@x.de' } };

  it('takes a field changed on one side only to the other side', () => {
    expect(mergeFields(input({ lastName: 'Roth', email: 'b@x.de' }, base.acc, base))).toEqual({ toHubspot: {}, toAccounting: { email: 'b@x.de' } });
    expect(mergeFields(input(base.hub, { lastName: 'Rot', email: 'a@x.de' }, base))).toEqual({ toHubspot: { lastName: 'Rot' }, toAccounting: {} });
  });

  it('lets the newer change win when both sides changed the same field', () => {
    const r = mergeFields({
      ...input({ lastName: 'Roth', email: 'h@x.de' }, { lastName: 'Roth', email: 'v@x.de' }, base),
      hubspot: { content: { lastName: 'Roth', email: 'h@x.de' }, base: fieldHashes(base.hub), changedAt: 1 },
      accounting: { content: { lastName: 'Roth', email: 'v@x.de' }, base: fieldHashes(base.acc), changedAt: 2 },
    });
    expect(r).toEqual({ toHubspot: { email: 'v@x.de' }, toAccounting: {} });
  });

  it('lets the configured owner always win, even over a change on the other side only', () => {
    expect(mergeFields(input(base.hub, { lastName: 'Roth', email: 'v@x.de' }, base, { owners: { email: 'hubspot' } }))).toEqual({
      toHubspot: {},
      toAccounting: { email: 'a@x.de' },
    });
  });

  it('never clears a field the other side cannot store', () => {
    const b = { hub: { lastName: 'Roth', companyName: 'ACME' }, acc: { lastName: 'Roth' } };
    expect(mergeFields(input(b.hub, b.acc, b))).toEqual({ toHubspot: {}, toAccounting: {} });
  });

  it('fills blanks on a fresh link instead of overwriting with empty values', () => {
    expect(mergeFields(input({ lastName: 'Roth' }, { lastName: 'Roth', phone: '123' }))).toEqual({ toHubspot: { phone: '123' }, toAccounting: {} });
  });
});

describe('matching plan', () => {
  const r = (id: string, content: Content) => ({ id, content });

  it('links exactly one pair, creates lone records on the other side and never guesses', () => {
    const outcomes = planPairs(
      'contact',
      [
        r('h1', { firstName: 'Jürgen', lastName: 'Müller' }),
        r('h2', { firstName: 'Anna', lastName: 'Schmidt' }),
        r('h3', { firstName: 'Anna', lastName: 'Schmidt' }),
        r('h4', { firstName: 'Neu', lastName: 'Kunde' }),
      ],
      [
        r('v1', { firstName: 'jürgen', lastName: 'mueller' }),
        r('v2', { firstName: 'Anna', lastName: 'Schmidt' }),
        r('v3', { firstName: 'Nur', lastName: 'Vendor' }),
      ],
    );
    expect(outcomes).toEqual(
      expect.arrayContaining([
        { action: 'link', hubspotId: 'h1', vendorId: 'v1' },
        { action: 'conflict', hubspotIds: ['h2', 'h3'], vendorIds: ['v2'] },
        { action: 'create_vendor', hubspotId: 'h4' },
        { action: 'create_hubspot', vendorId: 'v3' },
      ]),
    );
    expect(outcomes).toHaveLength(4);
  });

  it('lets the e-mail pair records inside a group of equal names', () => {
    const outcomes = planPairs(
      'contact',
      [r('h1', { firstName: 'Anna', lastName: 'Schmidt', email: 'a@one.de' }), r('h2', { firstName: 'Anna', lastName: 'Schmidt', email: 'a@two.de' })],
      [r('v1', { firstName: 'Anna', lastName: 'Schmidt', email: 'A@two.de' })],
    );
    expect(outcomes).toEqual([
      { action: 'link', hubspotId: 'h2', vendorId: 'v1' },
      { action: 'create_vendor', hubspotId: 'h1' },
    ]);
  });

  it('matches "ACME GmbH" with "Acme"', () => {
    expect(planPairs('company', [r('h1', { companyName: 'ACME GmbH' })], [r('v1', { companyName: 'Acme' })])).toEqual([
      { action: 'link', hubspotId: 'h1', vendorId: 'v1' },
    ]);
  });
});
