import { Flex, MultiSelect, Select, Text } from '@hubspot/ui-extensions';
import type { InvoiceRules, Pipeline, PipelineTrigger, SettingsApi } from '../lib/api';
import type { Translate } from '../lib/i18n';
import { useRemote } from '@apiup/ui-shared/use-remote';
import { Remote } from './common';

type Triggers = InvoiceRules['triggers'];
type Mode = 'default' | 'custom' | 'ignored';

interface Props {
  api: SettingsApi;
  t: Translate;
  value: Triggers;
  onChange: (next: Triggers) => void;
}

/**
 * Per deal pipeline (read fresh from HubSpot): the default (won stages create the document type),
 * chosen stages for an invoice and for a quote, or ignored. Saved with the invoice rules.
 */
export function PipelineTriggers({ api, t, value, onChange }: Props) {
  const { screen, reload } = useRemote(() => api.pipelines(), [api]);
  const setChoice = (pipelineId: string, choice: PipelineTrigger | undefined) => {
    const next = { ...value };
    if (choice) next[pipelineId] = choice;
    else delete next[pipelineId];
    onChange(next);
  };
  return (
    <Flex direction="column" gap="sm">
      <Text format={{ fontWeight: 'demibold' }}>{t('triggers.title')}</Text>
      <Text variant="microcopy">{t('triggers.help')}</Text>
      <Remote
        screen={screen}
        t={t}
        reload={reload}
        render={({ pipelines }) => (
          <Flex direction="column" gap="sm">
            {pipelines.map((pipeline) => (
              <PipelineChoice key={pipeline.id} pipeline={pipeline} choice={value[pipeline.id]} t={t} onChange={(choice) => setChoice(pipeline.id, choice)} />
            ))}
          </Flex>
        )}
      />
    </Flex>
  );
}

function PipelineChoice({
  pipeline,
  choice,
  t,
  onChange,
}: {
  pipeline: Pipeline;
  choice: PipelineTrigger | undefined;
  t: Translate;
  onChange: (choice: PipelineTrigger | undefined) => void;
}) {
  const mode: Mode = !choice ? 'default' : choice.ignored ? 'ignored' : 'custom';
  const won = pipeline.stages.filter((s) => s.isWon);
  const choose = (next: unknown) => {
    if (next === 'default') return onChange(undefined);
    if (next === 'ignored') return onChange({ ignored: true, invoiceStages: choice?.invoiceStages ?? [], quoteStages: choice?.quoteStages ?? [] });
    // Switching to chosen stages starts from what the default did, so nothing changes until the user picks.
    if (next === 'custom')
      onChange({
        ignored: false,
        invoiceStages: choice?.invoiceStages.length ? choice.invoiceStages : won.map((s) => s.id),
        quoteStages: choice?.quoteStages ?? [],
      });
  };
  const options = (taken: string[]) => pipeline.stages.filter((s) => !taken.includes(s.id)).map((s) => ({ value: s.id, label: s.label }));
  const ids = (values: unknown[]) => values.map(String);
  return (
    <Flex direction="column" gap="xs">
      <Select
        label={t('triggers.mode', { pipeline: pipeline.label })}
        name={`trigger-mode-${pipeline.id}`}
        value={mode}
        onChange={choose}
        options={[
          { value: 'default', label: t('triggers.mode.default') },
          { value: 'custom', label: t('triggers.mode.custom') },
          { value: 'ignored', label: t('triggers.mode.ignored') },
        ]}
        testId={`trigger-mode-${pipeline.id}`}
      />
      {mode === 'default' && (
        <Text variant="microcopy" testId={`trigger-default-${pipeline.id}`}>
          {won.length > 0 ? t('triggers.default', { stages: won.map((s) => s.label).join(', ') }) : t('triggers.noWonStage')}
        </Text>
      )}
      {mode === 'custom' && choice && (
        <>
          <MultiSelect
            label={t('triggers.invoiceStages')}
            name={`trigger-invoice-${pipeline.id}`}
            value={choice.invoiceStages}
            options={options(choice.quoteStages)}
            onChange={(v) => onChange({ ...choice, invoiceStages: ids(v) })}
            testId={`trigger-invoice-${pipeline.id}`}
          />
          <MultiSelect
            label={t('triggers.quoteStages')}
            name={`trigger-quote-${pipeline.id}`}
            value={choice.quoteStages}
            options={options(choice.invoiceStages)}
            onChange={(v) => onChange({ ...choice, quoteStages: ids(v) })}
            testId={`trigger-quote-${pipeline.id}`}
          />
          {choice.invoiceStages.length === 0 && choice.quoteStages.length === 0 && (
            <Text variant="microcopy" testId={`trigger-none-${pipeline.id}`}>
              {t('triggers.noneChosen')}
            </Text>
          )}
        </>
      )}
    </Flex>
  );
}
