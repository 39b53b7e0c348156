/**
 * What Lexware Office holds exactly in a sales voucher (invoice, quotation), each value with its source.
 * Shared code refuses a draft beyond these before anything is sent; `mapping.ts` refuses it again.
 */
import type { MoneyRules } from '../provider';

export const lexofficeMoneyRules: MoneyRules = {
  // Invoices endpoint, "Line Items Details" (https://developers.lexware.io/docs/#invoices-endpoint-line-items-details):
  // `unitPrice.netAmount` and `unitPrice.grossAmount` "can contain up to 4 decimals". Same text in the Oct 2021
  // copy (jkaessens/lexoffice@571b12ab tools/index.html) and the 2026 capture (alexander-zierhut/
  // agent-tool-lexware-office-cli spike/research/invoices.md: "netAmount (up to 4 dp), grossAmount (up to 4 dp)").
  unitPriceDecimals: 4,
  // Same table: `quantity` "can contain up to 4 decimals" (both captures).
  quantityDecimals: 4,
  // Same table: `discountPercentage` "can contain up to 2 decimals".
  discountPercentDecimals: 2,
  // Same table, `unitPrice.currency` and "Total Price Details" `currency`: "Currently only EUR is supported";
  // the bookkeeping cookbook says the same for the whole product ("lexoffice unterstützt nur die Währung EUR",
  // https://developers.lexoffice.io/cookbooks/bookkeeping/).
  currencies: ['EUR'],
  // `taxConditions.taxType` `gross` prices every line by `unitPrice.grossAmount` (docs "Tax Conditions Details";
  // quotation sample: 23.90 gross @ 19 → net 20.08, tax 3.82).
  grossPrices: true,
  // Not accepted as a credit: Lexware documents no negative unit price or quantity for sales vouchers; its help
  // centre says amounts are entered positive and a credit is a separate voucher ("Rechnungskorrektur": "Hinterlegen
  // Sie die gutzuschreibenden Beträge positiv", https://help.lexware.de/de-form/articles/11640844; "Da Sie in Lexware
  // Office ausschließlich mit positiven Beträgen buchen können", https://support.lexoffice.de/de-form/articles/10124873);
  // and the ZUGFeRD/XRechnung documents Lexware emits (`electronicDocumentProfile` EN16931/XRechnung) forbid a
  // negative item net price (EN 16931 BR-27). A rebate goes in as a line discount or a lower unit price instead.
  negativeLines: false,
};
