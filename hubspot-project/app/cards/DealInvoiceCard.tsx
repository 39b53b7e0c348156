/**
 * Deal sidebar card: the invoice of this deal in the accounting system (status, number, date,
 * amount, payment, links), the reason and "retry" when skipped or failed, "cancel invoice" when the
 * deal left the won stage after invoicing and the vendor can cancel, "create invoice from quotation"
 * once a quotation exists, and before anything exists a preview with "create invoice now".
 */
import { useMemo } from 'react';
import { EmptyState, LoadingSpinner, Flex, Text, hubspot, useExtensionActions, useExtensionContext } from '@hubspot/ui-extensions';
import { createCardApi, type CardApi, type DealInvoice, type InvoiceView } from './lib/api';
import { translator, type Translate } from './lib/i18n';
import { apiOrigin, langOf, type Lang } from './lib/origin';
import { useAction, useRemote } from './lib/use-remote';
import type { ApiError } from './lib/http';
import { LoadFailed } from './components/load-failed';
import { InvoicePreviewPanel } from './components/invoice-preview';
import { InvoiceStatus } from './components/invoice-status';
import { ConnectionNotice, PlanNotice, ReauthNotice } from './components/notices';

hubspot.extend<'crm.record.sidebar'>(() => <DealInvoiceCard />);

export function DealInvoiceCard() {
  const context = useExtensionContext<'crm.record.sidebar'>();
  const { addAlert } = useExtensionActions<'crm.record.sidebar'>();
  const lang = langOf(context);
  const t = useMemo(() => translator(lang), [lang]);
  const origin = apiOrigin(context);
  const api = useMemo(() => createCardApi(origin, lang), [origin, lang]);
  const dealId = String(context.crm.objectId);
  const { screen, reload } = useRemote(() => api.dealInvoice(dealId), [api, dealId]);
  const action = useAction();

  const enqueue = async (call: () => Promise<{ alreadyQueued?: boolean }>, doneKey: 'deal.retry.sent' | 'deal.createNow.sent' | 'deal.cancel.sent') => {
    const result = await action.run(call);
    if (isError(result)) return addAlert({ type: 'danger', title: t('common.failed'), message: result.message });
    addAlert({ type: 'success', message: t(result.alreadyQueued ? 'deal.createNow.already' : doneKey) });
    reload();
  };

  if (screen.state === 'loading') return <LoadingSpinner label={t('common.loading')} layout="centered" />;
  if (screen.state === 'error') return <LoadFailed t={t} error={screen.error} onReload={reload} />;
  const data = screen.data;
  if (!data) return <PreviewSection api={api} dealId={dealId} t={t} lang={lang} busy={action.busy} onCreate={() => enqueue(() => api.createInvoice(dealId), 'deal.createNow.sent')} />;
  return (
    <Flex direction="column" gap="sm">
      {data.portal.status === 'needs_reauth' && <ReauthNotice t={t} origin={origin} />}
      {!data.features.invoicing && <PlanNotice t={t} body="notice.plan.body" />}
      {!data.connection && <ConnectionNotice t={t} />}
      {hasInvoice(data) ? (
        <InvoiceStatus
          data={data}
          t={t}
          lang={lang}
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

function PreviewSection({ api, dealId, t, lang, busy, onCreate }: { api: CardApi; dealId: string; t: Translate; lang: Lang; busy: boolean; onCreate: () => void }) {
  const { screen, reload } = useRemote(() => api.invoicePreview(dealId), [api, dealId]);
  if (screen.state === 'loading') return <LoadingSpinner label={t('common.loading')} layout="centered" />;
  if (screen.state === 'error') return <LoadFailed t={t} error={screen.error} onReload={reload} />;
  const preview = screen.data;
  return (
    <Flex direction="column" gap="sm">
      {preview.skip?.code === 'plan_required' && <PlanNotice t={t} body="notice.plan.body" />}
      {preview.skip?.code === 'no_accounting_connection' && <ConnectionNotice t={t} />}
      <InvoicePreviewPanel preview={preview} t={t} lang={lang} busy={busy} onCreate={onCreate} />
    </Flex>
  );
}

function hasInvoice(data: DealInvoice): data is DealInvoice & { invoice: InvoiceView } {
  return data.invoice !== null;
}

function isError(value: unknown): value is ApiError {
  return value instanceof Error;
}
