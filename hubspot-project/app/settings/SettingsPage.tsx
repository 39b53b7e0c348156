/**
 * App settings page (Marketplace → Connected apps → APIUP → Settings, hubspot.md §1.6): accounting
 * connection, packages, invoice and sync rules, initial sync, conflicts, records kept in the accounting system, activity and disconnect;
 * above them the notices (not connected, re-authorise, webhooks missing, other apps writing the synced records).
 */
import { useCallback, useMemo } from 'react';
import { Alert, Button, Flex, Text, hubspot, useExtensionActions, useExtensionContext } from '@hubspot/ui-extensions';
import { createSettingsApi } from './lib/api';
import { translator } from './lib/i18n';
import { apiOrigin, langOf } from '@apiup/ui-shared/origin';
import { useRemote } from '@apiup/ui-shared/use-remote';
import { Remote, type SectionProps } from './sections/common';
import { ActivitySection } from './sections/ActivitySection';
import { ConflictsSection } from './sections/ConflictsSection';
import { KeptRecordsSection } from './sections/KeptRecordsSection';
import { OtherWritersNotice } from './sections/OtherWritersNotice';
import { ConnectionSection } from './sections/ConnectionSection';
import { DisconnectSection } from './sections/DisconnectSection';
import { InitialSyncSection } from './sections/InitialSyncSection';
import { InvoiceRulesSection } from './sections/InvoiceRulesSection';
import { PackagesSection } from './sections/PackagesSection';
import { SyncRulesSection } from './sections/SyncRulesSection';

hubspot.extend<'settings'>(() => <SettingsPage />);

export function SettingsPage() {
  const context = useExtensionContext<'settings'>();
  const { addAlert } = useExtensionActions<'settings'>();
  const lang = langOf(context);
  const t = useMemo(() => translator(lang), [lang]);
  const origin = apiOrigin(context);
  const api = useMemo(() => createSettingsApi(origin, lang), [origin, lang]);
  const { screen, reload } = useRemote(() => api.load(), [api]);
  const alert = useCallback<SectionProps['alert']>((type, message, title) => addAlert({ type, message, ...(title ? { title } : {}) }), [addAlert]);

  return (
    <Remote
      screen={screen}
      t={t}
      reload={reload}
      render={(settings) => {
        const props: SectionProps = { api, t, lang, settings, reloadSettings: reload, alert, timeZone: context.portal.timezone };
        return (
          <Flex direction="column" gap="md">
            {settings.portal.status === 'not_connected' && (
              <Alert title={t('connect.title')} variant="warning" testId="notice-connect">
                <Text>{t('connect.body')}</Text>
                <Button href={{ url: `${origin}/oauth/install`, external: true }} size="sm" variant="primary">
                  {t('connect.action')}
                </Button>
              </Alert>
            )}
            {settings.portal.status === 'needs_reauth' && (
              <Alert title={t('reauth.title')} variant="danger" testId="notice-reauth">
                <Text>{t('reauth.body')}</Text>
                <Button href={{ url: `${origin}/oauth/install`, external: true }} size="sm">
                  {t('reauth.action')}
                </Button>
              </Alert>
            )}
            {settings.webhooks?.warning && (
              <Alert title={t(`webhooks.${settings.webhooks.warning}.title`)} variant="warning" testId="notice-webhooks">
                <Text>
                  {t(`webhooks.${settings.webhooks.warning}.body`, {
                    deals: settings.webhooks.missedBySweep.deals,
                    records: settings.webhooks.missedBySweep.records,
                  })}
                </Text>
              </Alert>
            )}
            <OtherWritersNotice {...props} />
            <ConnectionSection {...props} />
            <PackagesSection {...props} />
            <InvoiceRulesSection {...props} />
            <SyncRulesSection {...props} />
            <InitialSyncSection {...props} />
            <ConflictsSection {...props} />
            <KeptRecordsSection {...props} />
            <ActivitySection {...props} />
            <DisconnectSection {...props} />
          </Flex>
        );
      }}
    />
  );
}
