import { describe, expect, it } from 'vitest';
import type { DocumentDraft, FieldLimits } from '../accounting/provider';
import { checkCustomer, fitDraft, splitAtWord, textLength } from './fit';

const lexofficeLike: FieldLimits['document'] = { title: 25, introduction: 2000, closingText: 2000, lineName: 255, lineDescription: 2000, maxLines: 300 };

function draft(overrides: Partial<DocumentDraft> = {}): Omit<DocumentDraft, 'customerId'> {
  return {
    kind: 'invoice',
    currency: 'EUR',
    priceBasis: 'net',
    date: '2026-12-01',
    title: 'Rechnung Website-Relaunch und Wartung Müller GmbH 2027',
    lines: [{ name: 'Konzeption', quantity: '1', unitPrice: '1200.00', taxRatePercent: '19' }],
    reference: 'APIUP-1-2',
    finalize: true,
    ...overrides,
  };
}

describe("fitting a draft to the vendor's field limits", () => {
  it('keeps the first words of an overlong title and starts the introduction with the whole title', () => {
    const { draft: fitted, notices } = fitDraft(draft({ introduction: 'Vielen Dank für Ihren Auftrag.' }), lexofficeLike);
    expect(fitted.title).toBe('Rechnung…');
    expect(textLength(fitted.title!)).toBeLessThanOrEqual(25);
    expect(fitted.introduction).toBe('Rechnung Website-Relaunch und Wartung Müller GmbH 2027\n\nVielen Dank für Ihren Auftrag.');
    expect(notices).toEqual([{ code: 'title_moved_to_introduction', blocking: false, limit: 25, length: 54 }]);
  });

  it('leaves a title within the limit alone and reports nothing', () => {
    const input = draft({ title: 'Rechnung Müller GmbH' });
    const { draft: fitted, notices } = fitDraft(input, lexofficeLike);
    expect(fitted).toEqual(input);
    expect(notices).toEqual([]);
  });

  it('continues an overlong line name in the description, keeping the description', () => {
    const name = `Wartungsvertrag ${'Premium Plus für Schwäbische Maschinenbau- und Präzisionsteilefertigung '.repeat(5)}`.trim();
    const { draft: fitted, notices } = fitDraft(
      draft({ title: 'Rechnung', lines: [{ name, description: 'Laufzeit 12 Monate', quantity: '1', unitPrice: '99.90', taxRatePercent: '19' }] }),
      lexofficeLike,
    );
    const line = fitted.lines[0];
    expect(textLength(line.name)).toBeLessThanOrEqual(255);
    expect(line.name.endsWith('…')).toBe(true);
    expect(line.name.slice(0, -1) + ' ' + line.description!.split('\n')[0].slice(1)).toBe(name);
    expect(line.description!.endsWith('\nLaufzeit 12 Monate')).toBe(true);
    expect(notices).toEqual([{ code: 'line_name_continued', blocking: false, line: 1, limit: 255, length: textLength(name) }]);
  });

  it('counts characters, not UTF-16 units or bytes: 25 umlauts and emoji fit a limit of 25', () => {
    const title = 'Ä'.repeat(20) + '😀'.repeat(5);
    expect(fitDraft(draft({ title }), lexofficeLike).notices).toEqual([]);
  });

  it('refuses, naming the field, an introduction that is too long once the title moved into it', () => {
    const { notices } = fitDraft(draft({ introduction: 'x'.repeat(1990) }), lexofficeLike);
    expect(notices.filter((n) => n.blocking)).toEqual([{ code: 'field_too_long', blocking: true, field: 'introduction', limit: 2000, length: 54 + 2 + 1990 }]);
  });

  it('refuses an overlong line description with its line number, and more lines than the vendor takes', () => {
    const lines = Array.from({ length: 301 }, (_, i) => ({
      name: `Position ${i + 1}`,
      description: i === 4 ? 'ü'.repeat(2001) : undefined,
      quantity: '1',
      unitPrice: '1',
      taxRatePercent: '7',
    }));
    const { notices } = fitDraft(draft({ title: 'Rechnung', lines }), lexofficeLike);
    expect(notices).toEqual([
      { code: 'too_many_lines', blocking: true, limit: 300, length: 301 },
      { code: 'field_too_long', blocking: true, field: 'lineDescription', limit: 2000, length: 2001, line: 5 },
    ]);
  });

  it('cuts a single overlong word hard and keeps the rest', () => {
    expect(splitAtWord('Donaudampfschifffahrtsgesellschaft', 10)).toEqual({ head: 'Donaudamp…', rest: 'fschifffahrtsgesellschaft' });
  });

  it("refuses a customer whose name or street exceeds the vendor's limit, and accepts one within", () => {
    const limits: FieldLimits['customer'] = { companyName: 50, street: 30 };
    const customer = {
      kind: 'company' as const,
      companyName: 'Müller Maschinenbau GmbH & Co. KG Niederlassung Süd',
      address: { street: 'Hauptstraße 1', zip: '80331', city: 'München' },
    };
    expect(checkCustomer(customer, limits)).toEqual([{ code: 'field_too_long', blocking: true, field: 'companyName', limit: 50, length: 51 }]);
    expect(checkCustomer({ ...customer, companyName: 'Müller Maschinenbau GmbH' }, limits)).toEqual([]);
  });
});
