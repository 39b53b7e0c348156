/** Company sidebar card: see components/record-sync-card.tsx. */
import { hubspot } from '@hubspot/ui-extensions';
import { RecordSyncCard } from './components/record-sync-card';

hubspot.extend<'crm.record.sidebar'>(() => <CompanySyncCard />);

export function CompanySyncCard() {
  return <RecordSyncCard kind="companies" />;
}
