import { describe, expect, it } from 'vitest';
import { renderTemplate, unknownPlaceholders, type TemplateContext } from './template';

const context: TemplateContext = {
  deal: { name: 'Website-Relaunch und Wartung Müller GmbH 2027', amount: '12.480,00', currency: 'EUR', closedate: '24.11.2026', id: '18000000042' },
  company: { name: 'Bäckerei Hölzl & Söhne Großhandel GmbH', city: 'Würzburg', vat_id: 'DE123456789' },
  contact: { firstname: 'Jürgen', lastname: 'Größmann', email: 'juergen.groessmann@hoelzl.example' },
};

describe('invoice text placeholders', () => {
  it('fills the known fields', () => {
    expect(renderTemplate('Rechnung {{deal.name}} für {{ company.name }}, z. Hd. {{contact.firstname}} {{contact.lastname}}', context)).toBe(
      'Rechnung Website-Relaunch und Wartung Müller GmbH 2027 für Bäckerei Hölzl & Söhne Großhandel GmbH, z. Hd. Jürgen Größmann',
    );
  });

  it.each([
    '{{deal.constructor}}',
    '{{deal.__proto__}}',
    '{{deal.toString}}',
    '{{deal.hasOwnProperty}}',
    '{{constructor.name}}',
    '{{__proto__.constructor}}',
    '{{toString.name}}',
    '{{valueOf.length}}',
  ])('never resolves a prototype name: %s renders empty and is reported as unknown', (placeholder) => {
    expect(renderTemplate(`Rechnung ${placeholder} Ende`, context)).toBe('Rechnung  Ende');
    expect(renderTemplate(placeholder, {})).toBe('');
    expect(unknownPlaceholders(`Rechnung ${placeholder}`)).toEqual([placeholder]);
  });

  it('renders a known field the context lacks as empty, not as something inherited', () => {
    expect(renderTemplate('{{company.vat_id}}|{{deal.amount}}', { deal: {} })).toBe('|');
  });
});
