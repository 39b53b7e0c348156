/** Messages a person can act on, per reason code, in German and English (card and activity log). */
export const invoiceMessages = {
  plan_required: {
    de: 'Für Rechnungen ist ein Paket mit Rechnungsstellung nötig (Buchhaltung & Rechnung, Business oder Business Plus).',
    en: 'Invoicing needs a package that includes it (Accounting & Invoicing, Business or Business Plus).',
  },
  no_accounting_connection: {
    de: 'Keine Buchhaltung verbunden. Verbinden Sie sie in den App-Einstellungen.',
    en: 'No accounting system is connected. Connect one in the app settings.',
  },
  no_line_items_no_amount: { de: 'Deal hat keine Positionen und keinen Betrag.', en: 'The deal has no line items and no amount.' },
  no_line_items: {
    de: 'Deal hat keine Positionen; Deals ohne Positionen werden laut Einstellung übersprungen.',
    en: 'The deal has no line items; the settings skip such deals.',
  },
  no_customer: { de: 'Dem Deal ist weder ein Unternehmen noch ein Kontakt zugeordnet.', en: 'The deal has no associated company or contact.' },
  condition_currency: {
    de: 'Bedingung nicht erfüllt: Währung ist {actual}, verlangt ist {expected}.',
    en: 'Condition not met: currency is {actual}, {expected} is required.',
  },
  condition_min_line_items: {
    de: 'Bedingung nicht erfüllt: {actual} Positionen, mindestens {expected} verlangt.',
    en: 'Condition not met: {actual} line items, at least {expected} required.',
  },
  condition_quote_required: {
    de: 'Bedingung nicht erfüllt: Dem Deal ist kein Angebot zugeordnet.',
    en: 'Condition not met: the deal has no associated quote.',
  },
  conflicting_discounts: {
    de: 'Position „{detail}“ hat zugleich einen Prozent- und einen Betragsrabatt; bitte nur einen setzen.',
    en: 'Line item "{detail}" has both a percentage and an amount discount; set only one.',
  },
  invalid_line_item: {
    de: 'Position „{detail}“ hat keine gültige Menge oder keinen gültigen Preis.',
    en: 'Line item "{detail}" has no valid quantity or price.',
  },
  ambiguous_customer: {
    de: 'Mehrere Kunden in der Buchhaltung passen zu „{detail}“; bitte in der Konfliktliste auswählen.',
    en: 'Several customers in the accounting system match "{detail}"; pick one in the conflict list.',
  },
  not_won: { de: 'Deal ist nicht in einer gewonnenen Phase.', en: 'The deal is not in a won stage.' },
  left_won_after_invoice: {
    de: 'Deal wurde nach der Rechnungsstellung aus „gewonnen“ verschoben. Rechnung {detail} kann auf der Deal-Karte storniert werden (sonst bitte in der Buchhaltung stornieren oder gutschreiben).',
    en: 'The deal left the won stage after invoicing. Invoice {detail} can be cancelled from the deal card (otherwise cancel or credit it in the accounting system).',
  },
  left_trigger_stage_after_invoice: {
    de: 'Deal hat nach der Rechnungsstellung die auslösende Phase „{stage}“ verlassen. Rechnung {detail} kann auf der Deal-Karte storniert werden (sonst bitte in der Buchhaltung stornieren oder gutschreiben).',
    en: 'The deal left the stage that triggered the invoice ("{stage}") after invoicing. Invoice {detail} can be cancelled from the deal card (otherwise cancel or credit it in the accounting system).',
  },
  vendor_failed: { de: 'Die Buchhaltung hat die Anfrage abgelehnt: {detail}', en: 'The accounting system rejected the request: {detail}' },
  vendor_unavailable: {
    de: 'Die Buchhaltung ist gerade nicht erreichbar; wir versuchen es erneut.',
    en: 'The accounting system is not reachable right now; we will try again.',
  },
  needs_reauth: { de: 'HubSpot-Verbindung abgelaufen: App bitte neu autorisieren.', en: 'HubSpot connection expired: please re-authorise the app.' },
  email_not_sent: {
    de: 'Die Rechnung wurde erstellt, der E-Mail-Versand aber nicht bestätigt; bitte in der Buchhaltung prüfen.',
    en: 'The invoice was created but sending the e-mail was not confirmed; please check in the accounting system.',
  },
  field_too_long: {
    de: '{field} ist mit {length} Zeichen zu lang für die Buchhaltung (höchstens {limit}){line}. Bitte in HubSpot oder in den Texten der App kürzen.',
    en: "{field} has {length} characters, more than the accounting system takes ({limit} at most){line}. Please shorten it in HubSpot or in the app's texts.",
  },
  too_many_lines: {
    de: 'Der Deal hat {length} Positionen; die Buchhaltung nimmt höchstens {limit} je Beleg.',
    en: 'The deal has {length} line items; the accounting system takes at most {limit} per document.',
  },
  title_moved_to_introduction: {
    de: 'Der Titel ist länger als {limit} Zeichen und steht deshalb vollständig am Anfang des Einleitungstexts.',
    en: 'The title is longer than {limit} characters, so it is given in full at the start of the introduction.',
  },
  line_name_continued: {
    de: 'Der Name von Position {line} ist länger als {limit} Zeichen und wird in ihrer Beschreibung fortgesetzt.',
    en: 'The name of line {line} is longer than {limit} characters and continues in its description.',
  },
  hubspot_required_property: {
    de: 'HubSpot hat das Eintragen der Rechnungsdaten am Deal abgelehnt: Eine Pflichtfeld-Regel des Portals verlangt „{properties}“{because}. Ein Admin kann das Feld am Deal füllen oder die Regel unter Einstellungen → Eigenschaften (bedingte Regel) bzw. Objekte → Deals → Datensatz erstellen anpassen; wir versuchen es stündlich erneut.',
    en: 'HubSpot refused to write the invoice data onto the deal: a required-property rule of the portal asks for "{properties}"{because}. An admin can fill the field on the deal or change the rule in Settings → Properties (conditional rule) or Objects → Deals → Create Record; we retry every hour.',
  },
  currency_invalid: {
    de: 'Die Währung „{currency}“ des Deals ist kein gültiger ISO-4217-Code; es wurde keine Rechnung erstellt.',
    en: 'The deal\'s currency "{currency}" is not a valid ISO 4217 code; no invoice was created.',
  },
  currency_not_supported: {
    de: 'Die Buchhaltung nimmt keine Belege in {currency} an (nur {supported}); es wurde keine Rechnung erstellt. Bitte die Währung des Deals prüfen.',
    en: "The accounting system takes no documents in {currency} (only {supported}); no invoice was created. Please check the deal's currency.",
  },
  unit_price_too_precise: {
    de: 'Position {line} „{name}“: Der Stückpreis {value} hat mehr Nachkommastellen, als die Buchhaltung speichert (höchstens {decimals}), und würde gerundet. Es wurde keine Rechnung erstellt; bitte den Preis in HubSpot anpassen.',
    en: 'Line {line} "{name}": the unit price {value} has more decimals than the accounting system keeps ({decimals} at most) and would be rounded. No invoice was created; please adjust the price in HubSpot.',
  },
  quantity_too_precise: {
    de: 'Position {line} „{name}“: Die Menge {value} hat mehr Nachkommastellen, als die Buchhaltung speichert (höchstens {decimals}). Es wurde keine Rechnung erstellt.',
    en: 'Line {line} "{name}": the quantity {value} has more decimals than the accounting system keeps ({decimals} at most). No invoice was created.',
  },
  discount_too_precise: {
    de: 'Position {line} „{name}“: Der Rabatt von {value} % hat mehr Nachkommastellen, als die Buchhaltung speichert (höchstens {decimals}). Es wurde keine Rechnung erstellt.',
    en: 'Line {line} "{name}": the discount of {value} % has more decimals than the accounting system keeps ({decimals} at most). No invoice was created.',
  },
  negative_line_not_supported: {
    de: 'Position {line} „{name}“ ergibt einen negativen Betrag ({value}): eine Gutschrift oder ein Rabatt größer als der Preis. Die Buchhaltung nimmt keine negativen Positionen an; es wurde keine Rechnung erstellt.',
    en: 'Line {line} "{name}" comes to a negative amount ({value}): a credit, or a discount larger than the price. The accounting system takes no negative lines; no invoice was created.',
  },
  amount_too_precise_for_currency: {
    de: 'Position {line} „{name}“ ergibt {value} {currency}; {currency} hat {minorUnits} Nachkommastellen, die Buchhaltung rechnet aber in Cent, der Betrag würde also gerundet. Es wurde keine Rechnung erstellt.',
    en: 'Line {line} "{name}" comes to {value} {currency}; {currency} has {minorUnits} decimals but the accounting system computes in cents, so the amount would be rounded. No invoice was created.',
  },
  total_too_precise_for_currency: {
    de: 'Die Buchhaltung käme auf den Betrag {value} {currency}; {currency} hat {minorUnits} Nachkommastellen. Es wurde keine Rechnung erstellt.',
    en: 'The accounting system would arrive at {value} {currency}; {currency} has {minorUnits} decimals. No invoice was created.',
  },
  gross_price_not_exact: {
    de: 'Position {line} „{name}“: Die Buchhaltung kennt keine Bruttopreise, und der Bruttopreis {value} lässt sich bei {taxRatePercent} % nicht exakt in einen Nettopreis umrechnen. Es wurde keine Rechnung erstellt.',
    en: 'Line {line} "{name}": the accounting system has no gross prices, and the gross price {value} cannot be converted exactly to a net price at {taxRatePercent} %. No invoice was created.',
  },
  gross_total_not_exact: {
    de: 'Die Buchhaltung kennt keine Bruttopreise; mit Nettopreisen käme sie auf {predicted} {currency} statt der vereinbarten {value} {currency} brutto. Es wurde keine Rechnung erstellt.',
    en: 'The accounting system has no gross prices; with net prices it would arrive at {predicted} {currency} instead of the agreed {value} {currency} gross. No invoice was created.',
  },
  missing_tax_rate: {
    de: 'Positionen ohne Steuersatz: {names}. Laut Einstellung wird der Deal dann übersprungen; bitte den Positionen in HubSpot einen Steuersatz zuweisen.',
    en: 'Line items without a tax rate: {names}. The settings skip such deals; please assign a tax rate to these line items in HubSpot.',
  },
  totals_differ: {
    de: 'Die Buchhaltung hat andere Summen berechnet als vorhergesagt: brutto {actualGross} statt {predictedGross} {currency} (netto {actualNet} statt {predictedNet}, Steuer {actualTax} statt {predictedTax}). Bitte die Rechnung in der Buchhaltung prüfen.',
    en: 'The accounting system computed other totals than predicted: gross {actualGross} instead of {predictedGross} {currency} (net {actualNet} instead of {predictedNet}, tax {actualTax} instead of {predictedTax}). Please check the invoice in the accounting system.',
  },
  default_tax_rate_used: {
    de: 'Position {line} „{name}“ hat in HubSpot keinen Steuersatz; es gilt der Standardsatz {rate} %.',
    en: 'Line {line} "{name}" has no tax rate in HubSpot; the default rate of {rate} % applies.',
  },
  einvoice_missing: {
    de: 'E-Rechnung: {what} fehlt. Bitte ergänzen in {where}; bis dahin wird keine Rechnung erstellt.',
    en: 'E-invoice: {what} is missing. Please add it in {where}; no invoice is created until then.',
  },
  einvoice_planned: { de: 'Die Rechnung wird als E-Rechnung ({formats}) erstellt.', en: 'The invoice is created as an e-invoice ({formats}).' },
  einvoice_seller_checked_by_vendor: {
    de: 'Ihre Firmendaten für die E-Rechnung (Steuernummer oder USt-IdNr., Bankverbindung, Anschrift) liest die Buchhaltung nicht über ihre Schnittstelle aus; sie prüft sie beim Abschließen. Bitte in den Einstellungen der Buchhaltung vollständig halten.',
    en: "Your company data for e-invoices (tax number or VAT id, bank account, address) cannot be read through the accounting system's API; it checks them when the invoice is finalized. Please keep them complete in its settings.",
  },
  einvoice_automatic: {
    de: 'Die Buchhaltung erzeugt die E-Rechnung ({formats}) selbst beim Abschließen, wenn E-Rechnungen im Konto aktiviert sind.',
    en: 'The accounting system creates the e-invoice ({formats}) itself when finalizing, where e-invoicing is enabled in the account.',
  },
  einvoice_not_supported: {
    de: 'Die verbundene Buchhaltung erstellt über ihre Schnittstelle keine E-Rechnungen; die Rechnung wird als normales PDF erstellt.',
    en: 'The connected accounting system creates no e-invoices through its API; the invoice is created as an ordinary PDF.',
  },
  currency_not_in_account: {
    de: 'Das verbundene Buchhaltungskonto führt die Währung {currency} nicht (eingerichtet: {supported}); es wurde keine Rechnung erstellt. Bitte die Währung in der Buchhaltung anlegen oder die Währung des Deals prüfen.',
    en: "The connected accounting account has no {currency} currency (set up: {supported}); no invoice was created. Please add the currency in the accounting system or check the deal's currency.",
  },
  rounding_reading: {
    de: 'Rundungsregel {rule}: {readingText} ({chosenBy}). Die Buchhaltung dokumentiert diese Regel nicht eindeutig; nach dem Anlegen liest APIUP ihre Summen zurück, vergleicht sie mit dieser Vorschau und zeigt jede Abweichung als Warnung.',
    en: 'Rounding rule {rule}: {readingText} ({chosenBy}). The accounting system does not document this rule unambiguously; after creating the invoice APIUP reads its totals back, compares them with this preview and shows any difference as a warning.',
  },
  job_failed: { de: 'Die Rechnung konnte nicht erstellt werden: {detail}', en: 'The invoice could not be created: {detail}' },
} as const satisfies Record<string, { de: string; en: string }>;

