import { describe, expect, it } from 'vitest';
import type { Customer } from '../accounting/provider';
import { companyKey, matchCustomer, personKey } from './matching';

const person = (id: string, firstName: string, lastName: string, email?: string): Customer => ({ id, kind: 'person', firstName, lastName, email });
const company = (id: string, companyName: string): Customer => ({ id, kind: 'company', companyName });

describe('matching', () => {
  it('matches "Müller, Jürgen" with "jürgen mueller"', () => {
    expect(personKey(undefined, 'Müller, Jürgen')).toBe(personKey('jürgen', 'mueller'));
    const result = matchCustomer({ kind: 'person', lastName: 'Müller, Jürgen' }, [person('1', 'jürgen', 'mueller')]);
    expect(result).toEqual({ kind: 'one', match: person('1', 'jürgen', 'mueller') });
  });

  it('matches "ACME GmbH" with "Acme" and ignores other legal forms and spacing', () => {
    expect(companyKey('ACME GmbH')).toBe(companyKey('Acme'));
    expect(companyKey('  Acme   AG ')).toBe('acme');
    expect(companyKey('Société Générale SARL')).toBe('societe generale');
    expect(companyKey('Straßenbau UG (haftungsbeschränkt)')).toBe('strassenbau');
    expect(companyKey('GmbH')).toBe('gmbh');
  });

  it('reports no match and never matches a person to a company', () => {
    expect(matchCustomer({ kind: 'company', companyName: 'Acme' }, [person('1', 'Acme', '')])).toEqual({ kind: 'none' });
  });

  it('never guesses between two records with the same name', () => {
    const result = matchCustomer({ kind: 'person', firstName: 'Anna', lastName: 'Schmidt' }, [person('1', 'Anna', 'Schmidt'), person('2', 'anna', 'schmidt')]);
    expect(result.kind).toBe('ambiguous');
  });

  it('lets the e-mail decide between candidates with the same name', () => {
    const candidates = [person('1', 'Anna', 'Schmidt', 'a@one.de'), person('2', 'Anna', 'Schmidt', 'a@two.de')];
    expect(matchCustomer({ kind: 'person', firstName: 'Anna', lastName: 'Schmidt', email: 'A@two.de' }, candidates)).toEqual({
      kind: 'one',
      match: candidates[1],
    });
  });

  it('matches companies across legal forms', () => {
    expect(matchCustomer({ kind: 'company', companyName: 'ACME GmbH' }, [company('9', 'Acme'), company('8', 'Acme Bau')])).toEqual({
      kind: 'one',
      match: company('9', 'Acme'),
    });
  });
});
