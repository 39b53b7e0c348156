import { describe, expect, it } from 'vitest';
import { berlinDateTime, berlinMidnight, parseVendorDate } from './dates';

describe('sevDesk sandbox dates', () => {
  it('reads dates back at Berlin midnight with the offset of that day (SVS examples: "2024-04-08T00:00:00+02:00")', () => {
    expect(berlinMidnight('2024-04-08')).toBe('2024-04-08T00:00:00+02:00');
    expect(berlinMidnight('2026-01-15')).toBe('2026-01-15T00:00:00+01:00');
    expect(berlinMidnight('2026-03-29')).toBe('2026-03-29T00:00:00+01:00');
  });

  it('writes timestamps in Berlin time without fractions', () => {
    expect(berlinDateTime(Date.UTC(2026, 6, 1, 22, 30, 5, 123))).toBe('2026-07-02T00:30:05+02:00');
    expect(berlinDateTime(Date.UTC(2026, 11, 31, 23, 0, 0))).toBe('2027-01-01T00:00:00+01:00');
  });

  it('takes invoiceDate as dd.mm.yyyy or Unix seconds and refuses anything else', () => {
    expect(parseVendorDate('15.01.2026')).toBe('2026-01-15');
    expect(parseVendorDate(Date.UTC(2026, 0, 14, 23, 30) / 1000)).toBe('2026-01-15');
    expect(parseVendorDate(String(Date.UTC(2026, 5, 1, 12) / 1000))).toBe('2026-06-01');
    expect(parseVendorDate('2026-01-15')).toBeUndefined();
    expect(parseVendorDate('31.02.2026')).toBeUndefined();
  });
});