/** What an e-invoice lacks (EInvoiceGap codes), as a person reads it. */
export const eInvoiceGapLabels = {
  seller_tax_id: { de: 'Ihre Steuernummer oder USt-IdNr.', en: 'your tax number or VAT id' },
  seller_iban: { de: 'Ihre IBAN', en: 'your IBAN' },
  seller_bic: { de: 'Ihre BIC', en: 'your BIC' },
  seller_address: { de: 'Ihre Firmenanschrift', en: 'your company address' },
  seller_email: { de: 'Ihre Kontakt-E-Mail', en: 'your contact e-mail' },
  seller_phone: { de: 'Ihre Telefonnummer', en: 'your phone number' },
  customer_address: { de: 'Die Anschrift des Kunden (Straße, PLZ, Ort, Land)', en: "the customer's address (street, postcode, city, country)" },
  customer_email: { de: 'Die E-Mail-Adresse des Kunden', en: "the customer's e-mail address" },
  buyer_reference: { de: 'Die Käuferreferenz (Leitweg-ID)', en: 'the buyer reference (Leitweg-ID)' },
  vendor_number_at_customer: { de: 'Ihre Lieferantennummer beim Kunden', en: 'your supplier number at the customer' },
} as const satisfies Record<string, { de: string; en: string }>;

