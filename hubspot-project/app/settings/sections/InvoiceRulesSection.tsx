import { useState } from 'react';
import { Divider, Flex, Input, LoadingButton, NumberInput, Select, Text, TextArea, Toggle } from '@hubspot/ui-extensions';
import type { InvoiceRules, RulesWarning } from '../lib/api';
import { placeholderList, renderTemplate, sampleContext, unknownPlaceholders } from '../lib/template';
import { useAction } from '@apiup/ui-shared/use-remote';
import { Section, succeeded, type SectionProps } from './common';
import { PipelineTriggers } from './PipelineTriggers';
import { RoundingRules } from './RoundingRules';

const textFields = ['title', 'introduction', 'paymentTerms', 'closingText'] as const;

/** Document type, what triggers it per pipeline, finalise, e-mail, lines without items, tax, conditions and texts with a live preview. */
export function InvoiceRulesSection(props: SectionProps) {
  const { api, t, settings, alert } = props;
  const [rules, setRules] = useState<InvoiceRules>(settings.rules.invoice);
  const action = useAction();
  const set = <K extends keyof InvoiceRules>(key: K, value: InvoiceRules[K]) => setRules((r) => ({ ...r, [key]: value }));
  const setCondition = (patch: Partial<InvoiceRules['conditions']>) => setRules((r) => ({ ...r, conditions: { ...r.conditions, ...patch } }));
  const setText = (field: (typeof textFields)[number], value: string) => setRules((r) => ({ ...r, texts: { ...r.texts, [field]: value } }));
  const plus = settings.features.conditions && settings.features.texts;
  /** Without a connection either choice is kept; a connected vendor without quotations offers invoices only. */
  const canQuote = settings.capabilities?.quotations !== false;
  const vendorLabel = settings.providers.find((p) => p.id === settings.connection?.provider)?.label ?? '';

  const save = async () => {
    const result = await action.run(() => api.saveRules({ invoice: rules }));
    if (!succeeded(result, props)) return;
    alert('success', t('common.saved'));
    for (const w of result.warnings) alert('warning', warningText(w));
  };

  const warningText = (w: RulesWarning) => {
    if (w.code === 'unknown_placeholder') return t('invoice.unknownPlaceholder', { placeholder: w.placeholder ?? '' });
    const field = textFields.find((f) => f === w.field);
    const params = { field: field ? t(`invoice.text.${field}`) : w.field, limit: w.limit ?? '', length: w.length ?? '' };
    return t(w.code === 'title_moved' ? 'invoice.titleMoved' : 'invoice.textTooLong', params);
  };

  return (
    <Section title={t('invoice.title')} testId="section-invoice">
      <Flex direction="column" gap="sm">
        <Select
          label={t('invoice.documentType')}
          name="documentType"
          value={rules.documentType}
          onChange={(v) => set('documentType', v === 'quotation' && canQuote ? 'quotation' : 'invoice')}
          options={[
            { value: 'invoice', label: t('invoice.documentType.invoice') },
            ...(canQuote ? [{ value: 'quotation', label: t('invoice.documentType.quotation') }] : []),
          ]}
          testId="documentType"
        />
        {!canQuote && (
          <Text variant="microcopy" testId="no-quotations">
            {t('invoice.documentType.noQuotations', { vendor: settings.providers.find((p) => p.id === settings.connection?.provider)?.label ?? '' })}
          </Text>
        )}
        {canQuote && settings.capabilities?.invoiceFromQuotation && (
          <Text variant="microcopy" testId="invoice-from-quotation">
            {t('invoice.documentType.fromQuotation')}
          </Text>
        )}
        <PipelineTriggers api={api} t={t} value={rules.triggers} onChange={(next) => set('triggers', next)} />
        <Divider />
        <Toggle label={t('invoice.finalize')} checked={rules.finalize} onChange={(v) => set('finalize', v)} testId="finalize" />
        <Toggle label={t('invoice.sendEmail')} checked={rules.sendEmail} onChange={(v) => set('sendEmail', v)} testId="sendEmail" />
        <Select
          label={t('invoice.withoutLineItems')}
          name="withoutLineItems"
          value={rules.withoutLineItems}
          onChange={(v) => set('withoutLineItems', v === 'skip' ? 'skip' : 'amount_line')}
          options={[
            { value: 'amount_line', label: t('invoice.withoutLineItems.amount_line') },
            { value: 'skip', label: t('invoice.withoutLineItems.skip') },
          ]}
          testId="withoutLineItems"
        />
        <Input
          label={t('invoice.defaultTax')}
          name="defaultTaxRatePercent"
          value={rules.defaultTaxRatePercent ?? ''}
          placeholder={settings.vendorRules?.defaultTaxRatePercent}
          onChange={(v) => set('defaultTaxRatePercent', v.trim() || undefined)}
          testId="defaultTaxRatePercent"
        />
        {settings.vendorRules && (
          <Text variant="microcopy" testId="default-tax-vendor">
            {t(rules.defaultTaxRatePercent ? 'invoice.defaultTax.own' : 'invoice.defaultTax.vendor', {
              vendor: vendorLabel,
              rate: settings.vendorRules.defaultTaxRatePercent,
            })}
          </Text>
        )}
        <Select
          label={t('invoice.missingTaxRate')}
          name="missingTaxRate"
          value={rules.missingTaxRate}
          onChange={(v) => set('missingTaxRate', v === 'skip' ? 'skip' : 'default')}
          options={[
            { value: 'default', label: t('invoice.missingTaxRate.default') },
            { value: 'skip', label: t('invoice.missingTaxRate.skip') },
          ]}
          testId="missingTaxRate"
        />
        <Toggle label={t('invoice.pricesIncludeVat')} checked={rules.pricesIncludeVat} onChange={(v) => set('pricesIncludeVat', v)} testId="pricesIncludeVat" />
        <Text variant="microcopy">{t('invoice.pricesIncludeVat.help')}</Text>
        <Toggle
          label={t('invoice.eInvoice')}
          checked={rules.eInvoiceForBusinessCustomers}
          onChange={(v) => set('eInvoiceForBusinessCustomers', v)}
          testId="eInvoiceForBusinessCustomers"
        />
        <Text variant="microcopy">{t('invoice.eInvoice.help')}</Text>
        <RoundingRules
          t={t}
          vendor={settings.vendorRules}
          vendorLabel={vendorLabel}
          value={rules.roundingRules ?? {}}
          onChange={(next) => set('roundingRules', next)}
        />
        <NumberInput
          label={t('invoice.paymentTermDays')}
          name="paymentTermDays"
          value={rules.paymentTermDays}
          min={0}
          max={365}
          precision={0}
          onChange={(v) => set('paymentTermDays', v)}
          testId="paymentTermDays"
        />
        <Divider />
        {!plus && (
          <Text variant="microcopy" testId="needs-plus">
            {t('invoice.needsPlus')}
          </Text>
        )}
        <Text format={{ fontWeight: 'demibold' }}>{t('invoice.conditions')}</Text>
        <Input
          label={t('invoice.condition.currency')}
          name="currency"
          value={rules.conditions.currency ?? ''}
          onChange={(v) => setCondition({ currency: v.trim().toUpperCase() || undefined })}
          testId="condition-currency"
        />
        <NumberInput
          label={t('invoice.condition.minLineItems')}
          name="minLineItems"
          value={rules.conditions.minLineItems ?? 0}
          min={0}
          precision={0}
          onChange={(v) => setCondition({ minLineItems: v > 0 ? v : undefined })}
          testId="condition-minLineItems"
        />
        <Toggle
          label={t('invoice.condition.requireQuote')}
          checked={rules.conditions.requireQuote}
          onChange={(v) => setCondition({ requireQuote: v })}
          testId="condition-requireQuote"
        />
        <Divider />
        <Text format={{ fontWeight: 'demibold' }}>{t('invoice.texts')}</Text>
        <Text variant="microcopy">{t('invoice.placeholders', { list: placeholderList().join(' ') })}</Text>
        {textFields.map((field) => (
          <Flex key={field} direction="column" gap="xs">
            <TextArea
              label={t(`invoice.text.${field}`)}
              name={field}
              value={rules.texts[field]}
              rows={field === 'title' ? 1 : 3}
              onChange={(v) => setText(field, v)}
              testId={`text-${field}`}
            />
            {rules.texts[field] && (
              <Text variant="microcopy" testId={`preview-${field}`}>
                {`${t('invoice.preview')}: ${renderTemplate(rules.texts[field], sampleContext)}`}
              </Text>
            )}
            {unknownPlaceholders(rules.texts[field]).map((p) => (
              <Text key={p} variant="microcopy" testId={`unknown-${field}`}>
                {t('invoice.unknownPlaceholder', { placeholder: p })}
              </Text>
            ))}
          </Flex>
        ))}
        <LoadingButton loading={action.busy} onClick={save} variant="primary" testId="save-invoice-rules">
          {t('common.save')}
        </LoadingButton>
      </Flex>
    </Section>
  );
}
