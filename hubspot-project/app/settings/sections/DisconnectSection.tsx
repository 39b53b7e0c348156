import { useState } from 'react';
import { Button, ButtonRow, Flex, LoadingButton, Text } from '@hubspot/ui-extensions';
import { useAction } from '@apiup/ui-shared/use-remote';
import { Section, succeeded, type SectionProps } from './common';

/** Disconnecting removes the app from the HubSpot account, then deletes our tokens and stored credentials (docs/api.md DELETE /settings/portal). */
export function DisconnectSection(props: SectionProps) {
  const { api, t, alert, reloadSettings } = props;
  const [asked, setAsked] = useState(false);
  const action = useAction();
  const disconnect = async () => {
    const result = await action.run(() => api.disconnectPortal());
    if (!succeeded(result, props)) return;
    alert('success', t(result.uninstalledFromHubspot ? 'disconnect.done' : 'disconnect.doneNotUninstalled'));
    setAsked(false);
    reloadSettings();
  };

  return (
    <Section title={t('disconnect.title')} testId="section-disconnect">
      <Flex direction="column" gap="sm">
        <Text testId="disconnect-body">{t('disconnect.body')}</Text>
        <ButtonRow>
          {asked ? (
            <LoadingButton loading={action.busy} onClick={disconnect} variant="destructive" testId="disconnect-confirm">
              {t('disconnect.confirm')}
            </LoadingButton>
          ) : (
            <Button onClick={() => setAsked(true)} variant="destructive" testId="disconnect">
              {t('disconnect.action')}
            </Button>
          )}
        </ButtonRow>
      </Flex>
    </Section>
  );
}
