/**
 * Contact and company sidebar cards share this body: the linked accounting record, the last sync,
 * a conflict to resolve (several vendor records match) and "sync now".
 */
import { useMemo } from 'react';
import {
  Alert,
  Button,
  ButtonRow,
  DescriptionList,
  DescriptionListItem,
  Flex,
  LoadingButton,
  LoadingSpinner,
  Text,
  useExtensionActions,
  useExtensionContext,
} from '@hubspot/ui-extensions';
import { createCardApi, type RecordKind, type RecordSync } from '../lib/api';
import { formatDateTime } from '@apiup/ui-shared/format';
import { translator, type Translate } from '../lib/i18n';
import { apiOrigin, langOf, type Lang } from '@apiup/ui-shared/origin';
import { settingsPageUrl } from '../lib/settings-link';
import { useAction, useRemote } from '@apiup/ui-shared/use-remote';
import { ApiError } from '@apiup/ui-shared/http';
import { LoadFailed } from './load-failed';
import { ConnectNotice, ConnectionNotice, PlanNotice, ReauthNotice } from './notices';

export function RecordSyncCard({ kind }: { kind: RecordKind }) {
  const context = useExtensionContext<'crm.record.sidebar'>();
  const { addAlert } = useExtensionActions<'crm.record.sidebar'>();
  const lang = langOf(context);
  const t = useMemo(() => translator(lang), [lang]);
  const origin = apiOrigin(context);
  const api = useMemo(() => createCardApi(origin, lang), [origin, lang]);
  const recordId = String(context.crm.objectId);
  const { screen, reload } = useRemote(() => api.recordSync(kind, recordId), [api, kind, recordId]);
  const action = useAction();

  const run = async (call: () => Promise<unknown>, doneKey: 'record.syncNow.sent' | 'record.conflict.resolved') => {
    const result = await action.run(call);
    if (result instanceof ApiError) return addAlert({ type: 'danger', title: t('common.failed'), message: result.message });
    addAlert({ type: 'success', message: t(doneKey) });
    reload();
  };

  if (screen.state === 'loading') return <LoadingSpinner label={t('common.loading')} layout="centered" />;
  if (screen.state === 'error') return <LoadFailed t={t} error={screen.error} onReload={reload} />;
  const data = screen.data;
  return (
    <Flex direction="column" gap="sm">
      {data.portal.status === 'not_connected' && <ConnectNotice t={t} origin={origin} />}
      {data.portal.status === 'needs_reauth' && <ReauthNotice t={t} origin={origin} />}
      {!data.features.sync && <PlanNotice t={t} body="record.plan.body" settingsUrl={settingsPageUrl(context)} />}
      {!data.connection && <ConnectionNotice t={t} settingsUrl={settingsPageUrl(context)} />}
      <LinkDetails data={data} t={t} lang={lang} timeZone={context.portal.timezone} />
      {data.conflict && (
        <Alert title={t('record.conflict.title')} variant="warning" testId="conflict">
          <Text>{t('record.conflict.body')}</Text>
          <ButtonRow>
            {data.conflict.candidates.map((c) => (
              <Button
                key={c.vendorId}
                size="xs"
                disabled={action.busy}
                testId={`pick-${c.vendorId}`}
                onClick={() => run(() => api.resolveConflict(String(data.conflict?.id), c.vendorId), 'record.conflict.resolved')}
              >
                {t('record.conflict.pick', { name: c.email ? `${c.name} <${c.email}>` : c.name })}
              </Button>
            ))}
            <Button
              size="xs"
              disabled={action.busy}
              testId="create-new"
              onClick={() => run(() => api.resolveConflict(String(data.conflict?.id), null), 'record.conflict.resolved')}
            >
              {t('record.conflict.create')}
            </Button>
          </ButtonRow>
        </Alert>
      )}
      <LoadingButton
        loading={action.busy}
        disabled={!data.features.sync || !data.connection}
        onClick={() => run(() => api.syncRecord(kind, recordId), 'record.syncNow.sent')}
        size="sm"
        variant="primary"
        testId="sync-now"
      >
        {t('record.syncNow')}
      </LoadingButton>
    </Flex>
  );
}

function LinkDetails({ data, t, lang, timeZone }: { data: RecordSync; t: Translate; lang: Lang; timeZone?: string }) {
  if (!data.link) return <Text testId="record-link">{t('record.notLinked')}</Text>;
  const { providerLabel, vendorId, lastSyncedAt } = data.link;
  return (
    <DescriptionList direction="column">
      <DescriptionListItem label={t('record.title')}>
        <Text testId="record-link">{t('record.linked', { vendor: providerLabel, vendorId })}</Text>
      </DescriptionListItem>
      <DescriptionListItem label={t('record.lastSync')}>
        <Text testId="record-last-sync">{lastSyncedAt ? formatDateTime(lastSyncedAt, lang, timeZone) : t('record.never')}</Text>
      </DescriptionListItem>
    </DescriptionList>
  );
}
