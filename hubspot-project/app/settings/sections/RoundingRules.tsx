import { Flex, Select, Text } from '@hubspot/ui-extensions';
import type { InvoiceRules, VendorRules } from '../lib/api';
import type { MessageKey, Translate } from '../lib/i18n';

type RoundingRulesValue = NonNullable<InvoiceRules['roundingRules']>;

/**
 * The rounding rules the connected vendor leaves unsettled (docs/reference/money.md §9): one choice each, with a
 * line on what the chosen reading does. The deal card's preview computes with it and names it; the vendor's own
 * totals are read back after creation and compared. Nothing is shown for a vendor without such rules.
 */
export function RoundingRules({
  t,
  vendor,
  vendorLabel,
  value,
  onChange,
}: {
  t: Translate;
  vendor: VendorRules | null | undefined;
  vendorLabel: string;
  value: RoundingRulesValue;
  onChange: (next: RoundingRulesValue) => void;
}) {
  if (!vendor || vendor.roundingChoices.length === 0) return null;
  const chosen = value[vendor.provider] ?? {};
  const choose = (option: string, reading: string) => onChange({ ...value, [vendor.provider]: { ...chosen, [option]: reading } });
  return (
    <Flex direction="column" gap="xs" testId="rounding-rules">
      <Text format={{ fontWeight: 'demibold' }}>{t('invoice.rounding')}</Text>
      <Text variant="microcopy" testId="rounding-help">
        {t('invoice.rounding.help', { vendor: vendorLabel })}
      </Text>
      {vendor.roundingChoices.map((choice) => {
        const current = chosen[choice.option] ?? choice.values[0];
        return (
          <Flex key={choice.option} direction="column" gap="xs">
            <Select
              label={t('invoice.rounding.option', { option: t(`rounding.${choice.option}` as MessageKey), rule: choice.rule })}
              name={`rounding-${choice.option}`}
              value={current}
              onChange={(v) => choose(choice.option, String(v))}
              options={choice.values.map((reading, i) => ({
                value: reading,
                label:
                  i === 0
                    ? t('invoice.rounding.default', { reading: t(`rounding.${choice.option}.${reading}` as MessageKey) })
                    : t(`rounding.${choice.option}.${reading}` as MessageKey),
              }))}
              testId={`rounding-${choice.option}`}
            />
            <Text variant="microcopy" testId={`rounding-${choice.option}-help`}>
              {t(`rounding.${choice.option}.${current}.help` as MessageKey)}
            </Text>
          </Flex>
        );
      })}
    </Flex>
  );
}
