import {
  DescriptionList,
  DescriptionListItem,
  Flex,
  Heading,
  LoadingButton,
  StatusTag,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Text,
} from '@hubspot/ui-extensions';
import { formatMoney } from '@apiup/ui-shared/format';
import type { Translate } from '../lib/i18n';
import type { InvoicePreview } from '../lib/api';
import type { Lang } from '@apiup/ui-shared/origin';
import { settingsReasonCodes } from '../lib/settings-link';
import { SettingsLink } from './notices';

interface Props {
  preview: InvoicePreview;
  t: Translate;
  lang: Lang;
  settingsUrl: string;
  busy: boolean;
  onCreate: () => void;
}

/** Skip reasons that make "create now" pointless: the run would stop at once, so the button is disabled and says why. */
const blockingSkips = new Set(['plan_required', 'no_accounting_connection']);

/** What would be sent before anything exists: customer, lines with tax, totals and each condition. */
export function InvoicePreviewPanel({ preview, t, lang, settingsUrl, busy, onCreate }: Props) {
  const { customer, currency, priceBasis, lines, totals, conditions, skip, notices, document } = preview;
  const money = (value: string) => formatMoney(value, currency, lang);
  const isBlocked = skip !== null && blockingSkips.has(skip.code);
  return (
    <Flex direction="column" gap="sm">
      <Heading>{t('preview.title')}</Heading>
      <DescriptionList direction="column">
        <DescriptionListItem label={t('preview.customer')}>
          <Text testId="preview-customer">{t(`preview.customer.${customer.action}`, { name: customer.name })}</Text>
        </DescriptionListItem>
      </DescriptionList>
      {lines.length > 0 && (
        <Table bordered={false} density="condensed" testId="preview-lines">
          <TableHead>
            <TableRow>
              <TableHeader>{t('preview.col.item')}</TableHeader>
              <TableHeader>{t('preview.col.quantity')}</TableHeader>
              <TableHeader>{t('preview.col.tax')}</TableHeader>
              <TableHeader>{t(priceBasis === 'gross' ? 'preview.col.gross' : 'preview.col.net')}</TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {lines.map((line, i) => (
              <TableRow key={`${i}-${line.name}`}>
                <TableCell>{line.name}</TableCell>
                <TableCell>{line.quantity}</TableCell>
                <TableCell>
                  {line.taxRateSource === 'default' ? (
                    <Text testId={`line-tax-default-${i}`} format={{ fontWeight: 'demibold' }}>
                      {t('preview.tax.default', { rate: line.taxRatePercent })}
                    </Text>
                  ) : (
                    `${line.taxRatePercent} %`
                  )}
                </TableCell>
                <TableCell>{money(line.net)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {priceBasis === 'gross' && (
        <Text variant="microcopy" testId="preview-gross-prices">
          {t('preview.pricesIncludeVat')}
        </Text>
      )}
      {totals ? (
        <DescriptionList direction="row">
          <DescriptionListItem label={t('preview.totals.net')}>
            <Text>{money(totals.net)}</Text>
          </DescriptionListItem>
          <DescriptionListItem label={t('preview.totals.tax')}>
            <Text>{money(totals.tax)}</Text>
          </DescriptionListItem>
          <DescriptionListItem label={t('preview.totals.gross')}>
            <Text testId="preview-gross">{money(totals.gross)}</Text>
          </DescriptionListItem>
        </DescriptionList>
      ) : (
        <Text variant="microcopy">{t('preview.totals.unknown')}</Text>
      )}
      {conditions.length > 0 && (
        <Flex direction="column" gap="xs">
          <Text format={{ fontWeight: 'demibold' }}>{t('preview.conditions')}</Text>
          {conditions.map((c) => (
            <Flex key={c.code} direction="row" gap="xs" align="center">
              <StatusTag variant={c.passed ? 'success' : 'danger'} testId={`condition-${c.code}`}>
                {t(c.passed ? 'preview.condition.passed' : 'preview.condition.failed')}
              </StatusTag>
              <Text>{c.message}</Text>
            </Flex>
          ))}
        </Flex>
      )}
      {notices.length > 0 && (
        <Flex direction="column" gap="xs">
          <Text format={{ fontWeight: 'demibold' }}>{t('preview.notices')}</Text>
          {notices.map((n, i) => (
            <Flex key={`${i}-${n.code}`} direction="row" gap="xs" align="center">
              <StatusTag variant={n.blocking ? 'danger' : 'info'} testId={`notice-${n.code}`}>
                {t(n.blocking ? 'preview.notice.blocking' : n.code === 'rounding_reading' ? 'preview.notice.rounding' : 'preview.notice.adjusted')}
              </StatusTag>
              <Text>{n.message}</Text>
            </Flex>
          ))}
        </Flex>
      )}
      {skip && <Text testId="preview-skip">{t('preview.skip', { message: skip.message })}</Text>}
      {/* Plan and connection have their own notice with the same link above the panel. */}
      {skip && !isBlocked && settingsReasonCodes.has(skip.code) && <SettingsLink t={t} url={settingsUrl} testId="preview-skip-settings" />}
      {document && (
        <Text variant="microcopy" testId="preview-trigger">
          {t(`preview.trigger.${document.triggeredByStage ? 'stage' : 'none'}.${document.kind}`)}
        </Text>
      )}
      <LoadingButton
        loading={busy}
        disabled={isBlocked}
        onClick={() => {
          if (!isBlocked) onCreate();
        }}
        variant="primary"
        size="sm"
        testId="create-now"
      >
        {t(document?.kind === 'quotation' ? 'deal.createNow.quotation' : 'deal.createNow')}
      </LoadingButton>
      {isBlocked && (
        <Text variant="microcopy" testId="create-now-blocked">
          {t(skip?.code === 'plan_required' ? 'deal.createNow.blocked.plan' : 'deal.createNow.blocked.connection')}
        </Text>
      )}
    </Flex>
  );
}
