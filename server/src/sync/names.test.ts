import { describe, expect, it } from 'vitest';
import { normalizeText } from './matching';
import { searchTerms, spellingsOf, vendorSearchTerms } from './names';

describe('search terms', () => {
  it('spells every umlaut-like pair both ways, each on its own', () => {
    expect(spellingsOf('goessling').sort()).toEqual(['goessling', 'goeßling', 'gössling', 'gößling']);
    expect(spellingsOf('haeussler')).toContain('häußler');
    for (const s of spellingsOf('mueller-luedenscheidt')) expect(normalizeText(s)).toBe(normalizeText('Müller-Lüdenscheidt'));
  });

  it('asks the vendor for the last name in every spelling, wherever the name is written', () => {
    expect(vendorSearchTerms('contact', { firstName: 'Jürgen', lastName: 'Müller' })).toEqual(expect.arrayContaining(['müller', 'mueller']));
    expect(vendorSearchTerms('contact', { lastName: 'Müller, Jürgen' })).toEqual(expect.arrayContaining(['müller', 'mueller']));
    expect(vendorSearchTerms('contact', { firstName: 'Jürgen Böhm' })).toEqual(expect.arrayContaining(['jürgen', 'juergen']));
    expect(searchTerms('company', { companyName: 'Bäckerei Hölzl & Söhne Großhandel GmbH' })).toEqual(expect.arrayContaining(['bäckerei', 'baeckerei']));
  });
});