/** Where each gap is fixed. */
export const eInvoiceFixLabels = {
  accounting_settings: { de: 'den Firmeneinstellungen der Buchhaltung', en: "the accounting system's company settings" },
  hubspot_company: {
    de: 'HubSpot am Unternehmen (Eigenschaften der Gruppe „APIUP“ bzw. Adresse)',
    en: 'HubSpot on the company (address or the "APIUP" property group)',
  },
  hubspot_contact: { de: 'HubSpot am Kontakt des Deals (E-Mail)', en: "HubSpot on the deal's contact (e-mail)" },
} as const satisfies Record<string, { de: string; en: string }>;

/**
 * The readings of the rounding rules vendors leave unsettled (`RoundingChoice`, `<option>.<value>`), as a person
 * reads them; a test checks that every vendor's choices have one.
 */
export const roundingReadingLabels = {
  'discountRounding.discountedLine': {
    de: 'Rabatt – die rabattierte Zeile wird einmal auf Cent gerundet',
    en: 'discount – the discounted line is rounded to cents once',
  },
  'discountRounding.discountFirst': {
    de: 'Rabatt – erst der Rabattbetrag wird auf Cent gerundet, dann abgezogen',
    en: 'discount – the discount amount is rounded to cents first, then subtracted',
  },
  'discountRounding.roundDiscount': {
    de: 'Rabatt – Zeilenbetrag und Rabattbetrag werden je auf Cent gerundet, dann abgezogen',
    en: 'discount – line amount and discount amount are each rounded to cents, then subtracted',
  },
  'discountRounding.roundNet': {
    de: 'Rabatt – der rabattierte Zeilenbetrag wird einmal auf Cent gerundet',
    en: 'discount – the discounted line amount is rounded to cents once',
  },
  'vatRounding.perPosition': { de: 'MwSt. je Position aus dem auf Cent gerundeten Positionsbetrag', en: 'VAT per line from the line amount rounded to cents' },
  'vatRounding.perUnit': { de: 'MwSt. je Stück auf Cent gerundet, dann mal Menge', en: 'VAT per unit rounded to cents, then times the quantity' },
  'precision.docs': {
    de: 'Positionen mit bis zu 6 Nachkommastellen, Steuern ungerundet, erst der Endbetrag wird gerundet',
    en: 'lines kept at up to 6 decimals, taxes unrounded, only the total is rounded',
  },
  'precision.cent-positions': {
    de: 'Positionen erst auf Cent (Rappen) gerundet, Steuern ungerundet, erst der Endbetrag wird gerundet',
    en: 'lines rounded to cents (Rappen) first, taxes unrounded, only the total is rounded',
  },
} as const satisfies Record<string, { de: string; en: string }>;

