import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { Alert, Button, LoadingButton, LoadingSpinner, ErrorState, Link, StatusTag, Table, Text } from '@hubspot/ui-extensions';
import { DealInvoiceCard } from './DealInvoiceCard';
import { deferred, stubBackend, type Answer } from './test-utils/backend';
import { accepted, failedInvoice, makeDealInvoice, makeInvoice, makePreview, noFeatures, notFound, skippedInvoice } from './test-utils/fixtures';
import { API_ORIGIN } from '@apiup/ui-shared/origin';
import { allText } from './test-utils/text';

const invoicePath = '/api/v1/deals/123/invoice';

/** Short back-off so a test sees a job polled to its end in well under a second. */
const pollDelaysMs = [5, 20, 40];

const appId = 31415926;
const settingsPage = `https://app.hubspot.com/integrations-settings/123/installed/framework/${appId}/general-settings`;

function renderCard(locale = 'en-us', extension: { appId: number; appName: string } | null = { appId, appName: 'APIUP' }) {
  const renderer = createRenderer('crm.record.sidebar');
  renderer.mocks.context.crm.objectTypeId = '0-3';
  renderer.mocks.context.user.locale = locale;
  renderer.mocks.context.extension = extension ?? undefined;
  renderer.render(<DealInvoiceCard pollDelaysMs={pollDelaysMs} />);
  return renderer;
}

afterEach(() => vi.restoreAllMocks());

