/**
 * "Invoice created / sent / paid" on the deal's timeline, as notes (why notes: hubspot/deal-notes.ts).
 * Each event is written once per document: the row is claimed before the HubSpot call and marked
 * written after it, so a job that runs again (retry, rerun, a late duplicate webhook) adds nothing.
 * HubSpot's note create takes no idempotency key: only a crash between HubSpot's commit and our mark
 * can leave a claim `writing`, and that claim is written again (a possible duplicate note rather than a
 * silently missing one).
 */
import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { dealTimelineNotes } from '../db/schema';
import { createDealNote } from '../hubspot/deal-notes';
import type { InvoicingDeps } from './process-deal';
import type { InvoiceRecord } from './records';

export type TimelineEvent = (typeof dealTimelineNotes.$inferSelect)['event'];

/** The events a record has reached, in the order they happen. */
export function reachedEvents(record: InvoiceRecord): TimelineEvent[] {
  if (!record.documentId || record.status === 'creating') return [];
  const events: TimelineEvent[] = ['created'];
  if (record.emailSentAt) events.push('sent');
  if (record.paidDate && record.kind === 'invoice') events.push('paid');
  return events;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The note's text in the portal's language; HubSpot shows `hs_note_body` as HTML. */
export function noteBody(record: InvoiceRecord, event: TimelineEvent, language: 'de' | 'en'): string {
  const quote = record.kind === 'quotation';
  const noun = language === 'de' ? (quote ? 'Angebot' : 'Rechnung') : quote ? 'Quote' : 'Invoice';
  const name = escapeHtml(`${noun} ${record.documentNumber ?? record.documentId ?? ''}`.trim());
  const gross = record.totalGross && record.currency ? escapeHtml(`${record.totalGross} ${record.currency}`) : '';
  const text = {
    created: {
      de: `${name} in der Buchhaltung erstellt${gross ? ` (brutto ${gross})` : ''}.`,
      en: `${name} created in the accounting system${gross ? ` (gross ${gross})` : ''}.`,
    },
    sent: { de: `${name} per E-Mail an den Kunden versendet.`, en: `${name} sent to the customer by e-mail.` },
    paid: { de: `${name} bezahlt am ${escapeHtml(record.paidDate ?? '')}.`, en: `${name} paid on ${escapeHtml(record.paidDate ?? '')}.` },
  }[event][language];
  return `<p><strong>APIUP</strong>: ${text}</p>`;
}

/** Notes written per deal, document and event; every function takes `portalId` first. */
export class DealTimelineNotes {
  constructor(
    private readonly db: DbOrTx,
    private readonly now: () => number = Date.now,
  ) {}

  private where(portalId: string, dealId: string, documentId: string, event: TimelineEvent) {
    const t = dealTimelineNotes;
    return and(eq(t.portalId, portalId), eq(t.dealId, dealId), eq(t.documentId, documentId), eq(t.event, event));
  }

  async state(portalId: string, dealId: string, documentId: string, event: TimelineEvent) {
    const [row] = await this.db
      .select()
      .from(dealTimelineNotes)
      .where(this.where(portalId, dealId, documentId, event))
      .limit(1);
    return row;
  }

  async claim(portalId: string, dealId: string, documentId: string, event: TimelineEvent): Promise<void> {
    await this.db.insert(dealTimelineNotes).values({ portalId, dealId, documentId, event, state: 'writing', claimedAt: this.now() }).onConflictDoNothing();
  }

  async written(portalId: string, dealId: string, documentId: string, event: TimelineEvent, noteId: string): Promise<void> {
    await this.db
      .update(dealTimelineNotes)
      .set({ state: 'written', noteId, writtenAt: this.now() })
      .where(this.where(portalId, dealId, documentId, event));
  }
}

/** Writes the notes for every event the record has reached that the deal does not have yet. */
export async function writeDealNotes(deps: Pick<InvoicingDeps, 'db' | 'hubspot' | 'settings' | 'now' | 'log'>, record: InvoiceRecord): Promise<void> {
  const notes = new DealTimelineNotes(deps.db, deps.now);
  const { portalId, dealId, documentId } = record;
  if (!documentId) return;
  const language = (await deps.settings.get(portalId)).invoice.language;
  for (const event of reachedEvents(record)) {
    if ((await notes.state(portalId, dealId, documentId, event))?.state === 'written') continue;
    await notes.claim(portalId, dealId, documentId, event);
    const noteId = await createDealNote(deps.hubspot, portalId, dealId, noteBody(record, event, language), deps.now());
    await notes.written(portalId, dealId, documentId, event, noteId);
    deps.log.info({ dealId, documentId, event, noteId }, 'deal note written');
  }
}
