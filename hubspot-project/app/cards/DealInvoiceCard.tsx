/**
 * Deal sidebar card: the invoice of this deal in the accounting system (status, number, date,
 * amount, payment, links), the reason and "retry" when skipped or failed, "cancel invoice" when the
 * deal left the won stage after invoicing and the vendor can cancel, "create invoice from quotation"
 * once a quotation exists, and before anything exists a preview with "create invoice now". While the
 * job runs the card polls it (with back-off, lib/use-polling.ts) and, when it ends, asks HubSpot to
 * re-read the deal's properties, which the job has written back. A stage change made while the record
 * is open reloads the card.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { EmptyState, LoadingSpinner, Flex, Text, hubspot, useExtensionActions, useExtensionContext } from '@hubspot/ui-extensions';
import { createCardApi, isJobLive, type CardApi, type DealInvoice, type InvoiceView } from './lib/api';
import { translator, type Translate } from './lib/i18n';
import { apiOrigin, langOf, type Lang } from '@apiup/ui-shared/origin';
import { settingsPageUrl } from './lib/settings-link';
import { useAction, useRemote } from '@apiup/ui-shared/use-remote';
import { defaultPollDelaysMs, useFinished, usePolling } from './lib/use-polling';
import type { ApiError } from '@apiup/ui-shared/http';
import { LoadFailed } from './components/load-failed';
import { InvoicePreviewPanel } from './components/invoice-preview';
import { InvoiceStatus } from './components/invoice-status';
import { ConnectNotice, ConnectionNotice, PlanNotice, ReauthNotice, hubspotConnectionNotice } from './components/notices';

hubspot.extend<'crm.record.sidebar'>(() => <DealInvoiceCard />);

/** Deal properties whose change can change the run or the preview (stage trigger, pipeline, amount). */
const watchedProperties = ['dealstage', 'pipeline', 'amount', 'deal_currency_code'];

/** `pollDelaysMs` is the back-off of the job polling; tests shorten it, HubSpot renders the default. */
export function DealInvoiceCard({ pollDelaysMs = defaultPollDelaysMs }: { pollDelaysMs?: readonly number[] } = {}) {
  const context = useExtensionContext<'crm.record.sidebar'>();
  const { addAlert, refreshObjectProperties, onCrmPropertiesUpdate } = useExtensionActions<'crm.record.sidebar'>();
  const lang = langOf(context);
  const t = useMemo(() => translator(lang), [lang]);
  const origin = apiOrigin(context);
  const api = useMemo(() => createCardApi(origin, lang), [origin, lang]);
  const dealId = String(context.crm.objectId);
  const settingsUrl = settingsPageUrl(context);
  const { screen, reload, refresh } = useRemote(() => api.dealInvoice(dealId), [api, dealId]);
  const action = useAction();
  const [propertiesVersion, setPropertiesVersion] = useState(0);

  // Unknown while loading: a reload's spinner is not the end of a job.
  const isLive = screen.state === 'ready' ? screen.data !== null && isJobLive(screen.data.job) : undefined;
  usePolling(screen, isLive === true, refresh, pollDelaysMs);
  // The job writes the invoice number and status back to the deal; HubSpot's own property panels show them only after this.
  useFinished(
    isLive,
    useCallback(() => refreshObjectProperties(), [refreshObjectProperties]),
  );
  useEffect(() => {
    // @hubspot/ui-extensions 0.17.0 offers no way to unsubscribe; the card lives as long as the record page.
    onCrmPropertiesUpdate(watchedProperties, (_properties, error) => {
      if (error) return;
      refresh();
      setPropertiesVersion((v) => v + 1);
    });
  }, [onCrmPropertiesUpdate, refresh]);

  const enqueue = async (call: () => Promise<{ alreadyQueued?: boolean }>, doneKey: 'deal.retry.sent' | 'deal.createNow.sent' | 'deal.cancel.sent') => {
    const result = await action.run(call);
    if (isError(result)) return addAlert({ type: 'danger', title: t('common.failed'), message: result.message });
    addAlert({ type: 'success', message: t(result.alreadyQueued ? 'deal.createNow.already' : doneKey) });
    reload();
  };

  if (screen.state === 'loading') return <LoadingSpinner label={t('common.loading')} layout="centered" />;
  if (screen.state === 'error') return <LoadFailed t={t} error={screen.error} onReload={reload} />;
  const data = screen.data;
  if (!data)
    return (
      <PreviewSection
        api={api}
        dealId={dealId}
        origin={origin}
        settingsUrl={settingsUrl}
        version={propertiesVersion}
        t={t}
        lang={lang}
        busy={action.busy}
        onCreate={() => enqueue(() => api.createInvoice(dealId), 'deal.createNow.sent')}
      />
    );
  return (
    <Flex direction="column" gap="sm">
      {data.portal.status === 'needs_reauth' && <ReauthNotice t={t} origin={origin} />}
      {data.portal.status === 'not_connected' && <ConnectNotice t={t} origin={origin} />}
      {!data.features.invoicing && <PlanNotice t={t} body="notice.plan.body" settingsUrl={settingsUrl} />}
      {!data.connection && <ConnectionNotice t={t} settingsUrl={settingsUrl} />}
      {hasInvoice(data) ? (
        <InvoiceStatus
          data={data}
          t={t}
          lang={lang}
          settingsUrl={settingsUrl}
          busy={action.busy}
          onRetry={() => enqueue(() => api.retryInvoice(dealId), 'deal.retry.sent')}
          onCancel={() => enqueue(() => api.cancelInvoice(dealId), 'deal.cancel.sent')}
          onInvoiceFromQuotation={() => enqueue(() => api.createInvoice(dealId), 'deal.createNow.sent')}
        />
      ) : (
        <EmptyState title={t('deal.status.pending')} layout="vertical" imageName="deals">
          <Text testId="invoice-job">{t('deal.job.running', { attempts: data.job?.attempts ?? 0 })}</Text>
        </EmptyState>
      )}
    </Flex>
  );
}

interface PreviewProps {
  api: CardApi;
  dealId: string;
  origin: string;
  settingsUrl: string;
  /** Changes when a watched deal property changed in HubSpot: the preview is read again. */
  version: number;
  t: Translate;
  lang: Lang;
  busy: boolean;
  onCreate: () => void;
}

function PreviewSection({ api, dealId, origin, settingsUrl, version, t, lang, busy, onCreate }: PreviewProps) {
  const { screen, reload, refresh } = useRemote(() => api.invoicePreview(dealId), [api, dealId]);
  useEffect(() => {
    if (version > 0) refresh();
  }, [version, refresh]);
  if (screen.state === 'loading') return <LoadingSpinner label={t('common.loading')} layout="centered" />;
  if (screen.state === 'error') return hubspotConnectionNotice(screen.error.code, t, origin) ?? <LoadFailed t={t} error={screen.error} onReload={reload} />;
  const preview = screen.data;
  return (
    <Flex direction="column" gap="sm">
      {preview.skip?.code === 'plan_required' && <PlanNotice t={t} body="notice.plan.body" settingsUrl={settingsUrl} />}
      {preview.skip?.code === 'no_accounting_connection' && <ConnectionNotice t={t} settingsUrl={settingsUrl} />}
      <InvoicePreviewPanel preview={preview} t={t} lang={lang} settingsUrl={settingsUrl} busy={busy} onCreate={onCreate} />
    </Flex>
  );
}

function hasInvoice(data: DealInvoice): data is DealInvoice & { invoice: InvoiceView } {
  return data.invoice !== null;
}

function isError(value: unknown): value is ApiError {
  return value instanceof Error;
}
