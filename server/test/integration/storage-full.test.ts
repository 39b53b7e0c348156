/**
 * A full disk (issue 13): the process says not ready and answers webhooks 503, so HubSpot delivers
 * them again later, instead of accepting what it cannot store.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { sqliteConnection } from '../../src/db/client';
import { webhookEvents } from '../../src/db/schema';
import { signRequestV3 } from '../../src/hubspot/signature';
import { startTestApiup, type TestApiup } from '../helpers/apiup';
import { testEngine } from '../helpers/postgres';

/**
 * SQLite only, by nature: the free-space floor watches the SQLite file's folder (a PostgreSQL server keeps its
 * data on its own disk, runtime.ts), and the full database is made with SQLite's `max_page_count`. On PostgreSQL
 * a full disk is its `disk_full` error (53100), which storage-health.ts maps the same way.
 */
describe.skipIf(testEngine() === 'postgres')('storage full (SQLite only: free-space floor and page limit of the SQLite file)', () => {
  let t: TestApiup | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  async function deliver(app: TestApiup, objectId: number): Promise<Response> {
    const url = `${app.url}/webhooks/hubspot`;
    const body = JSON.stringify([
      {
        eventId: objectId,
        subscriptionId: 4711,
        portalId: Number(app.portalId),
        occurredAt: Date.now(),
        subscriptionType: 'contact.creation',
        objectId,
        changeSource: 'CRM_UI',
      },
    ]);
    const timestamp = Date.now();
    const signature = signRequestV3({ clientSecret: app.config.hubspot.clientSecret!, method: 'POST', url, body, timestamp });
    return fetch(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': String(timestamp) },
    });
  }

  it('reports not ready and answers webhooks 503 when the disk is below its free-space floor', async () => {
    // No disk has a petabyte free: the floor is never met.
    t = await startTestApiup({ MIN_FREE_DISK_MB: String(1024 ** 3) }, { startWorker: false });
    const ready = await fetch(`${t.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'not_ready', database: true, migrations: true, disk: false });
    const before = (await t.db.select().from(webhookEvents)).length;
    const answer = await deliver(t, 990001);
    expect(answer.status).toBe(503);
    expect((await answer.json()).error.code).toBe('unavailable');
    expect((await t.db.select().from(webhookEvents)).length).toBe(before);
    // Card and settings calls are not webhooks: they keep working (reads).
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
  });

  it('answers 503, not 500, when SQLite finds the database full while storing a webhook, and then reports not ready', async () => {
    t = await startTestApiup({}, { startWorker: false });
    expect((await fetch(`${t.url}/readyz`)).status).toBe(200);
    const sqlite = sqliteConnection(t.db)!;
    const pages = sqlite.pragma('page_count', { simple: true }) as number;
    sqlite.pragma(`max_page_count = ${pages}`);
    let answer: Response | undefined;
    // Fill the last free pages first; the delivery that finds no room must be refused.
    for (let objectId = 990100; objectId < 990600; objectId++) {
      answer = await deliver(t, objectId);
      if (answer.status !== 200) break;
    }
    expect(answer!.status).toBe(503);
    expect((await answer!.json()).error.code).toBe('unavailable');
    const ready = await fetch(`${t.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ disk: false });
  });
});
