import { useState } from 'react';
import { Button, ButtonRow, Checkbox, Flex, LoadingButton, ProgressBar, Text } from '@hubspot/ui-extensions';
import type { DryRunReport } from '../lib/api';
import { useAction, useRemote } from '@apiup/ui-shared/use-remote';
import { Remote, Section, succeeded, type SectionProps } from './common';

/**
 * First sync of existing records: a dry run shows what would be created, linked or flagged as a
 * conflict; the start needs an explicit confirmation; progress is read on demand.
 */
export function InitialSyncSection(props: SectionProps) {
  const { api, t, alert } = props;
  const { screen, reload } = useRemote(() => api.initialSync(), [api]);
  const [report, setReport] = useState<DryRunReport | null>(null);
  const [confirmed, setConfirmed] = useState(false);
  const action = useAction();

  const dryRun = async () => {
    const result = await action.run(() => api.dryRun());
    if (succeeded(result, props)) setReport(result.report);
  };
  const start = async () => {
    const result = await action.run(() => api.startInitialSync());
    if (!succeeded(result, props)) return;
    alert('success', t('initial.started'));
    setConfirmed(false);
    reload();
  };

  return (
    <Section title={t('initial.title')} testId="section-initial-sync">
      <Flex direction="column" gap="sm">
        <LoadingButton loading={action.busy} onClick={dryRun} size="sm" testId="dry-run">
          {t('initial.dryRun')}
        </LoadingButton>
        {report &&
          (['hubspot', 'accounting'] as const).map((side) => (
            <Text key={side} testId={`report-${side}`}>
              {t('initial.report', { side: t(`initial.side.${side}`), ...report[side] })}
            </Text>
          ))}
        {report && (
          <Checkbox name="confirm-initial-sync" checked={confirmed} onChange={(checked) => setConfirmed(checked)} testId="confirm-initial-sync">
            {t('initial.confirm')}
          </Checkbox>
        )}
        <ButtonRow>
          <LoadingButton loading={action.busy} disabled={!report || !confirmed} onClick={start} variant="primary" size="sm" testId="start-initial-sync">
            {t('initial.start')}
          </LoadingButton>
          <Button onClick={reload} size="sm" testId="refresh-initial-sync">
            {t('common.refresh')}
          </Button>
        </ButtonRow>
        <Remote
          screen={screen}
          t={t}
          reload={reload}
          render={({ run }) =>
            run ? (
              <Flex direction="column" gap="xs">
                <ProgressBar
                  title={t('initial.progress')}
                  value={run.done}
                  maxValue={Math.max(run.total, 1)}
                  valueDescription={t('initial.progress.value', { done: run.done, total: run.total })}
                  showPercentage
                  testId="initial-progress"
                />
                <Text variant="microcopy">{t('initial.state', { state: run.state })}</Text>
              </Flex>
            ) : (
              <Text variant="microcopy">{t('initial.none')}</Text>
            )
          }
        />
      </Flex>
    </Section>
  );
}
