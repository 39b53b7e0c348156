import { useState } from 'react';
import { Flex, LoadingButton, Select, Text, Toggle } from '@hubspot/ui-extensions';
import type { SyncRules } from '../lib/api';
import { useAction } from '@apiup/ui-shared/use-remote';
import { Section, succeeded, type SectionProps } from './common';

/** Fields a user may pin to one side, by their sync name (server/src/sync/content.ts); the rest follow "the newer change wins". */
const ownedFields = ['companyName', 'email', 'phone', 'street', 'zip', 'city', 'countryCode', 'vatId'] as const;

export function SyncRulesSection(props: SectionProps) {
  const { api, t, settings, alert } = props;
  const [rules, setRules] = useState<SyncRules>(settings.rules.sync);
  const action = useAction();
  const deletionOptions = [
    { value: 'ignore', label: t('sync.deletion.ignore') },
    { value: 'mirror', label: t('sync.deletion.mirror') },
  ];
  const ownerOptions = [
    { value: 'newest', label: t('sync.owner.newest') },
    { value: 'hubspot', label: t('sync.owner.hubspot') },
    { value: 'accounting', label: t('sync.owner.accounting') },
  ];
  const gdprOptions = (['keep', 'anonymise', 'delete'] as const).map((value) => ({ value, label: t(`sync.gdpr.${value}`) }));
  const setGdpr = (value: unknown) => setRules((r) => ({ ...r, gdprVendorAction: value === 'anonymise' || value === 'delete' ? value : 'keep' }));
  const setDeletion = (side: 'fromHubspot' | 'fromAccounting', value: unknown) =>
    setRules((r) => ({ ...r, deletion: { ...r.deletion, [side]: value === 'mirror' ? 'mirror' : 'ignore' } }));
  const setOwner = (field: string, value: unknown) =>
    setRules((r) => {
      const owners = { ...r.fieldOwners };
      if (value === 'hubspot' || value === 'accounting') owners[field] = value;
      else delete owners[field];
      return { ...r, fieldOwners: owners };
    });

  const save = async () => {
    const result = await action.run(() => api.saveRules({ sync: rules }));
    if (!succeeded(result, props)) return;
    alert('success', t('common.saved'));
  };

  return (
    <Section title={t('sync.title')} testId="section-sync">
      <Flex direction="column" gap="sm">
        {settings.capabilities?.contactCompanyLink === false && (
          <Text variant="microcopy" testId="no-company-link">
            {t('sync.companyLink.none', { vendor: settings.providers.find((p) => p.id === settings.connection?.provider)?.label ?? '' })}
          </Text>
        )}
        <Toggle
          label={t('sync.hubspotToAccounting')}
          checked={rules.hubspotToAccounting}
          onChange={(v) => setRules((r) => ({ ...r, hubspotToAccounting: v }))}
          testId="hubspotToAccounting"
        />
        <Toggle
          label={t('sync.accountingToHubspot')}
          checked={rules.accountingToHubspot}
          onChange={(v) => setRules((r) => ({ ...r, accountingToHubspot: v }))}
          testId="accountingToHubspot"
        />
        <Select
          label={t('sync.deletion.fromHubspot')}
          name="deletionFromHubspot"
          value={rules.deletion.fromHubspot}
          onChange={(v) => setDeletion('fromHubspot', v)}
          options={deletionOptions}
          testId="deletion-fromHubspot"
        />
        <Select
          label={t('sync.deletion.fromAccounting')}
          name="deletionFromAccounting"
          value={rules.deletion.fromAccounting}
          onChange={(v) => setDeletion('fromAccounting', v)}
          options={deletionOptions}
          testId="deletion-fromAccounting"
        />
        <Select
          label={t('sync.gdpr')}
          description={t('sync.gdpr.hint')}
          name="gdprVendorAction"
          value={rules.gdprVendorAction ?? 'keep'}
          onChange={setGdpr}
          options={gdprOptions}
          testId="gdprVendorAction"
        />
        {ownedFields.map((field) => (
          <Select
            key={field}
            label={t('sync.owner', { field: t(`sync.field.${field}`) })}
            name={`owner-${field}`}
            value={rules.fieldOwners[field] ?? 'newest'}
            onChange={(v) => setOwner(field, v)}
            options={ownerOptions}
            testId={`owner-${field}`}
          />
        ))}
        <LoadingButton loading={action.busy} onClick={save} variant="primary" testId="save-sync-rules">
          {t('common.save')}
        </LoadingButton>
      </Flex>
    </Section>
  );
}
