import { useState } from 'react';
import { Button, Flex, Select, StatusTag, Table, TableBody, TableCell, TableHead, TableHeader, TableRow, Text } from '@hubspot/ui-extensions';
import { jobStates, type Job, type JobState } from '../lib/api';
import { formatDateTime } from '@apiup/ui-shared/format';
import { useAction, useRemote } from '@apiup/ui-shared/use-remote';
import { Remote, Section, succeeded, type SectionProps } from './common';

const stateVariant: Record<JobState, 'default' | 'info' | 'success' | 'warning' | 'danger'> = {
  queued: 'default',
  running: 'info',
  retrying: 'warning',
  succeeded: 'success',
  dead: 'danger',
};

/** Latest jobs with their state, filterable; a dead job can be sent again. */
export function ActivitySection(props: SectionProps) {
  const { api, t, lang, alert, timeZone } = props;
  const [filter, setFilter] = useState<JobState | undefined>(undefined);
  const { screen, reload } = useRemote(() => api.activity(filter), [api, filter]);
  const action = useAction();
  const retry = async (job: Job) => {
    const result = await action.run(() => api.retryJob(job.id));
    if (!succeeded(result, props)) return;
    alert('success', t('activity.retried'));
    reload();
  };
  const options = [{ value: 'all', label: t('activity.filter.all') }, ...jobStates.map((s) => ({ value: s, label: t(`job.state.${s}`) }))];

  return (
    <Section title={t('activity.title')} testId="section-activity">
      <Flex direction="column" gap="sm">
        <Select
          label={t('activity.filter')}
          name="activityState"
          value={filter ?? 'all'}
          onChange={(v) => setFilter(jobStates.find((s) => s === v))}
          options={options}
          testId="activity-filter"
        />
        <Remote
          screen={screen}
          t={t}
          reload={reload}
          render={({ jobs }) =>
            jobs.length === 0 ? (
              <Text testId="activity-empty">{t('common.empty')}</Text>
            ) : (
              <Table bordered density="condensed" testId="activity-table">
                <TableHead>
                  <TableRow>
                    <TableHeader>{t('activity.col.job')}</TableHeader>
                    <TableHeader>{t('activity.col.state')}</TableHeader>
                    <TableHeader>{t('activity.col.attempts')}</TableHeader>
                    <TableHeader>{t('activity.col.error')}</TableHeader>
                    <TableHeader>{t('activity.col.updated')}</TableHeader>
                    <TableHeader>{''}</TableHeader>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {jobs.map((job) => (
                    <TableRow key={job.id}>
                      <TableCell>{job.name}</TableCell>
                      <TableCell>
                        <StatusTag variant={stateVariant[job.state]} testId={`job-state-${job.id}`}>
                          {t(`job.state.${job.state}`)}
                        </StatusTag>
                      </TableCell>
                      <TableCell>{`${job.attempts}/${job.maxAttempts}`}</TableCell>
                      <TableCell>
                        <Flex direction="column" gap="xs">
                          {job.lastError && <Text>{job.lastError.message}</Text>}
                          {job.warnings.map((w, i) => (
                            <Text key={`${i}-${w.code}`} testId={`job-warning-${job.id}-${w.code}`} format={{ fontWeight: 'demibold' }}>
                              {w.message}
                            </Text>
                          ))}
                        </Flex>
                      </TableCell>
                      <TableCell>{formatDateTime(job.updatedAt, lang, timeZone)}</TableCell>
                      <TableCell>
                        {job.state === 'dead' && (
                          <Button size="xs" disabled={action.busy} onClick={() => retry(job)} testId={`retry-job-${job.id}`}>
                            {t('activity.retry')}
                          </Button>
                        )}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )
          }
        />
      </Flex>
    </Section>
  );
}
