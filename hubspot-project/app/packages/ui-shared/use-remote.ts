/**
 * Screen state for one backend read: `loading | ready | error`. Every load gets a number; only the
 * newest may set the state, so a slow, older answer never replaces a newer one.
 * Shared by the cards and the settings page through the npm workspace package @apiup/ui-shared
 * (hubspot-project/README.md, "Shared code", says why and how HubSpot builds it).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from './http';

export type Screen<T> = { state: 'loading' } | { state: 'ready'; data: T } | { state: 'error'; error: ApiError };

/**
 * `reload` shows the spinner again; `refresh` keeps the current data on screen until the new answer
 * is there (polling, a property changed in HubSpot), and a failed refresh keeps that data too, so a
 * single dropped poll does not replace the card with an error. Each answer, even a failed refresh,
 * makes a new `screen` object, so a poll scheduled on `screen` runs again.
 */
export function useRemote<T>(load: () => Promise<T>, deps: readonly unknown[]): { screen: Screen<T>; reload: () => void; refresh: () => void } {
  const [screen, setScreen] = useState<Screen<T>>({ state: 'loading' });
  const [request, setRequest] = useState({ generation: 0, quiet: false });
  const latest = useRef(0);
  const lastRequest = useRef(request);

  useEffect(() => {
    // Only the request that asked for it is quiet; new inputs (another record) load with the spinner.
    const quiet = request.quiet && lastRequest.current !== request;
    lastRequest.current = request;
    const id = ++latest.current;
    if (!quiet) setScreen({ state: 'loading' });
    load().then(
      (data) => {
        if (id === latest.current) setScreen({ state: 'ready', data });
      },
      (error: unknown) => {
        if (id === latest.current) setScreen((current) => (quiet && current.state === 'ready' ? { ...current } : { state: 'error', error: asApiError(error) }));
      },
    );
    return () => {
      // An answer that arrives after unmount or after the inputs changed is dropped.
      // eslint-disable-next-line react-hooks/exhaustive-deps -- a request counter, not a DOM ref: its value now is the point
      if (id === latest.current) latest.current++;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, request]);

  const reload = useCallback(() => setRequest((r) => ({ generation: r.generation + 1, quiet: false })), []);
  const refresh = useCallback(() => setRequest((r) => ({ generation: r.generation + 1, quiet: true })), []);
  return { screen, reload, refresh };
}

/** Runs one user action at a time (a button), exposing whether it is under way. */
export function useAction(): { busy: boolean; run: <T>(action: () => Promise<T>) => Promise<T | ApiError> } {
  const [busy, setBusy] = useState(false);
  const run = useCallback(async <T>(action: () => Promise<T>): Promise<T | ApiError> => {
    setBusy(true);
    try {
      return await action();
    } catch (error) {
      return asApiError(error);
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, run };
}

export function asApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError(0, 'unexpected', error instanceof Error ? error.message : String(error));
}
