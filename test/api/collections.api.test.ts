// "Refresh now" over the API of `configgraph serve` as a user starts it (--region, --endpoint-url): the
// collector control serve ships, collecting through the AWS SDK over HTTP from the local endpoint that
// speaks the Config protocol, into a fresh SQLite store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollectingServer, type CollectingServer } from '../support/collecting-server.ts';
import { apiClient, type ApiClient } from './http.ts';

describe('POST /api/collections and GET /api/collections/current with the real collector', () => {
  let running: CollectingServer;
  let api: ApiClient;

  beforeAll(async () => {
    running = await startCollectingServer(40);
    api = apiClient(running.url);
  });

  afterAll(async () => {
    await running?.close();
  });

  it('starts a collection, refuses a second while it runs, reports progress and then the new run', async () => {
    const health = await api.get('/api/health');
    expect(health.body.collector).toBe(true);
    const idle = await api.get('/api/collections/current');
    expect(idle.status).toBe(200);
    expect(idle.body.collection.state).toBe('idle');

    const bad = await api.post('/api/collections', { body: JSON.stringify({ regions: 'eu-west-1' }) });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/regions/);
    const unknown = await api.post('/api/collections', { body: JSON.stringify({ endpointUrl: 'http://evil.test' }) });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.accepted).toMatch(/regions, history, resourceTypes/);

    const started = await api.post('/api/collections', { body: '{}' });
    expect(started.status).toBe(202);
    expect(started.headers.get('location')).toBe('/api/collections/current');
    expect(started.body.collection.state).toBe('running');
    const again = await api.post('/api/collections', { body: '{}' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('collection_running');

    let state = 'running';
    const deadline = Date.now() + 60_000;
    while (state === 'running' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      state = (await api.get('/api/collections/current')).body.collection.state;
    }
    expect(state).toBe('succeeded');
    const runs = await api.get('/api/runs');
    expect(runs.body).toHaveLength(1);
    expect(runs.body[0].counts.items).toBeGreaterThan(0);
    expect((await api.get('/api/health')).body.lastRun.id).toBe(runs.body[0].id);
  });
});
