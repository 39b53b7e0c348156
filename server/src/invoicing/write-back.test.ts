import { describe, expect, it } from 'vitest';
import { hubspotDate } from './write-back';

describe('hubspotDate', () => {
  it('keeps a calendar day as YYYY-MM-DD, which HubSpot reads as midnight UTC', () => {
    expect(hubspotDate('2026-12-01')).toBe('2026-12-01');
  });

  it("keeps the vendor's calendar day of a date-time, whatever its offset", () => {
    expect(hubspotDate('2026-12-01T00:00:00.000+01:00')).toBe('2026-12-01');
    expect(hubspotDate('2026-12-24 15:30:00')).toBe('2026-12-24');
  });

  it('leaves out what is not a real date, so HubSpot does not refuse the whole update', () => {
    expect(hubspotDate('01.12.2026')).toBeUndefined();
    expect(hubspotDate('2026-02-30')).toBeUndefined();
    expect(hubspotDate('')).toBeUndefined();
    expect(hubspotDate(null)).toBeUndefined();
    expect(hubspotDate('1796083200000')).toBeUndefined();
  });
});
