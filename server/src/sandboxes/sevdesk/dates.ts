/**
 * Dates as the sevDesk emulator reads and writes them. sevDesk answers date-times in the account's
 * zone with its offset and no fraction ("2024-04-08T00:00:00+02:00", SVS `Model_InvoiceResponse`
 * examples), and takes `invoiceDate` as a Unix timestamp or `dd.mm.yyyy` (SVS `Model_Invoice.invoiceDate`).
 */
import { wallClockParts } from '../wall-clock';

/** `YYYY-MM-DDTHH:mm:ss+hh:mm` in Berlin time. */
export function berlinDateTime(ms: number): string {
  const part = wallClockParts(ms, 'Europe/Berlin');
  return `${part.year}-${part.month}-${part.day}T${part.hour}:${part.minute}:${part.second}${part.offset}`;
}

/** A calendar date (`YYYY-MM-DD`) as sevDesk reads it back: midnight in Berlin, with that day's offset. */
export function berlinMidnight(date: string): string {
  // Guess with the offset at UTC midnight, then take the offset in force at that local midnight (DST days).
  const guess = berlinDateTime(Date.parse(`${date}T00:00:00Z`)).slice(19);
  return berlinDateTime(Date.parse(`${date}T00:00:00${guess}`));
}

/** `invoiceDate` in a request: Unix seconds (number or digits) or `dd.mm.yyyy`; the Berlin calendar date, or undefined. */
export function parseVendorDate(value: number | string): string | undefined {
  if (typeof value === 'number' || /^\d+$/.test(value)) return berlinDateTime(Number(value) * 1000).slice(0, 10);
  const german = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(value);
  if (!german) return undefined;
  const [, day, month, year] = german;
  const iso = `${year}-${month}-${day}`;
  return Number.isNaN(Date.parse(`${iso}T00:00:00Z`)) || new Date(`${iso}T00:00:00Z`).getUTCDate() !== Number(day) ? undefined : iso;
}
