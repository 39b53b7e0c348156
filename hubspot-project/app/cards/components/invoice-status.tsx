import { Alert, Button, ButtonRow, DescriptionList, DescriptionListItem, Flex, Link, LoadingButton, StatusTag, Text } from '@hubspot/ui-extensions';
import { formatDate, formatMoney } from '@apiup/ui-shared/format';
import type { Translate } from '../lib/i18n';
import { isJobLive, type DealInvoice, type InvoiceView } from '../lib/api';
import type { Lang } from '@apiup/ui-shared/origin';
import { settingsReasonCodes } from '../lib/settings-link';
import { SettingsLink } from './notices';

type Variant = 'default' | 'info' | 'success' | 'warning' | 'danger';
const statusVariant: Record<InvoiceView['status'], Variant> = {
  pending: 'default',
  creating: 'default',
  created: 'info',
  sent: 'info',
  paid: 'success',
  skipped: 'warning',
  failed: 'danger',
  needs_attention: 'warning',
  cancelled: 'default',
};

/** States where the user can ask for another attempt (skipped: after fixing the deal or the rules). */
const retryable = new Set<InvoiceView['status']>(['skipped', 'failed', 'needs_attention']);

interface Props {
  data: DealInvoice & { invoice: InvoiceView };
  t: Translate;
  lang: Lang;
  settingsUrl: string;
  busy: boolean;
  onRetry: () => void;
  onCancel: () => void;
  onInvoiceFromQuotation: () => void;
}

export function InvoiceStatus({ data, t, lang, settingsUrl, busy, onRetry, onCancel, onInvoiceFromQuotation }: Props) {
  const { invoice, job } = data;
  const isQuotationDone = invoice.kind === 'quotation' && (invoice.status === 'created' || invoice.status === 'sent');
  const vendor = invoice.providerLabel ?? invoice.provider ?? '';
  return (
    <Flex direction="column" gap="sm">
      <Flex direction="row" gap="xs" align="center">
        <StatusTag variant={statusVariant[invoice.status]} testId="invoice-status">
          {t(`deal.status.${invoice.status}`)}
        </StatusTag>
        {invoice.kind && <Text variant="microcopy">{t(`deal.kind.${invoice.kind}`)}</Text>}
      </Flex>
      <DescriptionList direction="column">
        {invoice.number && (
          <DescriptionListItem label={t('deal.field.number')}>
            <Text testId="invoice-number">{invoice.number}</Text>
          </DescriptionListItem>
        )}
        {invoice.date && (
          <DescriptionListItem label={t('deal.field.date')}>
            <Text testId="invoice-date">{formatDate(invoice.date, lang)}</Text>
          </DescriptionListItem>
        )}
        {invoice.totals && invoice.currency && (
          <DescriptionListItem label={t('deal.field.amount')}>
            <Text testId="invoice-amount">{formatMoney(invoice.totals.gross, invoice.currency, lang)}</Text>
          </DescriptionListItem>
        )}
        {invoice.quotation?.number && (
          <DescriptionListItem label={t('deal.field.quotation')}>
            <Text testId="invoice-quotation">{invoice.quotation.number}</Text>
          </DescriptionListItem>
        )}
        {invoice.cancellation && (
          <DescriptionListItem label={t('deal.field.cancellation')}>
            <Text testId="invoice-cancellation">{invoice.cancellation.number ?? '—'}</Text>
          </DescriptionListItem>
        )}
        {invoice.paidDate && (
          <DescriptionListItem label={t('deal.field.paidDate')}>
            <Text testId="invoice-paid">{formatDate(invoice.paidDate, lang)}</Text>
          </DescriptionListItem>
        )}
      </DescriptionList>
      {invoice.warnings.map((w, i) => (
        <Alert key={`${i}-${w.code}`} title={t('deal.warnings')} variant="warning" testId={`invoice-warning-${w.code}`}>
          <Text>{w.message}</Text>
        </Alert>
      ))}
      {invoice.reason && <Text testId="invoice-reason">{invoice.reason.message}</Text>}
      {invoice.reason && settingsReasonCodes.has(invoice.reason.code) && <SettingsLink t={t} url={settingsUrl} testId="invoice-reason-settings" />}
      {job && isJobLive(job) && (
        <Text variant="microcopy" testId="invoice-job">
          {t('deal.job.running', { attempts: job.attempts })}
        </Text>
      )}
      <ButtonRow>
        {invoice.documentUrl && (
          <Button href={{ url: invoice.documentUrl, external: true }} size="sm" testId="open-vendor">
            {t('deal.open', { vendor })}
          </Button>
        )}
        {invoice.canCancel && invoice.status === 'needs_attention' && (
          <LoadingButton loading={busy} onClick={onCancel} size="sm" variant="destructive" testId="cancel-invoice">
            {t('deal.cancel')}
          </LoadingButton>
        )}
        {isQuotationDone && (
          <LoadingButton loading={busy} onClick={onInvoiceFromQuotation} size="sm" variant="primary" testId="invoice-from-quotation">
            {t('deal.invoiceFromQuotation')}
          </LoadingButton>
        )}
        {retryable.has(invoice.status) && (
          <LoadingButton loading={busy} onClick={onRetry} size="sm" variant="primary" testId="retry">
            {t('deal.retry')}
          </LoadingButton>
        )}
      </ButtonRow>
      {(invoice.pdfUrl || invoice.eInvoiceXmlUrl) && (
        <Flex direction="row" gap="sm" wrap="wrap">
          {invoice.pdfUrl && (
            <Link href={{ url: invoice.pdfUrl, external: true }} testId="pdf-link">
              {t('deal.pdf')}
            </Link>
          )}
          {invoice.eInvoiceXmlUrl && (
            <Link href={{ url: invoice.eInvoiceXmlUrl, external: true }} testId="einvoice-xml-link">
              {t('deal.eInvoiceXml')}
            </Link>
          )}
        </Flex>
      )}
    </Flex>
  );
}
