import { Button, ErrorState, Heading, LoadingSpinner, Text, Tile } from '@hubspot/ui-extensions';
import type { ReactNode } from 'react';
import type { Settings, SettingsApi } from '../lib/api';
import { ApiError } from '@apiup/ui-shared/http';
import type { Translate } from '../lib/i18n';
import type { Lang } from '@apiup/ui-shared/origin';
import type { Screen } from '@apiup/ui-shared/use-remote';

type AlertType = 'info' | 'warning' | 'success' | 'danger' | 'tip';

export interface SectionProps {
  api: SettingsApi;
  t: Translate;
  lang: Lang;
  settings: Settings;
  /** Reloads the whole settings answer (connection, packages, rules). */
  reloadSettings: () => void;
  alert: (type: AlertType, message: string, title?: string) => void;
  timeZone?: string;
}

export function Section({ title, testId, children }: { title: string; testId: string; children: ReactNode }) {
  return (
    <Tile testId={testId}>
      <Heading>{title}</Heading>
      {children}
    </Tile>
  );
}

/** Reports a failed action as an alert and says whether it succeeded. */
export function succeeded<T>(result: T | ApiError, props: Pick<SectionProps, 'alert' | 't'>): result is T {
  if (result instanceof ApiError) {
    props.alert('danger', result.message, props.t('common.failed'));
    return false;
  }
  return true;
}

/** Loading and error states of a section's own read; `render` gets the data. */
export function Remote<T>({ screen, t, reload, render }: { screen: Screen<T>; t: Translate; reload: () => void; render: (data: T) => ReactNode }) {
  if (screen.state === 'loading') return <LoadingSpinner label={t('common.loading')} />;
  if (screen.state === 'error')
    return (
      <ErrorState title={t('common.error.title')}>
        <Text>{screen.error.message}</Text>
        <Button onClick={reload} size="sm">
          {t('common.reload')}
        </Button>
      </ErrorState>
    );
  return <>{render(screen.data)}</>;
}
