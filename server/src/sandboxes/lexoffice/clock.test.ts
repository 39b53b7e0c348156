import { describe, expect, it } from 'vitest';
import { berlinDay, lexMidnight, lexTimestamp } from './clock';

describe('lexoffice sandbox clock', () => {
  it('writes German wall-clock time with the winter or summer offset, as the docs samples do', () => {
    expect(lexTimestamp(Date.parse('2017-04-24T06:20:22.528Z'))).toBe('2017-04-24T08:20:22.528+02:00');
    expect(lexTimestamp(Date.parse('2017-02-21T23:00:00.000Z'))).toBe('2017-02-22T00:00:00.000+01:00');
  });

  it('switches offset exactly at the 2026 daylight-saving changes', () => {
    expect(lexTimestamp(Date.parse('2026-03-29T00:59:59.999Z'))).toBe('2026-03-29T01:59:59.999+01:00');
    expect(lexTimestamp(Date.parse('2026-03-29T01:00:00.000Z'))).toBe('2026-03-29T03:00:00.000+02:00');
    expect(lexTimestamp(Date.parse('2026-10-25T01:00:00.500Z'))).toBe('2026-10-25T02:00:00.500+01:00');
  });

  it('counts days in German time, so 23:30 UTC on New Year’s Eve is already the next day', () => {
    expect(berlinDay(Date.parse('2026-12-31T23:30:00Z'))).toBe('2027-01-01');
    expect(lexMidnight('2026-07-01')).toBe('2026-07-01T00:00:00.000+02:00');
    expect(lexMidnight('2026-01-15')).toBe('2026-01-15T00:00:00.000+01:00');
  });
});
