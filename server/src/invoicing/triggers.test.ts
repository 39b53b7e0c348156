import { describe, expect, it } from 'vitest';
import { InvoiceSettingsSchema } from './settings';
import { documentTriggeredBy, triggerStageIds } from './triggers';

const sales = 'default';
const projects = '84729301';
const won = { pipelineId: sales, label: 'Abgeschlossen und gewonnen', isWon: true, isClosed: true };
const proposal = { pipelineId: sales, label: 'Angebot versendet', isWon: false, isClosed: false };
const projectWon = { pipelineId: projects, label: 'Projekt beauftragt', isWon: true, isClosed: true };
const projectDelivered = { pipelineId: projects, label: 'Projekt abgenommen', isWon: false, isClosed: false };

function settings(input: Record<string, unknown> = {}) {
  return InvoiceSettingsSchema.parse(input);
}

describe('documentTriggeredBy', () => {
  it('lets every won stage of every pipeline create an invoice when nothing is configured', () => {
    expect(documentTriggeredBy(settings(), 'closedwon', won)).toBe('invoice');
    expect(documentTriggeredBy(settings(), '93847561', projectWon)).toBe('invoice');
    expect(documentTriggeredBy(settings(), 'presentationscheduled', proposal)).toBeNull();
  });

  it('creates the default document type at a won stage of an unconfigured pipeline', () => {
    expect(documentTriggeredBy(settings({ documentType: 'quotation' }), 'closedwon', won)).toBe('quotation');
  });

  it('triggers only at the stages chosen for a configured pipeline, and leaves other pipelines on the default', () => {
    const chosen = settings({ triggers: { [projects]: { invoiceStages: ['93847562'], quoteStages: ['93847560'] } } });
    expect(documentTriggeredBy(chosen, '93847562', projectDelivered)).toBe('invoice');
    expect(documentTriggeredBy(chosen, '93847560', { ...projectDelivered, label: 'Angebot erstellt' })).toBe('quotation');
    expect(documentTriggeredBy(chosen, '93847561', projectWon)).toBeNull();
    expect(documentTriggeredBy(chosen, 'closedwon', won)).toBe('invoice');
  });

  it('triggers nothing in an ignored pipeline, not even at its won stage', () => {
    const chosen = settings({ triggers: { [sales]: { ignored: true, invoiceStages: ['closedwon'] } } });
    expect(documentTriggeredBy(chosen, 'closedwon', won)).toBeNull();
  });

  it('does not apply a stage listed under another pipeline', () => {
    const chosen = settings({ triggers: { [projects]: { invoiceStages: ['closedwon'] } } });
    expect(documentTriggeredBy(chosen, 'closedwon', won)).toBe('invoice');
    const salesChosen = settings({ triggers: { [sales]: { invoiceStages: ['93847562'] } } });
    expect(documentTriggeredBy(salesChosen, 'closedwon', won)).toBeNull();
  });

  it('triggers nothing for a deal without a stage or at a stage HubSpot does not know', () => {
    expect(documentTriggeredBy(settings(), undefined, undefined)).toBeNull();
    expect(documentTriggeredBy(settings(), 'deletedstage', undefined)).toBeNull();
  });

  it('refuses a stage that would trigger both an invoice and a quote', () => {
    const result = InvoiceSettingsSchema.safeParse({ triggers: { [projects]: { invoiceStages: ['93847562'], quoteStages: ['93847562'] } } });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].path).toEqual(['triggers', projects, 'quoteStages']);
  });
});

describe('triggerStageIds', () => {
  it('lists the stages chosen for the kind in a configured pipeline, and nothing for a pipeline on the default', () => {
    const chosen = settings({ triggers: { [projects]: { invoiceStages: ['93847562', '93847563'], quoteStages: ['93847560'] } } });
    expect(triggerStageIds(chosen, projects, 'invoice')).toEqual(['93847562', '93847563']);
    expect(triggerStageIds(chosen, projects, 'quotation')).toEqual(['93847560']);
    expect(triggerStageIds(chosen, sales, 'invoice')).toBeUndefined();
  });
});