/** Names of the fields a vendor limits, as a person reads them. */
export const fieldLabels = {
  title: { de: 'Der Titel', en: 'The title' },
  introduction: { de: 'Der Einleitungstext', en: 'The introduction' },
  closingText: { de: 'Der Schlusstext', en: 'The closing text' },
  paymentTerms: { de: 'Der Text zu den Zahlungsbedingungen', en: 'The payment terms text' },
  lineName: { de: 'Der Positionsname', en: 'The line item name' },
  lineDescription: { de: 'Die Positionsbeschreibung', en: 'The line item description' },
  companyName: { de: 'Der Firmenname', en: 'The company name' },
  firstName: { de: 'Der Vorname', en: 'The first name' },
  lastName: { de: 'Der Nachname', en: 'The last name' },
  street: { de: 'Die Straße', en: 'The street' },
  zip: { de: 'Die Postleitzahl', en: 'The postcode' },
  city: { de: 'Der Ort', en: 'The city' },
  email: { de: 'Die E-Mail-Adresse', en: 'The e-mail address' },
  phone: { de: 'Die Telefonnummer', en: 'The phone number' },
  vatId: { de: 'Die USt-IdNr.', en: 'The VAT id' },
  customerNumber: { de: 'Die Kundennummer', en: 'The customer number' },
} as const satisfies Record<string, { de: string; en: string }>;