describe('deal invoice card', () => {
  it('shows a spinner until the backend answers', async () => {
    const answer = deferred<Answer>();
    stubBackend({ [`GET ${invoicePath}`]: () => answer.promise });
    const { find, waitFor, maybeFind } = renderCard();
    expect(find(LoadingSpinner).props.label).toBe('Loading…');
    answer.resolve({ body: makeDealInvoice() });
    await waitFor(() => expect(maybeFind(LoadingSpinner)).toBeNull());
  });

  it('shows number, date, amount, vendor and PDF links of a created invoice', async () => {
    const backend = stubBackend({ [`GET ${invoicePath}`]: { body: makeDealInvoice() } });
    const { findByTestId, waitFor } = renderCard();
    await waitFor(() => expect(findByTestId(StatusTag, 'invoice-status').text).toBe('Created'));
    expect(findByTestId(Text, 'invoice-number').text).toBe('RE-2026-0042');
    expect(findByTestId(Text, 'invoice-date').text).toBe('2026-03-31');
    expect(findByTestId(Text, 'invoice-amount').text).toBe('1,190.00 EUR');
    expect(findByTestId(Button, 'open-vendor').text).toBe('Open in Lexware Office');
    expect(findByTestId(Button, 'open-vendor').props.href).toEqual({ url: 'https://app.lexware.de/permalink/invoices/view/abc', external: true });
    expect(findByTestId(Link, 'pdf-link').props.href).toEqual({ url: 'https://api.apiup.app/files/pdf?token=t1', external: true });
    const [call] = backend.sent;
    expect(call).toMatchObject({ method: 'GET', path: invoicePath, query: { locale: 'en' } });
    expect(backend.spy.mock.calls[0][0]).toContain(API_ORIGIN);
  });

  it("offers the e-invoice XML next to the PDF where an e-invoice was made, in the user's language", async () => {
    const xmlUrl = 'https://api.apiup.app/files/invoices/24681357/123.xml?expires=1&signature=s1';
    stubBackend({ [`GET ${invoicePath}`]: { body: makeDealInvoice({}, makeInvoice({ eInvoiceXmlUrl: xmlUrl })) } });
    const { findByTestId, waitFor } = renderCard('de-de');
    await waitFor(() => expect(findByTestId(Link, 'einvoice-xml-link').text).toBe('E-Rechnung herunterladen (XML)'));
    expect(findByTestId(Link, 'einvoice-xml-link').props.href).toEqual({ url: xmlUrl, external: true });
    expect(findByTestId(Link, 'pdf-link').text).toBe('PDF herunterladen');
  });

  it('offers no XML link for an invoice without a separate e-invoice XML', async () => {
    stubBackend({ [`GET ${invoicePath}`]: { body: makeDealInvoice({}, makeInvoice({ eInvoiceXmlUrl: null })) } });
    const { findByTestId, maybeFind, waitFor } = renderCard();
    await waitFor(() => expect(findByTestId(Link, 'pdf-link').text).toBe('Download PDF'));
    expect(maybeFind(Link, { testId: 'einvoice-xml-link' })).toBeNull();
  });

  it('renders German texts and formats for a German HubSpot user', async () => {
    const backend = stubBackend({ [`GET ${invoicePath}`]: { body: makeDealInvoice({}, makeInvoice({ status: 'paid', paidDate: '2026-04-10' })) } });
    const { findByTestId, waitFor } = renderCard('de-de');
    await waitFor(() => expect(findByTestId(StatusTag, 'invoice-status').text).toBe('Bezahlt'));
    expect(findByTestId(Text, 'invoice-amount').text).toBe('1.190,00 EUR');
    expect(findByTestId(Text, 'invoice-paid').text).toBe('10.04.2026');
    expect(findByTestId(Button, 'open-vendor').text).toBe('In Lexware Office öffnen');
    expect(backend.sent[0].query.locale).toBe('de');
  });

  it('shows the reason of a skipped invoice and offers retry', async () => {
    stubBackend({ [`GET ${invoicePath}`]: { body: makeDealInvoice({}, skippedInvoice) } });
    const { findByTestId, waitFor } = renderCard();
    await waitFor(() => expect(findByTestId(StatusTag, 'invoice-status').text).toBe('Skipped'));
    expect(findByTestId(Text, 'invoice-reason').text).toBe('Condition not met: currency is USD, EUR is required.');
    expect(findByTestId(LoadingButton, 'retry').text).toBe('Retry');
  });

  it('sends POST …/invoice/retry when "retry" is clicked on a failed invoice, then reloads', async () => {
    let reads = 0;
    const backend = stubBackend({
      [`GET ${invoicePath}`]: () => ({ body: makeDealInvoice({}, reads++ === 0 ? failedInvoice : makeInvoice({ status: 'creating' })) }),
      [`POST ${invoicePath}/retry`]: accepted,
    });
    const { findByTestId, waitFor, mocks } = renderCard();
    await waitFor(() => expect(findByTestId(Text, 'invoice-reason').text).toContain('contact name missing'));
    findByTestId(LoadingButton, 'retry').trigger('onClick');
    await waitFor(() => expect(findByTestId(StatusTag, 'invoice-status').text).toBe('Being created'));
    expect(backend.calls('POST', `${invoicePath}/retry`)).toEqual([{ method: 'POST', path: `${invoicePath}/retry`, query: { locale: 'en' }, body: {} }]);
    expect(mocks.actions.addAlert.calls[0][0]).toMatchObject({ type: 'success', message: 'Retry queued.' });
  });

  it('offers to cancel the invoice of a lost deal, sends POST …/invoice/cancel and shows the cancellation number after reload', async () => {
    let reads = 0;
    const lostAfterInvoice = makeInvoice({
      status: 'needs_attention',
      provider: 'sevdesk',
      providerLabel: 'sevDesk',
      canCancel: true,
      reason: { code: 'left_won_after_invoice', retryable: false, message: 'Deal wurde nach der Rechnungsstellung aus „gewonnen“ verschoben.' },
    });
    const cancelled = makeInvoice({
      status: 'cancelled',
      provider: 'sevdesk',
      providerLabel: 'sevDesk',
      canCancel: false,
      cancellation: { kind: 'cancellation_invoice', number: 'RE-1043', cancelledAt: 1_774_915_300_000 },
    });
    const backend = stubBackend({
      [`GET ${invoicePath}`]: () => ({ body: makeDealInvoice({}, reads++ === 0 ? lostAfterInvoice : cancelled) }),
      [`POST ${invoicePath}/cancel`]: accepted,
    });
    const { findByTestId, maybeFindByTestId, waitFor, mocks } = renderCard('de-de');
    await waitFor(() => expect(findByTestId(LoadingButton, 'cancel-invoice').text).toBe('Rechnung stornieren'));
    findByTestId(LoadingButton, 'cancel-invoice').trigger('onClick');
    await waitFor(() => expect(findByTestId(StatusTag, 'invoice-status').text).toBe('Storniert'));
    expect(findByTestId(Text, 'invoice-cancellation').text).toBe('RE-1043');
    expect(maybeFindByTestId(LoadingButton, 'cancel-invoice')).toBeNull();
    expect(backend.calls('POST', `${invoicePath}/cancel`)).toEqual([{ method: 'POST', path: `${invoicePath}/cancel`, query: { locale: 'de' }, body: {} }]);
    expect(mocks.actions.addAlert.calls[0][0]).toMatchObject({
      type: 'success',
      message: 'Storno eingeplant; die Nummer der Gutschrift wird am Deal eingetragen.',
    });
  });

  it('offers no cancel where the vendor cannot cancel through its API', async () => {
    stubBackend({
      [`GET ${invoicePath}`]: {
        body: makeDealInvoice(
          {},
          makeInvoice({
            status: 'needs_attention',
            canCancel: false,
            reason: { code: 'left_won_after_invoice', retryable: false, message: 'The deal left the won stage.' },
          }),
        ),
      },
    });
    const { findByTestId, maybeFindByTestId, waitFor } = renderCard();
    await waitFor(() => findByTestId(Text, 'invoice-reason'));
    expect(maybeFindByTestId(LoadingButton, 'cancel-invoice')).toBeNull();
  });

  it('offers the invoice from a created quotation and shows the quotation an invoice came from', async () => {
    let reads = 0;
    const quotation = makeInvoice({ kind: 'quotation', number: 'AN-4711-815' });
    const invoice = makeInvoice({ kind: 'invoice', number: 'RE-1044', quotation: { number: 'AN-4711-815' } });
    const backend = stubBackend({
      [`GET ${invoicePath}`]: () => ({ body: makeDealInvoice({}, reads++ === 0 ? quotation : invoice) }),
      [`POST ${invoicePath}`]: accepted,
    });
    const { findByTestId, waitFor } = renderCard();
    await waitFor(() => expect(findByTestId(LoadingButton, 'invoice-from-quotation').text).toBe('Create invoice from quotation'));
    findByTestId(LoadingButton, 'invoice-from-quotation').trigger('onClick');
    await waitFor(() => expect(findByTestId(Text, 'invoice-quotation').text).toBe('AN-4711-815'));
    expect(findByTestId(Text, 'invoice-number').text).toBe('RE-1044');
    expect(backend.calls('POST', invoicePath)).toHaveLength(1);
  });

  it('offers no retry for a created invoice', async () => {
    stubBackend({ [`GET ${invoicePath}`]: { body: makeDealInvoice() } });
    const { findByTestId, maybeFindByTestId, waitFor } = renderCard();
    await waitFor(() => findByTestId(StatusTag, 'invoice-status'));
    expect(maybeFindByTestId(LoadingButton, 'retry')).toBeNull();
  });

  it('previews customer, lines with tax, totals and conditions before any run exists', async () => {
    stubBackend({ [`GET ${invoicePath}`]: notFound, [`GET ${invoicePath}/preview`]: { body: makePreview() } });
    const { findByTestId, find, waitFor } = renderCard();
    await waitFor(() => expect(findByTestId(Text, 'preview-customer').text).toBe('Beispiel AG (will be created)'));
    expect(allText(find(Table))).toContain('Beratung');
    expect(allText(find(Table))).toContain('19 %');
    expect(allText(find(Table))).toContain('1,000.00 EUR');
    expect(findByTestId(Text, 'preview-gross').text).toBe('1,243.50 EUR');
    expect(findByTestId(StatusTag, 'condition-condition_currency').text).toBe('met');
    expect(findByTestId(StatusTag, 'condition-condition_quote_required').text).toBe('not met');
    expect(findByTestId(Text, 'preview-skip').text).toContain('no associated quote');
  });

  it('shows how the draft is fitted to the accounting system and what cannot be sent', async () => {
    const notices = [
      {
        code: 'title_moved_to_introduction',
        blocking: false,
        message: 'The title is longer than 25 characters, so it is given in full at the start of the introduction.',
      },
      {
        code: 'field_too_long',
        blocking: true,
        message: "Company name has 312 characters, more than the accounting system takes (255 at most). Please shorten it in HubSpot or in the app's texts.",
      },
    ];
    const skip = { code: 'field_too_long', message: notices[1].message };
    stubBackend({ [`GET ${invoicePath}`]: notFound, [`GET ${invoicePath}/preview`]: { body: makePreview({ notices, skip, conditions: [] }) } });
    const { findByTestId, waitFor } = renderCard();
    await waitFor(() => expect(findByTestId(StatusTag, 'notice-title_moved_to_introduction').text).toBe('adjusted'));
    expect(findByTestId(StatusTag, 'notice-field_too_long').text).toBe('cannot be sent');
    expect(findByTestId(Text, 'preview-skip').text).toContain('Company name has 312 characters');
  });

  it("says which reading of an unsettled rounding rule the totals use and that the vendor's totals are compared", async () => {
    const notices = [
      {
        code: 'rounding_reading',
        blocking: false,
        message:
          'Rundungsregel SV-R3: MwSt. je Stück auf Cent gerundet, dann mal Menge (in den Einstellungen gewählt). Die Buchhaltung dokumentiert diese Regel nicht eindeutig; nach dem Anlegen liest APIUP ihre Summen zurück, vergleicht sie mit dieser Vorschau und zeigt jede Abweichung als Warnung.',
      },
    ];
    stubBackend({ [`GET ${invoicePath}`]: notFound, [`GET ${invoicePath}/preview`]: { body: makePreview({ notices, conditions: [], skip: null }) } });
    const { findByTestId, findAll, waitFor } = renderCard('de-de');
    await waitFor(() => expect(findByTestId(StatusTag, 'notice-rounding_reading').text).toBe('Rundung'));
    const texts = findAll(Text).map((node) => allText(node));
    expect(texts).toContainEqual(expect.stringContaining('MwSt. je Stück auf Cent gerundet, dann mal Menge (in den Einstellungen gewählt)'));
    expect(texts).toContainEqual(expect.stringContaining('liest APIUP ihre Summen zurück'));
  });

  it('marks each line on the default tax rate, and says when prices include VAT', async () => {
    const lines = [
      { name: 'Backstubenplanung Hölzl Süd', quantity: '1', unitPrice: '250', taxRatePercent: '19', net: '250.00', taxRateSource: 'hubspot' },
      { name: 'Entkalkung Dampfbackofen (ohne Steuersatz)', quantity: '1', unitPrice: '80', taxRatePercent: '19', net: '80.00', taxRateSource: 'default' },
    ];
    stubBackend({
      [`GET ${invoicePath}`]: notFound,
      [`GET ${invoicePath}/preview`]: { body: makePreview({ lines, priceBasis: 'gross', conditions: [], skip: null }) },
    });
    const { findByTestId, maybeFindByTestId, find, waitFor } = renderCard('de-de');
    await waitFor(() => expect(findByTestId(Text, 'line-tax-default-1').text).toBe('19 % (Standardsatz)'));
    expect(maybeFindByTestId(Text, 'line-tax-default-0')).toBeNull();
    expect(allText(find(Table))).toContain('Brutto');
    expect(findByTestId(Text, 'preview-gross-prices').text).toBe('Preise enthalten die Umsatzsteuer.');
  });

  it('warns on a created invoice whose vendor totals differ from the prediction', async () => {
    const message =
      'The accounting system computed other totals than predicted: gross 11.90 instead of 14.88 EUR (net 10.00 instead of 12.50, tax 1.90 instead of 2.38). Please check the invoice in the accounting system.';
    stubBackend({ [`GET ${invoicePath}`]: { body: makeDealInvoice({}, makeInvoice({ warnings: [{ code: 'totals_differ', message }] })) } });
    const { findByTestId, waitFor } = renderCard();
    await waitFor(() => expect(findByTestId(Alert, 'invoice-warning-totals_differ').props.variant).toBe('warning'));
    expect(allText(findByTestId(Alert, 'invoice-warning-totals_differ'))).toContain('gross 11.90 instead of 14.88 EUR');
  });

  it('says nothing about fitting when the draft fits as it is', async () => {
    stubBackend({ [`GET ${invoicePath}`]: notFound, [`GET ${invoicePath}/preview`]: { body: makePreview() } });
    const { findByTestId, maybeFindByTestId, waitFor } = renderCard();
    await waitFor(() => findByTestId(Text, 'preview-customer'));
    expect(maybeFindByTestId(StatusTag, 'notice-field_too_long')).toBeNull();
    expect(maybeFindByTestId(StatusTag, 'notice-title_moved_to_introduction')).toBeNull();
  });

  it('sends POST …/invoice when "create invoice now" is clicked', async () => {
    let created = false;
    const backend = stubBackend({
      [`GET ${invoicePath}`]: () => (created ? { body: makeDealInvoice({}, makeInvoice({ status: 'creating' })) } : notFound),
      [`GET ${invoicePath}/preview`]: { body: makePreview({ skip: null }) },
      [`POST ${invoicePath}`]: () => {
        created = true;
        return accepted;
      },
    });
    const { findByTestId, waitFor, mocks } = renderCard();
    await waitFor(() => findByTestId(LoadingButton, 'create-now'));
    expect(findByTestId(LoadingButton, 'create-now').text).toBe('Create invoice now');
    findByTestId(LoadingButton, 'create-now').trigger('onClick');
    await waitFor(() => expect(findByTestId(StatusTag, 'invoice-status').text).toBe('Being created'));
    expect(backend.calls('POST', invoicePath)).toEqual([{ method: 'POST', path: invoicePath, query: { locale: 'en' }, body: {} }]);
    expect(mocks.actions.addAlert.calls[0][0]).toMatchObject({ type: 'success', message: 'Invoice creation queued.' });
  });

  it('asks for re-authorisation when HubSpot tokens are gone', async () => {
    stubBackend({ [`GET ${invoicePath}`]: { body: makeDealInvoice({ portal: { status: 'needs_reauth' } }) } });
    const { findByTestId, waitFor } = renderCard();
    await waitFor(() => expect(findByTestId(Alert, 'notice-reauth').props.title).toBe('HubSpot connection expired'));
    expect(findByTestId(Alert, 'notice-reauth').find(Button).props.href).toEqual({ url: `${API_ORIGIN}/oauth/install`, external: true });
  });

  it('says the trial has ended when no package unlocks invoicing', async () => {
    const planSkip = makeInvoice({
      status: 'skipped',
      reason: { code: 'plan_required', retryable: false, message: 'Invoicing needs a package that includes it.' },
    });
    stubBackend({ [`GET ${invoicePath}`]: { body: makeDealInvoice({ features: noFeatures }, planSkip) } });
    const { findByTestId, waitFor } = renderCard('de');
    await waitFor(() => expect(findByTestId(Alert, 'notice-plan').props.title).toBe('Kein aktives Paket'));
    expect(allText(findByTestId(Alert, 'notice-plan'))).toContain('Testphase ist abgelaufen');
  });

  it('links every notice that needs a setting to the APIUP settings page of this account', async () => {
    const noneAtAll = makeInvoice({
      status: 'skipped',
      reason: { code: 'plan_required', retryable: false, message: 'Invoicing needs a package that includes it.' },
    });
    stubBackend({ [`GET ${invoicePath}`]: { body: makeDealInvoice({ features: noFeatures, connection: null }, noneAtAll) } });
    const { findByTestId, waitFor } = renderCard('de');
    await waitFor(() => findByTestId(Alert, 'notice-plan'));
    for (const id of ['notice-plan-settings', 'notice-connection-settings', 'invoice-reason-settings']) {
      expect(findByTestId(Link, id).props.href, id).toBe(settingsPage);
      expect(findByTestId(Link, id).text).toBe('APIUP-Einstellungen öffnen');
    }
  });

  it('links a skip the settings cause (no line items) to the settings page, and a vendor refusal not', async () => {
    const noLines = makeInvoice({
      status: 'skipped',
      reason: { code: 'no_line_items', retryable: false, message: 'The deal has no line items; the settings skip such deals.' },
    });
    stubBackend({ [`GET ${invoicePath}`]: { body: makeDealInvoice({}, noLines) } });
    const first = renderCard();
    await first.waitFor(() => expect(first.findByTestId(Link, 'invoice-reason-settings').props.href).toBe(settingsPage));

    const refused = makeInvoice({
      status: 'failed',
      reason: { code: 'vendor_failed', retryable: false, message: 'The accounting system rejected the request: Kundennummer vergeben' },
    });
    stubBackend({ [`GET ${invoicePath}`]: { body: makeDealInvoice({}, refused) } });
    const second = renderCard();
    await second.waitFor(() => expect(second.findByTestId(Text, 'invoice-reason').text).toContain('Kundennummer vergeben'));
    expect(second.maybeFindByTestId(Link, 'invoice-reason-settings')).toBeNull();
  });

  it("links the preview's connection notice to the Connected apps list when HubSpot gives no app id", async () => {
    stubBackend({
      [`GET ${invoicePath}`]: notFound,
      [`GET ${invoicePath}/preview`]: {
        body: makePreview({ totals: null, conditions: [], skip: { code: 'no_accounting_connection', message: 'No accounting system is connected.' } }),
      },
    });
    const { findByTestId, waitFor } = renderCard('en-us', null);
    await waitFor(() =>
      expect(findByTestId(Link, 'notice-connection-settings').props.href).toBe('https://app.hubspot.com/integrations-settings/123/installed'),
    );
  });

  it('shows the plan notice in the preview when the trial has ended', async () => {
    stubBackend({
      [`GET ${invoicePath}`]: notFound,
      [`GET ${invoicePath}/preview`]: { body: makePreview({ totals: null, conditions: [], skip: { code: 'plan_required', message: 'needs a package' } }) },
    });
    const { findByTestId, waitFor } = renderCard();
    await waitFor(() => findByTestId(Alert, 'notice-plan'));
  });

  it('shows the error and reloads on request when the backend fails', async () => {
    let fail = true;
    stubBackend({
      [`GET ${invoicePath}`]: () =>
        fail ? { status: 500, body: { error: { code: 'internal', message: 'Something went wrong on our side.' } } } : { body: makeDealInvoice() },
    });
    const { find, findByTestId, waitFor } = renderCard();
    await waitFor(() => expect(allText(find(ErrorState))).toContain('Something went wrong on our side.'));
    fail = false;
    find(ErrorState).find(Button).trigger('onClick');
    await waitFor(() => expect(findByTestId(StatusTag, 'invoice-status').text).toBe('Created'));
  });

  it('treats an answer of the wrong shape as an error instead of rendering it', async () => {
    stubBackend({ [`GET ${invoicePath}`]: { body: { dealId: 123 } } });
    const { find, waitFor } = renderCard();
    await waitFor(() => expect(allText(find(ErrorState))).toContain('$.dealId: expected a string'));
  });

  it('polls a running job with growing pauses until it ends, then has HubSpot re-read the deal', async () => {
    const running = (attempts: number) =>
      makeDealInvoice({ job: { state: 'running', attempts, lastError: null } }, makeInvoice({ status: 'creating', number: null }));
    const answers = [
      running(1),
      running(1),
      makeDealInvoice({ job: { state: 'retrying', attempts: 2, lastError: null } }, makeInvoice({ status: 'creating', number: null })),
      makeDealInvoice(),
    ];
    const readAt: number[] = [];
    stubBackend({
      [`GET ${invoicePath}`]: () => {
        readAt.push(performance.now());
        return { body: answers[Math.min(readAt.length - 1, answers.length - 1)] };
      },
    });
    const { findByTestId, waitFor, mocks } = renderCard();
    await waitFor(() => expect(findByTestId(Text, 'invoice-job').text).toBe('Working on it (attempt 1)…'));
    expect(mocks.actions.refreshObjectProperties.callCount).toBe(0);
    await waitFor(() => expect(findByTestId(StatusTag, 'invoice-status').text).toBe('Created'), { timeoutInMs: 2_000 });
    expect(findByTestId(Text, 'invoice-number').text).toBe('RE-2026-0042');
    expect(readAt).toHaveLength(4);
    const pauses = readAt.slice(1).map((at, i) => at - readAt[i]);
    pauses.forEach((pause, i) => expect(pause).toBeGreaterThanOrEqual(pollDelaysMs[i] - 1));
    // The renderer's waitFor re-checks only when the UI changes; asking HubSpot to re-read changes none.
    await vi.waitFor(() => expect(mocks.actions.refreshObjectProperties.callCount).toBe(1));
    await new Promise((r) => setTimeout(r, 60));
    expect(readAt).toHaveLength(4);
    expect(mocks.actions.refreshObjectProperties.callCount).toBe(1);
  });

  it('keeps the last state on screen when one poll fails, and polls on', async () => {
    let reads = 0;
    stubBackend({
      [`GET ${invoicePath}`]: () => {
        reads++;
        if (reads === 2) return { status: 503, body: { error: { code: 'unavailable', message: 'Try again later.' } } };
        return { body: reads < 3 ? makeDealInvoice({ job: { state: 'queued', attempts: 0, lastError: null } }, null) : makeDealInvoice() };
      },
    });
    const { findByTestId, maybeFind, waitFor } = renderCard();
    await waitFor(() => expect(findByTestId(Text, 'invoice-job').text).toBe('Working on it (attempt 0)…'));
    await waitFor(() => expect(findByTestId(StatusTag, 'invoice-status').text).toBe('Created'), { timeoutInMs: 2_000 });
    expect(reads).toBe(3);
    expect(maybeFind(ErrorState)).toBeNull();
  });

  it('does not poll and does not touch the record when the job has already ended', async () => {
    const backend = stubBackend({ [`GET ${invoicePath}`]: { body: makeDealInvoice() } });
    const { findByTestId, waitFor, mocks } = renderCard();
    await waitFor(() => findByTestId(StatusTag, 'invoice-status'));
    await new Promise((r) => setTimeout(r, 60));
    expect(backend.calls('GET', invoicePath)).toHaveLength(1);
    expect(mocks.actions.refreshObjectProperties.callCount).toBe(0);
  });

  it('reads the invoice again without a spinner when the deal stage changes in HubSpot', async () => {
    let stage = 'appointmentscheduled';
    const backend = stubBackend({
      [`GET ${invoicePath}`]: () => ({ body: stage === 'closedwon' ? makeDealInvoice() : makeDealInvoice({}, skippedInvoice) }),
    });
    const { findByTestId, maybeFind, waitFor, mocks } = renderCard();
    await waitFor(() => expect(findByTestId(StatusTag, 'invoice-status').text).toBe('Skipped'));
    const [properties, onUpdate] = mocks.actions.onCrmPropertiesUpdate.calls[0];
    expect(properties).toContain('dealstage');
    stage = 'closedwon';
    onUpdate({ dealstage: 'closedwon' });
    expect(maybeFind(LoadingSpinner)).toBeNull();
    await waitFor(() => expect(findByTestId(StatusTag, 'invoice-status').text).toBe('Created'));
    expect(backend.calls('GET', invoicePath)).toHaveLength(2);
  });

  it('reads the preview again when the deal stage changes before any run exists', async () => {
    let reads = 0;
    stubBackend({
      [`GET ${invoicePath}`]: notFound,
      [`GET ${invoicePath}/preview`]: () => ({ body: reads++ === 0 ? makePreview() : makePreview({ skip: null, conditions: [] }) }),
    });
    const { findByTestId, maybeFindByTestId, waitFor, mocks } = renderCard();
    await waitFor(() => findByTestId(Text, 'preview-skip'));
    mocks.actions.onCrmPropertiesUpdate.calls[0][1]({ dealstage: 'closedwon' });
    await waitFor(() => expect(maybeFindByTestId(Text, 'preview-skip')).toBeNull());
  });

  it('ignores a property update that HubSpot reports as failed', async () => {
    const backend = stubBackend({ [`GET ${invoicePath}`]: { body: makeDealInvoice() } });
    const { findByTestId, waitFor, mocks } = renderCard();
    await waitFor(() => findByTestId(StatusTag, 'invoice-status'));
    mocks.actions.onCrmPropertiesUpdate.calls[0][1]({}, { message: 'could not load properties' });
    await new Promise((r) => setTimeout(r, 20));
    expect(backend.calls('GET', invoicePath)).toHaveLength(1);
  });

  it.each([
    ['plan_required', 'Not available: no package with invoicing is active.'],
    ['no_accounting_connection', 'Not available: no accounting system is connected.'],
  ])('disables "create invoice now" and says why when the preview skips with %s', async (code, reason) => {
    const backend = stubBackend({
      [`GET ${invoicePath}`]: notFound,
      [`GET ${invoicePath}/preview`]: { body: makePreview({ totals: null, conditions: [], skip: { code, message: 'skipped' } }) },
    });
    const { findByTestId, waitFor } = renderCard();
    await waitFor(() => expect(findByTestId(LoadingButton, 'create-now').props.disabled).toBe(true));
    expect(findByTestId(Text, 'create-now-blocked').text).toBe(reason);
    findByTestId(LoadingButton, 'create-now').trigger('onClick');
    expect(backend.calls('POST', invoicePath)).toHaveLength(0);
  });

  it('says in German why "create invoice now" is disabled', async () => {
    stubBackend({
      [`GET ${invoicePath}`]: notFound,
      [`GET ${invoicePath}/preview`]: {
        body: makePreview({ totals: null, conditions: [], skip: { code: 'no_accounting_connection', message: 'keine Buchhaltung' } }),
      },
    });
    const { findByTestId, waitFor } = renderCard('de-de');
    await waitFor(() => expect(findByTestId(Text, 'create-now-blocked').text).toBe('Nicht möglich: Keine Buchhaltung ist verbunden.'));
  });

  it('keeps "create invoice now" enabled when the preview only reports a failed condition', async () => {
    stubBackend({ [`GET ${invoicePath}`]: notFound, [`GET ${invoicePath}/preview`]: { body: makePreview() } });
    const { findByTestId, maybeFindByTestId, waitFor } = renderCard();
    await waitFor(() => findByTestId(LoadingButton, 'create-now'));
    expect(findByTestId(LoadingButton, 'create-now').props.disabled).toBe(false);
    expect(maybeFindByTestId(Text, 'create-now-blocked')).toBeNull();
  });

  it.each([
    ['hubspot_not_connected', 'notice-connect', 'APIUP is not connected to this HubSpot account', 'Connect'],
    ['hubspot_needs_reauth', 'notice-reauth', 'HubSpot connection expired', 'Re-authorise'],
  ])('offers the install link instead of an error when the preview answers %s', async (code, testId, title, action) => {
    stubBackend({
      [`GET ${invoicePath}`]: notFound,
      [`GET ${invoicePath}/preview`]: { status: 403, body: { error: { code, message: 'HubSpot connection missing' } } },
    });
    const { findByTestId, maybeFind, waitFor } = renderCard();
    await waitFor(() => expect(findByTestId(Alert, testId).props.title).toBe(title));
    expect(findByTestId(Alert, testId).find(Button).text).toBe(action);
    expect(findByTestId(Alert, testId).find(Button).props.href).toEqual({ url: `${API_ORIGIN}/oauth/install`, external: true });
    expect(maybeFind(ErrorState)).toBeNull();
  });

  it('offers "connect" beside a kept invoice when the portal was disconnected, in German', async () => {
    stubBackend({ [`GET ${invoicePath}`]: { body: makeDealInvoice({ portal: { status: 'not_connected' } }) } });
    const { findByTestId, waitFor } = renderCard('de-de');
    await waitFor(() => expect(findByTestId(Alert, 'notice-connect').props.title).toBe('APIUP ist mit diesem HubSpot-Account nicht verbunden'));
    expect(findByTestId(Alert, 'notice-connect').find(Button).text).toBe('Verbinden');
    expect(findByTestId(StatusTag, 'invoice-status').text).toBe('Erstellt');
  });

  it("says whether the deal's stage creates the document by itself, and names a quote on the button", async () => {
    stubBackend({
      [`GET ${invoicePath}`]: notFound,
      [`GET ${invoicePath}/preview`]: { body: makePreview({ skip: null, conditions: [], document: { kind: 'quotation', triggeredByStage: false } }) },
    });
    const { findByTestId, waitFor } = renderCard();
    await waitFor(() => expect(findByTestId(Text, 'preview-trigger').text).toBe('Its current stage creates nothing by itself; "create now" makes a quote.'));
    expect(findByTestId(LoadingButton, 'create-now').text).toBe('Create quote now');
  });

  it('says in German that the stage creates the invoice by itself', async () => {
    stubBackend({ [`GET ${invoicePath}`]: notFound, [`GET ${invoicePath}/preview`]: { body: makePreview() } });
    const { findByTestId, waitFor } = renderCard('de-de');
    await waitFor(() => expect(findByTestId(Text, 'preview-trigger').text).toBe('In der aktuellen Phase erstellt dieser Deal die Rechnung von selbst.'));
    expect(findByTestId(LoadingButton, 'create-now').text).toBe('Rechnung jetzt erstellen');
  });

  it("does not take a reload's spinner for the end of a running job", async () => {
    // A failed invoice whose job is still retrying: "retry" is offered, and clicking it reloads the card.
    const retrying = makeDealInvoice(
      { job: { state: 'retrying', attempts: 3, lastError: { code: 'vendor_unavailable', message: 'lexoffice answered 503' } } },
      failedInvoice,
    );
    stubBackend({ [`GET ${invoicePath}`]: { body: retrying }, [`POST ${invoicePath}/retry`]: { status: 202, body: { jobId: 7, alreadyQueued: true } } });
    const { findByTestId, waitFor, mocks } = renderCard();
    await waitFor(() => findByTestId(LoadingButton, 'retry'));
    findByTestId(LoadingButton, 'retry').trigger('onClick');
    await vi.waitFor(() => expect(mocks.actions.addAlert.callCount).toBe(1));
    await new Promise((r) => setTimeout(r, 30));
    expect(findByTestId(StatusTag, 'invoice-status').text).toBe('Failed');
    expect(mocks.actions.refreshObjectProperties.callCount).toBe(0);
  });
});
