import { useState } from 'react';
import { Button, ButtonRow, Flex, Input, LoadingButton, Select, Text } from '@hubspot/ui-extensions';
import type { ProviderId } from '../lib/api';
import { useAction } from '@apiup/ui-shared/use-remote';
import { Section, succeeded, type SectionProps } from './common';

export function ConnectionSection(props: SectionProps) {
  const { api, t, lang, settings, reloadSettings, alert } = props;
  const current = settings.connection;
  // The backend's registry is the one list of vendors: ids, labels and the credentials each asks for.
  const offered = settings.providers;
  const isProvider = (value: unknown): value is ProviderId => offered.some((p) => p.id === value);
  const [provider, setProvider] = useState<ProviderId>(isProvider(current?.provider) ? current.provider : (offered[0]?.id ?? ''));
  const [credentials, setCredentials] = useState<Record<string, string>>({});
  const [testedAccount, setTestedAccount] = useState<string | null>(null);
  const action = useAction();
  const labelOf = (id: string) => settings.providers.find((p) => p.id === id)?.label ?? id;
  const fields = offered.find((p) => p.id === provider)?.credentialFields ?? [];
  const filled = fields.every((f) => (credentials[f.name] ?? '').trim() !== '');

  const choose = (value: unknown) => {
    if (!isProvider(value)) return;
    setProvider(value);
    setCredentials({});
    setTestedAccount(null);
  };
  const test = async () => {
    const result = await action.run(() => api.testConnection(provider, pick(credentials, fields)));
    if (succeeded(result, props)) setTestedAccount(result.accountName);
  };
  const connect = async () => {
    const result = await action.run(() => api.connect(provider, pick(credentials, fields)));
    if (!succeeded(result, props)) return;
    alert('success', t('connection.saved', { account: result.accountName }));
    setCredentials({});
    reloadSettings();
  };
  const remove = async () => {
    const result = await action.run(() => api.disconnectAccounting());
    if (!succeeded(result, props)) return;
    alert('success', t('connection.removed'));
    reloadSettings();
  };

  return (
    <Section title={t('connection.title')} testId="section-connection">
      <Flex direction="column" gap="sm">
        <Text testId="connection-current">
          {current ? t('connection.current', { vendor: labelOf(current.provider), account: current.accountName }) : t('connection.none')}
        </Text>
        <Select
          label={t('connection.vendor')}
          name="provider"
          value={provider}
          onChange={choose}
          options={offered.map((p) => ({ value: p.id, label: p.label }))}
          testId="provider"
        />
        {fields.map((f) => (
          <Input
            key={`${provider}-${f.name}`}
            name={f.name}
            label={f.label[lang]}
            type={f.secret ? 'password' : 'text'}
            value={credentials[f.name] ?? ''}
            onChange={(value) => setCredentials((c) => ({ ...c, [f.name]: value }))}
            testId={`credential-${f.name}`}
          />
        ))}
        {testedAccount && <Text testId="tested-account">{t('connection.test.ok', { account: testedAccount })}</Text>}
        <ButtonRow>
          <LoadingButton loading={action.busy} disabled={!filled} onClick={test} testId="test-connection">
            {t('connection.test')}
          </LoadingButton>
          <LoadingButton loading={action.busy} disabled={!filled} onClick={connect} variant="primary" testId="connect">
            {t('connection.save')}
          </LoadingButton>
          {current && (
            <Button disabled={action.busy} onClick={remove} variant="destructive" testId="remove-credentials">
              {t('connection.remove')}
            </Button>
          )}
        </ButtonRow>
      </Flex>
    </Section>
  );
}

/** Only the chosen vendor's fields, trimmed: a stale field of another vendor is never sent. */
function pick(credentials: Record<string, string>, fields: Array<{ name: string }>): Record<string, string> {
  return Object.fromEntries(fields.map((f) => [f.name, (credentials[f.name] ?? '').trim()]));
}