export type InvoiceMessageCode = keyof typeof invoiceMessages;

export function formatMessage(code: string, locale: 'de' | 'en', params: Record<string, string | number | undefined> = {}): string {
  const entry = (invoiceMessages as Record<string, { de: string; en: string }>)[code];
  if (!entry) return code;
  const values = { ...params, ...fieldParams(locale, params) };
  return entry[locale].replace(/\{(\w+)\}/g, (_m, key: string) => String(values[key] ?? ''));
}

/** `field` and `line` of a limit message, in words. */
function fieldParams(locale: 'de' | 'en', params: Record<string, string | number | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  const label = (fieldLabels as Record<string, { de: string; en: string }>)[String(params.field)];
  if (label) out.field = label[locale];
  if ('field' in params) out.line = params.line ? (locale === 'de' ? ` (Position ${params.line})` : ` (line ${params.line})`) : '';
  const gap = (eInvoiceGapLabels as Record<string, { de: string; en: string }>)[String(params.gap)];
  if (gap) out.what = gap[locale];
  const fix = (eInvoiceFixLabels as Record<string, { de: string; en: string }>)[String(params.fixIn)];
  if (fix) out.where = fix[locale];
  const reading = (roundingReadingLabels as Record<string, { de: string; en: string }>)[String(params.reading)];
  if (reading) out.readingText = reading[locale];
  if (params.chosenBy === 'setting') out.chosenBy = locale === 'de' ? 'in den Einstellungen gewählt' : 'chosen in the settings';
  if (params.chosenBy === 'default') out.chosenBy = locale === 'de' ? 'Standard, in den Einstellungen änderbar' : 'the default, can be changed in the settings';
  if ('because' in params)
    out.because = params.because
      ? locale === 'de'
        ? `, ausgelöst durch den Wert von „${params.because}“`
        : `, triggered by the value of "${params.because}"`
      : '';
  return out;
}
