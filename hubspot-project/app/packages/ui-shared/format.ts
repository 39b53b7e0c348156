/**
 * Display formats. Money arrives as decimal strings and is formatted as text, never through a JS
 * number, so no float rounding can change a cent.
 * Shared by the cards and the settings page through the npm workspace package @apiup/ui-shared
 * (hubspot-project/README.md, "Shared code", says why and how HubSpot builds it).
 */
import type { Lang } from './origin';

export function formatMoney(amount: string, currency: string, lang: Lang): string {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(amount.trim());
  if (!match) return `${amount} ${currency}`;
  const [, sign, whole, fraction = ''] = match;
  const cents = (fraction + '00').slice(0, Math.max(2, fraction.length));
  const groups = whole.replace(/\B(?=(\d{3})+(?!\d))/g, lang === 'de' ? '.' : ',');
  return `${sign}${groups}${lang === 'de' ? ',' : '.'}${cents} ${currency}`;
}

/** `2026-03-31` (a calendar date, no time zone) → `31.03.2026` / `2026-03-31`. */
export function formatDate(isoDate: string, lang: Lang): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  if (!match) return isoDate;
  const [, y, m, d] = match;
  return lang === 'de' ? `${d}.${m}.${y}` : `${y}-${m}-${d}`;
}

/** Epoch ms → local date and time in the portal's time zone. */
export function formatDateTime(epochMs: number, lang: Lang, timeZone?: string): string {
  try {
    return new Intl.DateTimeFormat(lang === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(epochMs));
  } catch {
    return new Date(epochMs).toISOString();
  }
}
