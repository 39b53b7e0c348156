import { describe, expect, it } from 'vitest';
import { Button, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { deferred } from '../../cards/test-utils/backend';
import { useRemote } from './use-remote';

function Probe({ loads }: { loads: Array<Promise<string>> }) {
  const { screen, reload, refresh } = useRemote(() => loads.shift() ?? Promise.reject(new Error('no more loads')), []);
  return (
    <>
      <Text testId="state">{screen.state === 'ready' ? screen.data : screen.state}</Text>
      <Button testId="reload" onClick={reload}>
        reload
      </Button>
      <Button testId="refresh" onClick={refresh}>
        refresh
      </Button>
    </>
  );
}

/** A rejected load handed out later; marked handled now so Node does not report it before the hook reads it. */
function failedLoad(): Promise<string> {
  const load = Promise.reject(new Error('network down'));
  load.catch(() => undefined);
  return load;
}

describe('useRemote', () => {
  it('never lets an older, slower answer replace a newer one', async () => {
    const first = deferred<string>();
    const second = deferred<string>();
    const loads = [first.promise, second.promise];
    const { findByTestId, render, waitFor } = createRenderer('crm.record.sidebar');
    render(<Probe loads={loads} />);
    findByTestId(Button, 'reload').trigger('onClick');
    second.resolve('newer');
    await waitFor(() => expect(findByTestId(Text, 'state').text).toBe('newer'));
    first.resolve('older');
    await first.promise;
    await new Promise((r) => setImmediate(r));
    expect(findByTestId(Text, 'state').text).toBe('newer');
  });

  it('keeps the data on screen while a refresh loads, and after a failed one', async () => {
    const next = deferred<string>();
    const loads = [Promise.resolve('Rechnung RE-2026-0042 erstellt'), next.promise, failedLoad()];
    const { findByTestId, render, waitFor } = createRenderer('crm.record.sidebar');
    render(<Probe loads={loads} />);
    await waitFor(() => expect(findByTestId(Text, 'state').text).toBe('Rechnung RE-2026-0042 erstellt'));
    findByTestId(Button, 'refresh').trigger('onClick');
    await new Promise((r) => setImmediate(r));
    expect(findByTestId(Text, 'state').text).toBe('Rechnung RE-2026-0042 erstellt');
    next.resolve('Rechnung RE-2026-0042 bezahlt');
    await waitFor(() => expect(findByTestId(Text, 'state').text).toBe('Rechnung RE-2026-0042 bezahlt'));
    findByTestId(Button, 'refresh').trigger('onClick');
    await new Promise((r) => setTimeout(r, 10));
    expect(findByTestId(Text, 'state').text).toBe('Rechnung RE-2026-0042 bezahlt');
  });

  it('shows the spinner and then the error on a reload that fails', async () => {
    const loads = [Promise.resolve('Angebot AN-2026-0007'), failedLoad()];
    const { findByTestId, render, waitFor } = createRenderer('crm.record.sidebar');
    render(<Probe loads={loads} />);
    await waitFor(() => expect(findByTestId(Text, 'state').text).toBe('Angebot AN-2026-0007'));
    findByTestId(Button, 'reload').trigger('onClick');
    await waitFor(() => expect(findByTestId(Text, 'state').text).toBe('error'));
  });
});
