import { z } from 'zod';
import { RoundingRulesSchema } from '../accounting/registry';

const decimalString = z.string().regex(/^\d+(\.\d+)?$/, 'a decimal number like 19 or 7.5');

/** A template with `{{deal.name}}`-style placeholders (see invoicing/template.ts). */
const template = z.string().max(2000);

const stageIds = z.array(z.string().min(1).max(100)).max(100);

/**
 * What one HubSpot deal pipeline triggers, by stage id. A stage triggers an invoice or a quote,
 * not both; `ignored` means no stage of the pipeline triggers anything ("create now" still works).
 */
export const PipelineTriggerSchema = z
  .object({
    ignored: z.boolean().default(false),
    invoiceStages: stageIds.default([]),
    quoteStages: stageIds.default([]),
  })
  .refine((p) => !p.invoiceStages.some((id) => p.quoteStages.includes(id)), {
    message: 'a stage triggers an invoice or a quote, not both',
    path: ['quoteStages'],
  });
export type PipelineTrigger = z.infer<typeof PipelineTriggerSchema>;

/** Per-portal invoice rules. Conditions and texts take effect with Business Plus only. */
export const InvoiceSettingsSchema = z.object({
  /** What a won stage of a pipeline without its own choice in `triggers` creates. */
  documentType: z.enum(['invoice', 'quotation']).default('invoice'),
  /**
   * The user's choice per pipeline id (invoicing/triggers.ts). A pipeline not listed keeps the
   * default: every won stage creates a `documentType` document.
   */
  triggers: z.record(z.string().min(1).max(100), PipelineTriggerSchema).default({}),
  /** Language of the reasons written to the deal (`apiup_invoice_reason`). */
  language: z.enum(['de', 'en']).default('de'),
  finalize: z.boolean().default(true),
  sendEmail: z.boolean().default(false),
  /** A deal without line items: one line from the deal amount, or skip. */
  withoutLineItems: z.enum(['amount_line', 'skip']).default('amount_line'),
  /**
   * Used when a line item has no tax rate from HubSpot's tax rate library. Unset: the connected vendor's
   * standard rate (`AccountingProvider.defaultTaxRatePercent`: 8.1 for bexio's Swiss accounts, 19 for the others).
   */
  defaultTaxRatePercent: decimalString.optional(),
  /**
   * A line item without a tax rate (none from HubSpot's library, no product rule): `default` uses
   * `defaultTaxRatePercent` and the preview and the invoice record mark the line; `skip` creates no
   * invoice and names the lines.
   */
  missingTaxRate: z.enum(['default', 'skip']).default('default'),
  /**
   * Invoices to business customers (a company on the deal) are created as structured e-invoices where the
   * vendor makes them through its API (XRechnung/ZUGFeRD; German B2B duty from 1 January 2027); the preview
   * lists what is missing first. On by default: the app is sold to German sellers.
   */
  eInvoiceForBusinessCustomers: z.boolean().default(true),
  /**
   * Per vendor id, the reading of each rounding rule the vendor leaves unsettled (money.md §9), e.g.
   * `{ sevdesk: { vatRounding: 'perUnit' } }`; an option not set takes the vendor's default reading. The
   * preview's prediction and the run's use it; the vendor's read-back totals are compared with that prediction.
   */
  roundingRules: RoundingRulesSchema.default({}),
  /** HubSpot prices include VAT (B2C): drafts carry gross prices (`priceBasis: 'gross'`). */
  pricesIncludeVat: z.boolean().default(false),
  /** Tax rate per HubSpot product id or SKU, overriding the default. */
  productTaxRates: z.record(z.string(), decimalString).default({}),
  /** Days until payment is due, where the vendor takes a number. */
  paymentTermDays: z.number().int().min(0).max(365).default(14),
  conditions: z
    .object({
      currency: z
        .string()
        .regex(/^[A-Z]{3}$/)
        .optional(),
      minLineItems: z.number().int().min(1).max(1000).optional(),
      requireQuote: z.boolean().default(false),
    })
    .default({ requireQuote: false }),
  texts: z
    .object({
      title: template.default('Rechnung {{deal.name}}'),
      introduction: template.default(''),
      paymentTerms: template.default(''),
      closingText: template.default(''),
    })
    .default({ title: 'Rechnung {{deal.name}}', introduction: '', paymentTerms: '', closingText: '' }),
});
export type InvoiceSettings = z.infer<typeof InvoiceSettingsSchema>;

/** The rate for lines without one when neither the portal nor a connected vendor sets it (German standard rate). */
export const fallbackTaxRatePercent = '19';

/** Invoice settings with the default tax rate decided: the portal's own, else the connected vendor's standard rate. */
export type DraftSettings = InvoiceSettings & { defaultTaxRatePercent: string };

export function withDefaultTaxRate(settings: InvoiceSettings, vendorDefault: string | undefined): DraftSettings {
  return { ...settings, defaultTaxRatePercent: settings.defaultTaxRatePercent ?? vendorDefault ?? fallbackTaxRatePercent };
}

export const defaultInvoiceSettings: InvoiceSettings = InvoiceSettingsSchema.parse({});
