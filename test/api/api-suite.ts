// The HTTP API suite, a function of a store factory: test/api/sqlite.api.test.ts runs it on the
// embedded store and a Neo4j file runs the very same tests on Neo4j. Everything goes over real HTTP
// to servers listening on 127.0.0.1:0, and every answer is checked against the OpenAPI document.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  NEIGHBORHOOD_DEPTH,
  NEIGHBORHOOD_LIMIT,
  PATH_MAX_DEPTH,
  SEARCH_LIMIT,
  type IntRange,
} from '../../graph/query-limits.ts';
import type { GraphStore } from '../../graph/store.ts';
import { DEMO, demoTimes } from '../../world/demo.ts';
import { readTar } from '../../server/export/tar.ts';
import { createLogger } from '../../server/http/logging.ts';
import { RateLimiter } from '../../server/http/rate-limit.ts';
import { apiRouter } from '../../server/http/routes.ts';
import { CONTENT_SECURITY_POLICY, checkBindingIsSafe } from '../../server/http/security.ts';
import { startServer, type RunningServer, type StartOptions } from '../../server/http/start.ts';
import { apiClient, type ApiClient, type ApiResponse, urlFor } from './http.ts';
import { checkSchema, openApiDocument, seen } from './openapi-check.ts';
import { CRAFTED, FIXTURE_STAGE_ID, seedApiStore } from './seed.ts';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'configgraph.js');

export interface ApiTestStore {
  store: GraphStore;
  /** How the CLI names the same store (--store), for CLI/API comparisons. */
  spec: string;
}

/** Returns an empty store; called twice (one is closed on purpose to test store failures). */
export type ApiStoreFactory = () => Promise<ApiTestStore>;

const TOKEN = 'test-token-0123456789abcdef';
const ALLOWED_ORIGIN = 'http://allowed.test';
const INSTANCE = DEMO.instanceId;
const instanceKey = `${DEMO.accountId}|${DEMO.region}|AWS::EC2::Instance|${DEMO.instanceId}`;

/** Collects pino's lines so tests can read what was logged. */
function memoryLog(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(
        ...chunk
          .toString('utf8')
          .split('\n')
          .filter((l) => l.length > 0),
      );
      done();
    },
  });
  return { lines, stream };
}

async function cli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

const sha256 = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');

export interface ApiSuiteOptions {
  setupTimeoutMs?: number;
  /** Another adapter seeded with the same data: its exports must hash the same (one model, two stores). */
  reference?: { label: string; open: () => Promise<GraphStore> };
}

export function describeApiSuite(label: string, makeStore: ApiStoreFactory, opts: ApiSuiteOptions = {}): void {
  describe(`HTTP API over ${label}`, () => {
    let primary: ApiTestStore;
    let broken: ApiTestStore;
    const servers: RunningServer[] = [];
    let open: ApiClient;
    let openUrl: string;
    let secured: ApiClient;
    let securedUrl: string;
    let securedLog: string[];
    let limited: ApiClient;
    let failing: ApiClient;
    let failingUrl: string;
    let work: string;
    let clientDir: string;

    async function serve(opts: Partial<StartOptions> & { store: GraphStore }): Promise<RunningServer> {
      const s = await startServer({
        logger: createLogger({ destination: memoryLog().stream }),
        port: 0,
        clientDir,
        storeLabel: `${label} test store`,
        rateLimit: { burst: 10_000, perSecond: 1000 },
        ...opts,
      });
      servers.push(s);
      return s;
    }

    beforeAll(async () => {
      work = mkdtempSync(join(tmpdir(), 'configgraph-api-'));
      clientDir = join(work, 'dist');
      mkdirSync(join(clientDir, 'assets'), { recursive: true });
      writeFileSync(
        join(clientDir, 'index.html'),
        '<!doctype html><title>configgraph</title><script type="module" src="/assets/app.js"></script>\n',
      );
      writeFileSync(join(clientDir, 'assets', 'app.js'), 'console.log("explorer");\n');

      // The failing store is opened (and closed) first, so a factory that clears its database on open
      // cannot wipe the seeded one.
      broken = await makeStore();
      await broken.store.close();
      primary = await makeStore();
      await seedApiStore(primary.store);

      const a = await serve({ store: primary.store });
      openUrl = a.url;
      open = apiClient(a.url);
      const log = memoryLog();
      securedLog = log.lines;
      const b = await serve({
        store: primary.store,
        token: TOKEN,
        cors: [ALLOWED_ORIGIN],
        logger: createLogger({ destination: log.stream }),
        logRequests: true,
      });
      securedUrl = b.url;
      secured = apiClient(b.url, { token: TOKEN });
      limited = apiClient((await serve({ store: primary.store, rateLimit: { burst: 2, perSecond: 0.01 } })).url);
      const f = await serve({ store: broken.store });
      failingUrl = f.url;
      failing = apiClient(f.url);
    }, opts.setupTimeoutMs ?? 120_000);

    afterAll(async () => {
      await Promise.all(servers.map((s) => s.close()));
      await primary?.store.close();
      if (work) rmSync(work, { recursive: true, force: true });
    });

    describe('GET /api/search', () => {
      it('finds the demo instance by name, IP address and DNS name, best match first', async () => {
        const byName = await open.get('/api/search', { query: { q: DEMO.instanceName } });
        expect(byName.status).toBe(200);
        expect(byName.body.query).toBe(DEMO.instanceName);
        expect(byName.body.results[0].node.resourceId).toBe(INSTANCE);
        // The private IP also names the ENI and the Elastic IP attached to it: the instance is among the hits.
        for (const q of [DEMO.instancePrivateIp, DEMO.instancePrivateDnsName]) {
          const r = await open.get('/api/search', { query: { q } });
          expect(r.status).toBe(200);
          expect(r.body.results.map((h: { node: { resourceId: string } }) => h.node.resourceId)).toContain(INSTANCE);
        }
        const scores = byName.body.results.map((h: { score: number }) => h.score);
        expect(scores).toEqual([...scores].sort((a: number, b: number) => b - a));
      });
      it('filters by type, account and region and honours limit', async () => {
        const r = await open.get('/api/search', {
          query: { q: 'demo', type: 'AWS::EC2::SecurityGroup', account: DEMO.accountId, region: DEMO.region, limit: 3 },
        });
        expect(r.status).toBe(200);
        expect(r.body.results.length).toBeGreaterThan(0);
        expect(r.body.results.length).toBeLessThanOrEqual(3);
        for (const hit of r.body.results) {
          expect(hit.node.resourceType).toBe('AWS::EC2::SecurityGroup');
          expect(hit.node.accountId).toBe(DEMO.accountId);
          expect(hit.node.awsRegion).toBe(DEMO.region);
        }
      });
      it('rejects a missing q, a bad limit, an unknown or repeated parameter with what is accepted', async () => {
        const cases: [Record<string, string | number | string[]>, RegExp][] = [
          [{}, /"q" is required/],
          [{ q: 'x', limit: 0 }, /limit "0" is out of range/],
          [{ q: 'x', limit: 'ten' }, /limit "ten"/],
          [{ q: 'x', qq: 'y' }, /unknown query parameter: qq/],
          [{ q: ['a', 'b'] }, /more than once/],
          [{ q: 'x'.repeat(201) }, /too long/],
        ];
        for (const [query, message] of cases) {
          const r = await open.get('/api/search', { query });
          expect(r.status, JSON.stringify(query)).toBe(400);
          expect(r.body.error.code).toBe('invalid_input');
          expect(r.body.error.message).toMatch(message);
          expect(r.body.error.accepted).toBeTruthy();
        }
      });
    });

    describe('GET /api/resources/{ref}', () => {
      it('returns the resource with its version, tags and relationships both ways', async () => {
        const r = await open.get('/api/resources/{ref}', { params: { ref: INSTANCE } });
        expect(r.status).toBe(200);
        expect(r.body.node.key).toBe(instanceKey);
        expect(r.body.node.tags.Name).toBe(DEMO.instanceName);
        expect(r.body.version.configuration).toBeTruthy();
        const targets = r.body.outgoing.map((e: { target: string }) => e.target);
        expect(targets.some((t: string) => t.endsWith(`|AWS::EC2::Subnet|${DEMO.publicSubnetId}`))).toBe(true);
        for (const e of r.body.outgoing) expect(['config', 'derived']).toContain(e.origin);
      });
      it('answers as of a time: the deleted volume exists before its deletion and not after', async () => {
        const before = await open.get('/api/resources/{ref}', {
          params: { ref: DEMO.deletedVolumeId },
          query: { at: demoTimes.volumeAttached },
        });
        expect(before.status).toBe(200);
        expect(before.body.existsAt).toBe(true);
        const after = await open.get('/api/resources/{ref}', {
          params: { ref: DEMO.deletedVolumeId },
          query: { at: demoTimes.afterVolumeDeleted },
        });
        expect(after.status).toBe(200);
        expect(after.body.existsAt).toBe(false);
      });
      it('T3: a deleted resource keeps its name, is found by it marked deleted, and says when it last existed', async () => {
        const now = await open.get('/api/resources/{ref}', { params: { ref: DEMO.deletedVolumeId } });
        expect(now.status).toBe(200);
        expect(now.body.existsAt).toBe(false);
        const name = now.body.node.resourceName as string;
        expect(name).toBeTruthy();
        expect(now.body.node.deletedAt).toBe(demoTimes.volumeDeleted);
        expect(now.body.node.lastExistedAt).toBe(new Date(Date.parse(demoTimes.volumeDeleted) - 1).toISOString());
        const found = await open.get('/api/search', { query: { q: name } });
        expect(found.status).toBe(200);
        const hit = found.body.results.find(
          (h: { node: { resourceId: string } }) => h.node.resourceId === DEMO.deletedVolumeId,
        );
        expect(hit).toMatchObject({ deleted: true, node: { lastExistedAt: now.body.node.lastExistedAt } });
        expect(
          found.body.results.find((h: { node: { resourceId: string } }) => h.node.resourceId === INSTANCE)?.deleted,
        ).not.toBe(true);
        const then = await open.get('/api/resources/{ref}', {
          params: { ref: DEMO.deletedVolumeId },
          query: { at: now.body.node.lastExistedAt },
        });
        expect(then.body.existsAt).toBe(true);
      });
      it('accepts URL-encoded keys and ARNs with slashes, colons and $ as one path segment', async () => {
        const byKey = await open.get('/api/resources/{ref}', { params: { ref: instanceKey } });
        expect(byKey.status).toBe(200);
        expect(byKey.body.node.resourceId).toBe(INSTANCE);
        const lb = await open.get('/api/resources/{ref}', { params: { ref: CRAFTED.loadBalancerArn } });
        expect(lb.status).toBe(200);
        expect(lb.body.node.resourceId).toBe(CRAFTED.loadBalancerArn);
        const stage = await open.get('/api/resources/{ref}', { params: { ref: FIXTURE_STAGE_ID } });
        expect(stage.status).toBe(200);
        expect(stage.body.node.resourceId).toBe(FIXTURE_STAGE_ID);
      });
      it('answers 404 for an unknown ref and 400 with the candidate keys for an ambiguous one', async () => {
        const missing = await open.get('/api/resources/{ref}', { params: { ref: 'i-doesnotexist' } });
        expect(missing.status).toBe(404);
        expect(missing.body.error.code).toBe('not_found');
        const ambiguous = await open.get('/api/resources/{ref}', { params: { ref: CRAFTED.sharedId } });
        expect(ambiguous.status).toBe(400);
        expect(ambiguous.body.error.code).toBe('ambiguous_ref');
        expect([...ambiguous.body.error.candidates].sort()).toEqual(
          CRAFTED.sharedRegions.map((r) => `111122223333|${r}|AWS::EC2::Instance|${CRAFTED.sharedId}`).sort(),
        );
        const badEncoding = await fetch(`${openUrl}/api/resources/%E0%A4%A`);
        expect(badEncoding.status).toBe(400);
        expect(((await badEncoding.json()) as { error: { message: string } }).error.message).toMatch(
          /percent-encoding/,
        );
        // A candidate key, encoded, is accepted.
        const one = await open.get('/api/resources/{ref}', { params: { ref: ambiguous.body.error.candidates[0] } });
        expect(one.status).toBe(200);
      });
      it('rejects a bad at: not a time, a date that does not exist, a clock time without a zone', async () => {
        for (const at of ['yesterday', '2026-02-30', '2026-03-01T10:00', '2026-13-01T00:00:00Z']) {
          const r = await open.get('/api/resources/{ref}', { params: { ref: INSTANCE }, query: { at } });
          expect(r.status, at).toBe(400);
          expect(r.body.error.accepted).toMatch(/ISO-8601/);
        }
        const ok = await open.get('/api/resources/{ref}', {
          params: { ref: INSTANCE },
          query: { at: '2026-03-08T01:00:00+01:00' },
        });
        expect(ok.status).toBe(200);
      });
    });

    describe('GET /api/resources/{ref}/neighborhood', () => {
      it('shows what the instance touches: ENI, volumes, security groups, subnet and VPC', async () => {
        const r = await open.get('/api/resources/{ref}/neighborhood', {
          params: { ref: INSTANCE },
          query: { at: demoTimes.volumeAttached },
        });
        expect(r.status).toBe(200);
        expect(r.body.root).toBe(instanceKey);
        const ids = r.body.nodes.map((n: { resourceId: string }) => n.resourceId);
        for (const id of [
          DEMO.networkInterfaceId,
          DEMO.rootVolumeId,
          DEMO.dataVolumeId,
          DEMO.deletedVolumeId,
          DEMO.securityGroupId,
          DEMO.appSecurityGroupId,
          DEMO.publicSubnetId,
          DEMO.vpcId,
        ]) {
          expect(ids, id).toContain(id);
        }
        const keys = new Set(r.body.nodes.map((n: { key: string }) => n.key));
        for (const e of r.body.edges) {
          expect(keys.has(e.source) && keys.has(e.target)).toBe(true);
        }
        expect(r.body.truncated).toBe(false);
      });
      it('follows time: the deleted volume is gone after its deletion', async () => {
        const r = await open.get('/api/resources/{ref}/neighborhood', {
          params: { ref: INSTANCE },
          query: { at: demoTimes.afterVolumeDeleted },
        });
        expect(r.status).toBe(200);
        expect(r.body.nodes.map((n: { resourceId: string }) => n.resourceId)).not.toContain(DEMO.deletedVolumeId);
      });
      it('grows with depth, filters by type and truncates at the limit', async () => {
        const d1 = await open.get('/api/resources/{ref}/neighborhood', {
          params: { ref: INSTANCE },
          query: { depth: 1 },
        });
        const d2 = await open.get('/api/resources/{ref}/neighborhood', {
          params: { ref: INSTANCE },
          query: { depth: 2 },
        });
        expect(d2.body.nodes.length).toBeGreaterThan(d1.body.nodes.length);
        const typed = await open.get('/api/resources/{ref}/neighborhood', {
          params: { ref: INSTANCE },
          query: { types: 'AWS::EC2::Volume' },
        });
        expect(typed.status).toBe(200);
        for (const n of typed.body.nodes) if (n.key !== instanceKey) expect(n.resourceType).toBe('AWS::EC2::Volume');
        const cut = await open.get('/api/resources/{ref}/neighborhood', {
          params: { ref: INSTANCE },
          query: { depth: 2, limit: 3 },
        });
        expect(cut.status).toBe(200);
        expect(cut.body.truncated).toBe(true);
        expect(cut.body.nodes.length).toBeLessThanOrEqual(3);
      });
      it('rejects depth out of range and answers 404 for an unknown ref', async () => {
        for (const depth of ['0', '4', 'two', '1.5']) {
          const r = await open.get('/api/resources/{ref}/neighborhood', {
            params: { ref: INSTANCE },
            query: { depth },
          });
          expect(r.status, depth).toBe(400);
          expect(r.body.error.accepted).toBe('an integer from 1 to 3');
        }
        const missing = await open.get('/api/resources/{ref}/neighborhood', { params: { ref: 'vpc-nope' } });
        expect(missing.status).toBe(404);
      });
    });

    describe('GET /api/resources/{ref}/view', () => {
      it('W1: the instance’s attachments reach its subnet’s route table and the internet gateway it routes to', async () => {
        const r = await open.get('/api/resources/{ref}/view', {
          params: { ref: INSTANCE },
          query: { kind: 'attachments' },
        });
        expect(r.status).toBe(200);
        expect(r.body.kind).toBe('attachments');
        expect(r.body.root).toBe(instanceKey);
        const types = r.body.nodes.map((n: { resourceType: string }) => n.resourceType);
        expect(types).toContain('AWS::EC2::RouteTable');
        const ids = r.body.nodes.map((n: { resourceId: string }) => n.resourceId);
        for (const id of [
          DEMO.networkInterfaceId,
          DEMO.elasticIpAllocationId,
          DEMO.securityGroupId,
          DEMO.publicSubnetId,
          DEMO.internetGatewayId,
        ])
          expect(ids, id).toContain(id);
        // The VPC is shown but not followed: the other subnet is not part of the instance's attachments.
        expect(ids).not.toContain(DEMO.privateSubnetId);
      });
      it('W2: the VPC’s network view lists its subnets and folds their members into counts', async () => {
        const r = await open.get('/api/resources/{ref}/view', {
          params: { ref: DEMO.vpcId },
          query: { kind: 'network' },
        });
        expect(r.status).toBe(200);
        const ids = r.body.nodes.map((n: { resourceId: string }) => n.resourceId);
        for (const id of [DEMO.publicSubnetId, DEMO.privateSubnetId, DEMO.internetGatewayId])
          expect(ids, id).toContain(id);
        expect(ids).not.toContain(DEMO.instanceId);
        const folds = r.body.folds as { parent: string; resourceType: string; count: number }[];
        const instances = folds.filter((f) => f.resourceType === 'AWS::EC2::Instance');
        expect(instances.length).toBeGreaterThan(0);
        expect(instances.every((f) => f.count >= 1 && ids.includes(f.parent.split('|')[3]))).toBe(true);
      });
      it('rejects a missing or unknown kind, a view from the wrong type, and answers 404 for an unknown ref', async () => {
        for (const query of [{}, { kind: 'everything' }] as Record<string, string>[]) {
          const r = await open.get('/api/resources/{ref}/view', { params: { ref: INSTANCE }, query });
          expect(r.status, JSON.stringify(query)).toBe(400);
        }
        const wrong = await open.get('/api/resources/{ref}/view', {
          params: { ref: DEMO.vpcId },
          query: { kind: 'attachments' },
        });
        expect(wrong.status).toBe(400);
        const missing = await open.get('/api/resources/{ref}/view', {
          params: { ref: 'i-nope' },
          query: { kind: 'attachments' },
        });
        expect(missing.status).toBe(404);
      });
    });

    describe('GET /api/resources/{ref}/history', () => {
      it('lists every version oldest first with the changed rule of the security group', async () => {
        const r = await open.get('/api/resources/{ref}/history', { params: { ref: DEMO.securityGroupId } });
        expect(r.status).toBe(200);
        const times = r.body.versions.map((v: { captureTime: string }) => v.captureTime);
        expect(times).toEqual([...times].sort());
        expect(r.body.versions[0].changes.created).toBe(true);
        const ruleChange = r.body.versions.find(
          (v: { captureTime: string }) => v.captureTime === demoTimes.securityGroupRuleChanged,
        );
        expect(ruleChange?.changes.configuration.length).toBeGreaterThan(0);
        const tagChange = r.body.versions.find(
          (v: { captureTime: string }) => v.captureTime === demoTimes.securityGroupTagChanged,
        );
        expect(tagChange?.changes.tags.length).toBeGreaterThan(0);
      });
      it('answers 404 for an unknown ref and 400 for a query parameter it does not take', async () => {
        expect((await open.get('/api/resources/{ref}/history', { params: { ref: 'sg-nope' } })).status).toBe(404);
        expect(
          (
            await open.get('/api/resources/{ref}/history', {
              params: { ref: DEMO.securityGroupId },
              query: { at: demoTimes.end },
            })
          ).status,
        ).toBe(400);
      });
    });

    describe('compliance: GET /api/compliance, and on the resource view and history', () => {
      const sgKey = `${DEMO.accountId}|${DEMO.region}|AWS::EC2::SecurityGroup|${DEMO.securityGroupId}`;
      const nonCompliantSsh = (at: string, extra: Record<string, string> = {}) =>
        open.get('/api/compliance', { query: { at, rule: 'restricted-ssh', status: 'NON_COMPLIANT', ...extra } });

      it('C3: while port 22 is open, the web security group alone breaks restricted-ssh, since the opening; none after closing', async () => {
        const r = await nonCompliantSsh(demoTimes.sshOpen);
        expect(r.status).toBe(200);
        expect(r.body.at).toBe(demoTimes.sshOpen);
        expect(
          r.body.results.map((x: { resource: { key: string }; since: string }) => [x.resource.key, x.since]),
        ).toEqual([[sgKey, demoTimes.sshNonCompliantSince]]);
        expect(r.body.results[0].resource).toMatchObject({ recorded: true, resourceType: 'AWS::EC2::SecurityGroup' });
        expect((await nonCompliantSsh(demoTimes.sshOpened)).body.results).toEqual([]);
        expect((await nonCompliantSsh(demoTimes.afterSshClosed)).body.results).toEqual([]);
        // The same answer within the account and region; none in another region.
        const scoped = await nonCompliantSsh(demoTimes.sshOpen, { account: DEMO.accountId, region: DEMO.region });
        expect(scoped.body.results).toHaveLength(1);
        expect((await nonCompliantSsh(demoTimes.sshOpen, { region: DEMO.secondRegion })).body.results).toEqual([]);
      });

      it('lists every rule result at a time, filtered by status: the unencrypted volume, resources without an Owner tag', async () => {
        const r = await open.get('/api/compliance', {
          query: { at: demoTimes.end, status: 'NON_COMPLIANT', account: DEMO.accountId },
        });
        expect(r.status).toBe(200);
        const pairs = r.body.results.map((x: { resource: { resourceId: string }; rule: string }) => [
          x.resource.resourceId,
          x.rule,
        ]);
        expect(pairs).toContainEqual([DEMO.dataVolumeId, 'encrypted-volumes']);
        expect(pairs).toContainEqual([DEMO.hostileInstanceId, 'required-tags']);
        expect(pairs).not.toContainEqual([DEMO.securityGroupId, 'restricted-ssh']);
        expect(new Set(r.body.results.map((x: { status: string }) => x.status))).toEqual(new Set(['NON_COMPLIANT']));
      });

      it('the resource view carries its results at `at`', async () => {
        const during = await open.get('/api/resources/{ref}', {
          params: { ref: DEMO.securityGroupId },
          query: { at: demoTimes.sshOpen },
        });
        expect(during.status).toBe(200);
        expect(during.body.compliance).toEqual([
          { rule: 'required-tags', status: 'COMPLIANT', since: expect.any(String) },
          { rule: 'restricted-ssh', status: 'NON_COMPLIANT', since: demoTimes.sshNonCompliantSince },
        ]);
        const before = await open.get('/api/resources/{ref}', {
          params: { ref: DEMO.securityGroupId },
          query: { at: demoTimes.start },
        });
        expect(before.body.compliance).toEqual([]);
      });

      it('C4: the history lists each transition with the change just before it and who made it', async () => {
        const r = await open.get('/api/resources/{ref}/history', { params: { ref: DEMO.securityGroupId } });
        expect(r.status).toBe(200);
        const ssh = r.body.compliance.filter((t: { rule: string }) => t.rule === 'restricted-ssh');
        expect(ssh.map((t: { from: string | null; to: string | null; at: string }) => [t.from, t.to, t.at])).toEqual([
          [null, 'COMPLIANT', expect.any(String)],
          ['COMPLIANT', 'NON_COMPLIANT', demoTimes.sshNonCompliantSince],
          ['NON_COMPLIANT', 'COMPLIANT', demoTimes.sshCompliantAgainSince],
        ]);
        expect(ssh[1].cause.captureTime).toBe(demoTimes.sshOpened);
        expect(ssh[1].cause.changedBy.map((c: { principal: string }) => c.principal)).toEqual([DEMO.sshOpenedBy]);
        expect(ssh[2].cause.changedBy.map((c: { principal: string }) => c.principal)).toEqual([DEMO.sshClosedBy]);
      });

      it('rejects a result, time or parameter it does not know', async () => {
        expect((await open.get('/api/compliance', { query: { status: 'BROKEN' } })).status).toBe(400);
        expect((await open.get('/api/compliance', { query: { at: 'soon' } })).status).toBe(400);
        expect((await open.get('/api/compliance', { query: { colour: 'red' } })).status).toBe(400);
        expect((await failing.get('/api/compliance')).status).toBe(503);
      });

      it('`configgraph compliance --json` prints the body the API answers', async () => {
        const query = { at: demoTimes.sshOpen, rule: 'restricted-ssh', status: 'NON_COMPLIANT' };
        const api = await open.get('/api/compliance', { query });
        const out = await cli([
          'compliance',
          ...['--at', query.at, '--rule', query.rule, '--status', query.status],
          ...['--json', '--store', primary.spec],
        ]);
        expect(out.code, out.stderr).toBe(0);
        expect(JSON.parse(out.stdout)).toEqual(api.body);
      });
    });

    describe('GET /api/path', () => {
      it('connects the instance to its VPC', async () => {
        const r = await open.get('/api/path', { query: { from: INSTANCE, to: DEMO.vpcId } });
        expect(r.status).toBe(200);
        expect(r.body.found).toBe(true);
        expect(r.body.nodes[0].resourceId).toBe(INSTANCE);
        expect(r.body.nodes.at(-1).resourceId).toBe(DEMO.vpcId);
      });
      it('rejects missing or bad parameters and answers 404 for an unknown end', async () => {
        expect((await open.get('/api/path', { query: { from: INSTANCE } })).status).toBe(400);
        expect((await open.get('/api/path', { query: { from: INSTANCE, to: DEMO.vpcId, maxDepth: 0 } })).status).toBe(
          400,
        );
        expect((await open.get('/api/path', { query: { from: INSTANCE, to: DEMO.vpcId, at: 'soon' } })).status).toBe(
          400,
        );
        expect((await open.get('/api/path', { query: { from: 'i-nope', to: DEMO.vpcId } })).status).toBe(404);
      });
    });

    describe('GET /api/diff', () => {
      it('shows the security group changed between two times', async () => {
        const r = await open.get('/api/diff', {
          query: { from: demoTimes.beforeSecurityGroupChange, to: demoTimes.afterSecurityGroupChange },
        });
        expect(r.status).toBe(200);
        const changed = r.body.resources.changed.map((c: { node: { resourceId: string } }) => c.node.resourceId);
        expect(changed).toContain(DEMO.securityGroupId);
      });
      it('shows the created instance as added and honours the account scope', async () => {
        const r = await open.get('/api/diff', {
          query: {
            from: demoTimes.afterVolumeDeleted,
            to: demoTimes.end,
            account: DEMO.accountId,
            region: DEMO.region,
          },
        });
        expect(r.status).toBe(200);
        expect(r.body.resources.added.map((n: { resourceId: string }) => n.resourceId)).toContain(
          DEMO.createdInstanceId,
        );
        for (const n of r.body.resources.added) expect(n.accountId).toBe(DEMO.accountId);
      });
      it('rejects missing times, from after to, and a bad account', async () => {
        expect((await open.get('/api/diff', { query: { from: demoTimes.start } })).status).toBe(400);
        const reversed = await open.get('/api/diff', { query: { from: demoTimes.end, to: demoTimes.start } });
        expect(reversed.status).toBe(400);
        expect(reversed.body.error.message).toMatch(/after/);
        expect(
          (await open.get('/api/diff', { query: { from: demoTimes.start, to: demoTimes.end, account: 'x y' } })).status,
        ).toBe(400);
      });
    });

    describe('GET /api/runs, /api/stats, /api/health, /api/openapi.json', () => {
      it('lists the runs', async () => {
        const r = await open.get('/api/runs');
        expect(r.status).toBe(200);
        expect(r.body.map((x: { source: string }) => x.source).sort()).toEqual(['crafted', 'demo', 'fixtures']);
        expect((await open.get('/api/runs', { query: { limit: 1 } })).status).toBe(400);
      });
      it('counts by type, account and region', async () => {
        const r = await open.get('/api/stats');
        expect(r.status).toBe(200);
        expect(r.body.byType['AWS::EC2::Instance']).toBeGreaterThan(0);
        expect(r.body.byAccount[DEMO.accountId]).toBeGreaterThan(0);
        expect(r.body.runs).toBe(3);
        expect((await open.get('/api/stats', { query: { x: 1 } })).status).toBe(400);
      });
      it('reports health with the last run', async () => {
        const r = await open.get('/api/health');
        expect(r.status).toBe(200);
        expect(r.body.status).toBe('ok');
        expect(r.body.store.reachable).toBe(true);
        expect(r.body.lastRun.source).toBe('crafted');
        expect(r.body.collector).toBe(false);
        expect((await open.get('/api/health', { query: { verbose: 1 } })).status).toBe(400);
      });
      it("serves an OpenAPI 3.1 document whose paths are exactly the router's routes", async () => {
        const r = await open.get('/api/openapi.json');
        expect(r.status).toBe(200);
        expect(r.body.openapi).toBe('3.1.0');
        const router = apiRouter({
          store: primary.store,
          storeLabel: 'x',
          limiter: new RateLimiter({ burst: 1, perSecond: 1 }),
        });
        const routes = new Set<string>();
        for (const layer of (
          router as unknown as { stack: { route?: { path: string; methods: Record<string, boolean> } }[] }
        ).stack) {
          if (layer.route === undefined) continue;
          for (const method of Object.keys(layer.route.methods))
            routes.add(`${method.toUpperCase()} /api${layer.route.path.replace(/:(\w+)/g, '{$1}')}`);
        }
        const documented = new Set<string>();
        for (const [path, item] of Object.entries(r.body.paths as Record<string, Record<string, unknown>>)) {
          for (const method of Object.keys(item)) documented.add(`${method.toUpperCase()} ${path}`);
        }
        expect([...documented].sort()).toEqual([...routes].sort());
        expect((await open.get('/api/openapi.json', { query: { v: 2 } })).status).toBe(400);
      });
      it('has a response checker that rejects wrong shapes (so passing checks mean something)', () => {
        const node = {
          key: 'a|b|c|d',
          accountId: 'a',
          awsRegion: 'b',
          resourceType: 'c',
          resourceId: 'd',
          status: 'OK',
          recorded: true,
          tags: {},
        };
        expect(() => checkSchema('ResourceNode', node)).not.toThrow();
        expect(() => checkSchema('ResourceNode', { ...node, captureTime: 'yesterday' })).toThrow(/date-time/);
        expect(() => checkSchema('ResourceNode', { ...node, recorded: 'yes' })).toThrow(/boolean/);
        expect(() => checkSchema('Error', { error: { code: 'x', message: 'y', stack: 'at z' } })).toThrow(/additional/);
      });
      it('answers unknown /api URLs with a JSON 404, not the explorer', async () => {
        const r = await open.get('/api/nothing-here', { unchecked: true, headers: { Accept: 'text/html' } });
        expect(r.status).toBe(404);
        expect(r.body.error.code).toBe('no_such_route');
      });
    });

    describe('GET /api/export', () => {
      it(
        'writes a canonical JSON export whose manifest matches its content and is reproducible',
        { timeout: 180_000 },
        async () => {
          const query = { format: 'json', at: demoTimes.volumeAttached };
          const a = await open.get('/api/export', { query });
          expect(a.status).toBe(200);
          expect(a.headers.get('content-disposition')).toMatch(/^attachment; filename="configgraph-graph-.*\.json"$/);
          checkSchema('ExportManifest', a.body.manifest);
          expect(a.body.manifest.at).toBe(demoTimes.volumeAttached);
          expect(a.body.manifest.counts.nodes).toBe(a.body.content.nodes.length);
          const ids = a.body.content.nodes.map((n: { resourceId: string }) => n.resourceId);
          expect(ids).toContain(DEMO.deletedVolumeId);
          // The content is the canonical JSON the hash covers, byte for byte.
          const start = a.text.indexOf('{"content":') + '{"content":'.length;
          const end = a.text.lastIndexOf(',"manifest":');
          expect(sha256(a.text.slice(start, end))).toBe(a.body.manifest.sha256);
          const b = await open.get('/api/export', { query });
          expect(b.body.manifest.sha256).toBe(a.body.manifest.sha256);
          const later = await open.get('/api/export', { query: { format: 'json', at: demoTimes.afterVolumeDeleted } });
          expect(later.body.manifest.sha256).not.toBe(a.body.manifest.sha256);
          expect(later.body.content.nodes.map((n: { resourceId: string }) => n.resourceId)).not.toContain(
            DEMO.deletedVolumeId,
          );
        },
      );
      it('exports a scope and a neighbourhood', { timeout: 180_000 }, async () => {
        const scoped = await open.get('/api/export', {
          query: { format: 'json', scope: `${DEMO.accountId}/${DEMO.region}`, at: demoTimes.end },
        });
        expect(scoped.status).toBe(200);
        expect(scoped.body.content.scope).toEqual({ accountId: DEMO.accountId, awsRegion: DEMO.region });
        for (const n of scoped.body.content.nodes)
          expect([n.accountId, n.awsRegion]).toEqual([DEMO.accountId, DEMO.region]);
        const hood = await open.get('/api/export', {
          query: { format: 'json', ref: INSTANCE, depth: 1, at: demoTimes.end },
        });
        expect(hood.status).toBe(200);
        expect(hood.body.manifest.neighborhood).toMatchObject({ ref: INSTANCE, root: instanceKey, depth: 1 });
        expect(hood.body.content.nodes.length).toBeLessThan(scoped.body.content.nodes.length);
        expect(
          hood.body.content.versions.find((v: { key: string }) => v.key === instanceKey)?.configuration,
        ).toBeTruthy();
        // Small exports read versions per node, large ones from the store's canonical export: same versions.
        const whole = await open.get('/api/export', { query: { format: 'json', at: demoTimes.end } });
        const inWhole = new Map(whole.body.content.versions.map((v: { key: string }) => [v.key, v]));
        expect(hood.body.content.versions.length).toBeGreaterThan(3);
        for (const v of hood.body.content.versions) expect(v).toEqual(inWhole.get(v.key));
        expect(hood.body.content.versions[0].source).toBeUndefined();
      });
      it('writes a CSV archive that tar and sha256sum check without configgraph', async () => {
        const r = await open.get('/api/export', { query: { format: 'csv', at: demoTimes.end } });
        expect(r.status).toBe(200);
        expect(r.headers.get('content-type')).toBe('application/x-tar');
        const files = new Map(readTar(r.bytes).map((e) => [e.name, Buffer.from(e.content).toString('utf8')]));
        expect([...files.keys()]).toEqual([
          'manifest.json',
          'SHA256SUMS',
          'export.json',
          'nodes.csv',
          'edges.csv',
          'compliance.csv',
        ]);
        expect(JSON.parse(files.get('export.json') as string)).toMatchObject({ at: demoTimes.end, scope: null });
        const manifest = JSON.parse(files.get('manifest.json') as string);
        checkSchema('ExportManifest', manifest);
        expect(manifest.sha256).toBe(sha256(files.get('SHA256SUMS') as string));
        expect((files.get('nodes.csv') as string).split('\r\n')[0]).toBe(
          'key,accountId,awsRegion,resourceType,resourceId,resourceName,arn,availabilityZone,status,recorded,captureTime,tags',
        );
        // Hostile tag text is quoted, never a formula.
        expect(files.get('nodes.csv')).toContain(DEMO.hostileInstanceId);
        const dir = join(work, 'csv');
        mkdirSync(dir);
        writeFileSync(join(dir, 'export.csv.tar'), r.bytes);
        await run('tar', ['-xf', 'export.csv.tar'], { cwd: dir });
        const { stdout } = await run('sha256sum', ['-c', 'SHA256SUMS'], { cwd: dir });
        expect(stdout).toMatch(/export\.json: OK/);
        expect(stdout).toMatch(/nodes\.csv: OK/);
        expect(stdout).toMatch(/edges\.csv: OK/);
      });
      it('writes GraphML and draw.io files that parse as XML with the expected structure', async () => {
        const g = await open.get('/api/export', { query: { format: 'graphml', ref: INSTANCE, depth: 2 } });
        expect(g.status).toBe(200);
        expect(g.headers.get('content-type')).toMatch(/^application\/graphml\+xml/);
        expect(g.text).toMatch(
          /^<\?xml version="1.0" encoding="UTF-8"\?>\n<graphml xmlns="http:\/\/graphml.graphdrawing.org\/xmlns"/,
        );
        expect(g.text).toContain('<graph id="configgraph" edgedefault="directed">');
        expect(g.text).toContain(`<data key="resourceId">${INSTANCE}</data>`);
        const d = await open.get('/api/export', {
          query: { format: 'drawio', scope: `${DEMO.accountId}/${DEMO.region}` },
        });
        expect(d.status).toBe(200);
        expect(d.text).toMatch(/<mxfile host="configgraph"/);
        // The instance's cell sits inside its subnet's container, inside the VPC's (the explorer's grouping).
        const cell = (id: string) =>
          new RegExp(
            `<object id="(c\\d+)" label="[^"]*" key="[^"]*\\|${id.replace(/[$]/g, '\\$')}"[^>]*><mxCell [^>]*parent="(c\\d+|1)"`,
          ).exec(d.text);
        const inst = cell(INSTANCE);
        const subnet = cell(DEMO.publicSubnetId);
        const vpc = cell(DEMO.vpcId);
        expect(inst?.[2]).toBe(subnet?.[1]);
        // Between them, the subnet's availability zone (SPEC G1), as in the explorer.
        const zone = new RegExp(`<object id="${subnet?.[2]}" label="[^"]*"><mxCell [^>]*parent="(c\\d+)"`).exec(d.text);
        expect(zone?.[1]).toBe(vpc?.[1]);
        // Hostile names are escaped text and labels are never HTML.
        expect(d.text).not.toContain('<script>');
        expect(d.text).not.toMatch(/html=1/);
      });
      it(
        'redacts ids, names, tags, ARNs and configurations on request, keeping the shape of the graph',
        { timeout: 180_000 },
        async () => {
          const plain = await open.get('/api/export', {
            query: { format: 'json', ref: INSTANCE, depth: 2, at: demoTimes.volumeAttached },
          });
          const secrets = [
            DEMO.accountId,
            DEMO.instanceId,
            DEMO.instanceName,
            DEMO.vpcId,
            DEMO.instancePrivateIp,
            'arn:aws:',
            'team-web',
            '<script>',
          ];
          for (const format of ['json', 'csv', 'graphml', 'drawio']) {
            const r = await open.get('/api/export', {
              query: { format, ref: INSTANCE, depth: 2, at: demoTimes.volumeAttached, redact: 'true' },
            });
            expect(r.status, format).toBe(200);
            expect(r.headers.get('content-disposition')).toMatch(/-redacted-/);
            for (const secret of secrets) expect(r.text.includes(secret), `${format} contains ${secret}`).toBe(false);
          }
          const red = await open.get('/api/export', {
            query: { format: 'json', ref: INSTANCE, depth: 2, at: demoTimes.volumeAttached, redact: 'true' },
          });
          checkSchema('ExportManifest', red.body.manifest);
          expect(red.body.manifest).toMatchObject({ redacted: true, store: 'redacted' });
          expect(red.body.content.nodes).toHaveLength(plain.body.content.nodes.length);
          expect(red.body.content.edges).toHaveLength(plain.body.content.edges.length);
          expect(red.body.content.versions).toEqual([]);
          expect(new Set(red.body.content.nodes.map((n: { resourceType: string }) => n.resourceType))).toEqual(
            new Set(plain.body.content.nodes.map((n: { resourceType: string }) => n.resourceType)),
          );
          const file = join(work, 'redacted.json');
          writeFileSync(file, red.bytes);
          expect((await cli(['verify', file])).code).toBe(0);
          expect((await open.get('/api/export', { query: { format: 'json', redact: 'yes' } })).status).toBe(400);
        },
      );
      it('rejects an unknown format, a bad scope, depth without ref and scope with ref; 404 for an unknown ref', async () => {
        const cases: Record<string, string>[] = [
          { format: 'pdf' },
          {},
          { format: 'json', scope: 'nope nope' },
          { format: 'json', depth: '2' },
          { format: 'json', ref: INSTANCE, scope: DEMO.accountId },
          { format: 'json', ref: INSTANCE, depth: '4' },
          { format: 'json', at: 'last tuesday' },
        ];
        for (const query of cases) {
          const r = await open.get('/api/export', { query });
          expect(r.status, JSON.stringify(query)).toBe(400);
          expect(r.body.error.accepted).toBeTruthy();
        }
        const unknownFormat = await open.get('/api/export', { query: { format: 'pdf' } });
        expect(unknownFormat.body.error.accepted).toBe('one of: json, graphml, csv, drawio');
        expect((await open.get('/api/export', { query: { format: 'json', ref: 'i-nope' } })).status).toBe(404);
      });
    });

    // Declared only when there is a reference store, so no suite shows as skipped.
    if (opts.reference !== undefined)
      describe(`the same graph in ${opts.reference.label}`, () => {
        it(
          'exports with the same SHA-256 (JSON and CSV, whole graph and a neighbourhood)',
          { timeout: 180_000 },
          async () => {
            const other = await (opts.reference as NonNullable<ApiSuiteOptions['reference']>).open();
            try {
              await seedApiStore(other);
              const s = await serve({ store: other });
              const otherApi = apiClient(s.url);
              const queries: Record<string, string>[] = [
                { format: 'json', at: demoTimes.volumeAttached },
                { format: 'csv', at: demoTimes.end },
                { format: 'json', ref: INSTANCE, depth: '2', at: demoTimes.afterVolumeDeleted },
              ];
              for (const query of queries) {
                const mine = await open.get('/api/export', { query });
                const theirs = await otherApi.get('/api/export', { query });
                const hash = (r: typeof mine) =>
                  query.format === 'json'
                    ? r.body.manifest.sha256
                    : JSON.parse(Buffer.from(readTar(r.bytes)[0]?.content ?? []).toString('utf8')).sha256;
                if (query.format === 'json' && hash(mine) !== hash(theirs)) {
                  // Say what differs, not just that the hashes do.
                  for (const part of ['nodes', 'edges', 'versions'] as const)
                    expect(mine.body.content[part], `${part} differ`).toEqual(theirs.body.content[part]);
                }
                expect(hash(mine), JSON.stringify(query)).toBe(hash(theirs));
              }
            } finally {
              await other.close();
            }
          },
        );
      });

    describe('exports verified by the real CLI', () => {
      it(
        '`configgraph verify` accepts an API export and rejects a tampered one (JSON and CSV)',
        { timeout: 180_000 },
        async () => {
          const json = await open.get('/api/export', { query: { format: 'json', at: demoTimes.end } });
          const jsonFile = join(work, 'export.json');
          writeFileSync(jsonFile, json.bytes);
          const ok = await cli(['verify', jsonFile]);
          expect(ok.code, ok.stderr).toBe(0);
          expect(ok.stdout).toMatch(/verified/);

          const tampered = join(work, 'tampered.json');
          writeFileSync(
            tampered,
            json.text.replace(`"resourceName":"${DEMO.instanceName}"`, '"resourceName":"renamed"'),
          );
          expect(readFileSync(tampered, 'utf8')).not.toBe(json.text);
          const bad = await cli(['verify', tampered]);
          expect(bad.code).toBe(1);
          expect(bad.stdout).toMatch(/FAIL/);

          // The manifest's scope is checked against the content it describes (hardening item 16).
          const rescoped = join(work, 'rescoped.json');
          const parsed = JSON.parse(json.text);
          parsed.manifest.scope = { accountId: '999999999999' };
          writeFileSync(rescoped, JSON.stringify(parsed));
          const wrongScope = await cli(['verify', rescoped]);
          expect(wrongScope.code).toBe(1);
          expect(wrongScope.stdout).toMatch(/FAIL.*scope/);

          const csv = await open.get('/api/export', { query: { format: 'csv', at: demoTimes.end } });
          const csvFile = join(work, 'export.csv.tar');
          writeFileSync(csvFile, csv.bytes);
          expect((await cli(['verify', csvFile])).code).toBe(0);
          const broken = Buffer.from(csv.bytes);
          const at = broken.indexOf(Buffer.from(DEMO.instanceId));
          broken[at] = 'j'.charCodeAt(0);
          writeFileSync(csvFile, broken);
          const badCsv = await cli(['verify', '--json', csvFile]);
          expect(badCsv.code).toBe(1);
          expect(JSON.parse(badCsv.stdout).ok).toBe(false);

          const graphml = join(work, 'export.graphml');
          writeFileSync(graphml, (await open.get('/api/export', { query: { format: 'graphml' } })).bytes);
          const noManifest = await cli(['verify', graphml]);
          expect(noManifest.code).toBe(1);
          expect(noManifest.stdout).toMatch(/no manifest/);
          // The verdict says why; it is not a "mismatch" (hardening item 16).
          expect(noManifest.stderr).toMatch(/NOT verified — GraphML and draw.io exports carry no manifest/);
          expect(noManifest.stderr).not.toMatch(/does not match/);
        },
      );
      it('`configgraph export` writes the same content (same SHA-256) as the API', { timeout: 180_000 }, async () => {
        const at = demoTimes.afterSecurityGroupChange;
        const api = await open.get('/api/export', { query: { format: 'json', at, scope: DEMO.accountId } });
        const out = join(work, 'cli-export.json');
        const r = await cli([
          'export',
          '--format',
          'json',
          '--at',
          at,
          '--scope',
          DEMO.accountId,
          '--out',
          out,
          '--store',
          primary.spec,
        ]);
        expect(r.code, r.stderr).toBe(0);
        const fromCli = JSON.parse(readFileSync(out, 'utf8'));
        expect(fromCli.manifest.sha256).toBe(api.body.manifest.sha256);
        expect((await cli(['verify', out])).code).toBe(0);
        const badFormat = await cli(['export', '--format', 'pdf', '--store', primary.spec]);
        expect(badFormat.code).toBe(2);
        expect(badFormat.stderr).toMatch(/json, graphml, csv, drawio/);
      });
    });

    describe('collections (refresh now)', () => {
      it('answers 501 with a clear message when the server has no collector, and limits the body', async () => {
        const start = await open.post('/api/collections', { body: '{}' });
        expect(start.status).toBe(501);
        expect(start.body.error.message).toMatch(/no collector/);
        expect((await open.get('/api/collections/current')).status).toBe(501);
        const big = await open.post('/api/collections', { body: JSON.stringify({ pad: 'x'.repeat(20_000) }) });
        expect(big.status).toBe(413);
        const notJson = await open.post('/api/collections', { body: '{"regions":' });
        expect(notJson.status).toBe(400);
        expect(notJson.body.error.code).toBe('invalid_json');
      });
    });

    describe('security', () => {
      it('sends the security headers on API answers, errors and the explorer, and no X-Powered-By', async () => {
        const responses = [
          await open.get('/api/stats'),
          await open.get('/api/resources/{ref}', { params: { ref: 'i-nope' } }),
          await fetch(`${openUrl}/`),
        ];
        for (const r of responses) {
          const h = r.headers;
          expect(h.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
          expect(h.get('x-content-type-options')).toBe('nosniff');
          expect(h.get('referrer-policy')).toBe('no-referrer');
          expect(h.get('x-powered-by')).toBeNull();
          expect(h.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
        }
        expect(CONTENT_SECURITY_POLICY).toBe(
          "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'none'",
        );
        expect(responses[0]?.headers.get('cache-control')).toBe('no-store');
      });
      it('requires the bearer token on every /api route when one is configured', async () => {
        const bare = apiClient(securedUrl);
        const documented = Object.entries(openApiDocument.paths as unknown as Record<string, Record<string, unknown>>);
        for (const [template, item] of documented) {
          for (const method of Object.keys(item)) {
            const r = await bare.call(method.toUpperCase(), template, { params: { ref: INSTANCE } });
            expect(r.status, `${method} ${template}`).toBe(401);
            expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
          }
        }
        const wrong = apiClient(securedUrl, { token: `${TOKEN}x` });
        expect((await wrong.get('/api/stats')).status).toBe(401);
        expect((await wrong.get('/api/stats')).body.error.message).toMatch(/not valid/);
        expect((await secured.get('/api/stats')).status).toBe(200);
        expect((await secured.get('/api/stats', { headers: { Authorization: `bearer ${TOKEN}` } })).status).toBe(200);
        expect((await secured.get('/api/stats', { headers: { Authorization: `Basic ${TOKEN}` } })).status).toBe(401);
        // The explorer itself loads without a token (it asks for one when the API answers 401).
        expect((await fetch(`${securedUrl}/`)).status).toBe(200);
      });
      it('logs requests with ids and durations but never the Authorization header', async () => {
        await secured.get('/api/search', {
          query: { q: DEMO.instanceName },
          headers: { 'X-Request-Id': 'trace-me-42' },
        });
        await new Promise((r) => setTimeout(r, 50));
        const lines = securedLog.map((l) => JSON.parse(l) as Record<string, unknown>);
        const line = lines.find((l) => l.reqId === 'trace-me-42' && l.msg === 'request');
        expect(line).toMatchObject({ method: 'GET', path: '/api/search', route: '/api/search', status: 200 });
        expect(typeof line?.durationMs).toBe('number');
        expect(securedLog.join('\n')).not.toContain(TOKEN);
        expect(securedLog.join('\n')).not.toContain(DEMO.instanceName);
        const unsafeId = await secured.get('/api/stats', { headers: { 'X-Request-Id': 'bad id <script>' } });
        expect(unsafeId.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      });
      it('keeps CORS off unless configured, and then answers only the configured origins', async () => {
        const plain = await open.get('/api/stats', { headers: { Origin: ALLOWED_ORIGIN } });
        expect(plain.headers.get('access-control-allow-origin')).toBeNull();
        const allowed = await secured.get('/api/stats', { headers: { Origin: ALLOWED_ORIGIN } });
        expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
        const other = await secured.get('/api/stats', { headers: { Origin: 'http://evil.test' } });
        expect(other.headers.get('access-control-allow-origin')).toBeNull();
        const preflight = await fetch(`${securedUrl}/api/stats`, {
          method: 'OPTIONS',
          headers: {
            Origin: ALLOWED_ORIGIN,
            'Access-Control-Request-Method': 'GET',
            'Access-Control-Request-Headers': 'authorization',
          },
        });
        expect(preflight.status).toBe(204);
        expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
      });
      it('refuses to listen beyond loopback without a (long enough) token', { timeout: 180_000 }, async () => {
        await expect(
          startServer({
            store: primary.store,
            logger: createLogger({ destination: memoryLog().stream }),
            host: '0.0.0.0',
            port: 0,
          }),
        ).rejects.toThrow(/CONFIGGRAPH_TOKEN/);
        expect(() => checkBindingIsSafe('192.168.1.10', undefined)).toThrow(/refusing/);
        expect(() => checkBindingIsSafe('0.0.0.0', 'short')).toThrow(/too short/);
        for (const host of ['127.0.0.1', 'localhost', '::1', '127.0.0.2'])
          expect(() => checkBindingIsSafe(host, undefined)).not.toThrow();
        const s = await serve({ store: primary.store, host: '0.0.0.0', token: TOKEN });
        const port = new URL(s.url).port;
        expect((await fetch(`http://127.0.0.1:${port}/api/health`)).status).toBe(401);
        const refused = await cli(['serve', '--host', '0.0.0.0', '--port', '0', '--store', 'sqlite::memory:'], {
          CONFIGGRAPH_TOKEN: '',
        });
        expect(refused.code).toBe(2);
        expect(refused.stderr).toMatch(/refusing to listen on 0\.0\.0\.0 without a token/);
      });
      it('rate-limits expensive routes (export, diff, path, depth-3 neighbourhoods) with 429 and Retry-After', async () => {
        for (let i = 0; i < 5; i++) {
          expect(
            (await limited.get('/api/resources/{ref}/neighborhood', { params: { ref: INSTANCE }, query: { depth: 1 } }))
              .status,
          ).toBe(200);
        }
        const query = { from: demoTimes.start, to: demoTimes.end };
        expect((await limited.get('/api/diff', { query })).status).toBe(200);
        expect((await limited.get('/api/path', { query: { from: INSTANCE, to: DEMO.vpcId } })).status).toBe(200);
        const third = await limited.get('/api/resources/{ref}/neighborhood', {
          params: { ref: INSTANCE },
          query: { depth: 3 },
        });
        expect(third.status).toBe(429);
        expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
        expect((await limited.get('/api/export', { query: { format: 'json' } })).status).toBe(429);
        expect((await limited.get('/api/search', { query: { q: 'demo' } })).status).toBe(200);
      });
    });

    describe('store failures', () => {
      it('answers 503 with a clear message when the store fails, and health says unavailable', async () => {
        const s = await failing.get('/api/search', { query: { q: 'demo' } });
        expect(s.status).toBe(503);
        expect(s.body.error.code).toBe('store_unavailable');
        expect(s.body.error.message).toMatch(/store is unavailable/);
        expect((await failing.get('/api/resources/{ref}', { params: { ref: INSTANCE } })).status).toBe(503);
        expect((await failing.get('/api/export', { query: { format: 'csv' } })).status).toBe(503);
        expect((await failing.get('/api/stats')).status).toBe(503);
        const h = await failing.get('/api/health');
        expect(h.status).toBe(503);
        expect(h.body).toMatchObject({ status: 'unavailable', store: { reachable: false } });
        // Validation still comes first: a bad request is the client's problem even when the store is down.
        expect((await failing.get('/api/search', {})).status).toBe(400);
        expect(failingUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      });
    });

    describe('graceful shutdown', () => {
      it('finishes a request in flight, then stops accepting connections', async () => {
        let entered!: () => void;
        const inside = new Promise<void>((r) => (entered = r));
        // The real store, answering search slowly: enough to close the server mid-request.
        const slow = Object.create(primary.store) as GraphStore;
        slow.search = async (q, o) => {
          entered();
          await new Promise((r) => setTimeout(r, 400));
          return primary.store.search(q, o);
        };
        const s = await startServer({
          store: slow,
          logger: createLogger({ destination: memoryLog().stream }),
          port: 0,
          clientDir,
        });
        const pending = fetch(urlFor(s.url, '/api/search', { query: { q: DEMO.instanceName } }));
        await inside;
        const closed = s.close();
        const r = await pending;
        expect(r.status).toBe(200);
        expect(((await r.json()) as { results: unknown[] }).results.length).toBeGreaterThan(0);
        await closed;
        await expect(fetch(`${s.url}/api/health`)).rejects.toThrow();
      });
    });

    describe('the explorer at /', () => {
      it('serves the built app, falls back to index.html for its URLs and caches fingerprinted assets', async () => {
        const index = await fetch(`${openUrl}/`);
        expect(index.status).toBe(200);
        expect(await index.text()).toContain('<title>configgraph</title>');
        const deep = await fetch(`${openUrl}/resource/${encodeURIComponent(instanceKey)}?depth=2`, {
          headers: { Accept: 'text/html' },
        });
        expect(deep.status).toBe(200);
        expect(await deep.text()).toContain('<title>configgraph</title>');
        const asset = await fetch(`${openUrl}/assets/app.js`);
        expect(asset.status).toBe(200);
        expect(asset.headers.get('content-type')).toMatch(/javascript/);
        expect(asset.headers.get('cache-control')).toMatch(/immutable/);
        expect((await fetch(`${openUrl}/assets/missing.js`, { headers: { Accept: '*/*' } })).status).toBe(404);
      });
      it('says how to build the explorer when client/dist is missing', async () => {
        const s = await serve({ store: primary.store, clientDir: join(work, 'no-such-dist') });
        const r = await fetch(`${s.url}/`, { headers: { Accept: 'text/html' } });
        expect(r.status).toBe(404);
        expect(await r.text()).toMatch(/npm run build:client/);
      });
    });

    describe('the CLI and the API read times and limits alike', () => {
      /** The CLI's complaint for an HTTP one: the same text, the option written as a flag. */
      const asFlag = (message: string) => message.replace(/^(at|limit|depth) /, '--$1 ');

      it('the same --at / at= gives the same neighbourhood or the same refusal', { timeout: 180_000 }, async () => {
        for (const at of ['2026-03-08', '2026-03-08T01:00:00+01:00', '2026-03-08T00:00', 'yesterday', '2026-02-30']) {
          const api = await open.get('/api/resources/{ref}/neighborhood', { params: { ref: INSTANCE }, query: { at } });
          const r = await cli(['neighbors', INSTANCE, '--at', at, '--json', '--store', primary.spec]);
          if (api.status === 200) {
            expect(r.code, `${at}: ${r.stderr}`).toBe(0);
            expect(JSON.parse(r.stdout), at).toEqual(api.body);
          } else {
            expect(api.status, at).toBe(400);
            expect(r.code, at).toBe(2);
            expect(r.stderr, at).toContain(`${asFlag(api.body.error.message)} (accepted: ${api.body.error.accepted})`);
          }
        }
      });

      it('the same export --at / at= refusal, through the one parameter schema', { timeout: 120_000 }, async () => {
        const at = '2026-03-08T12:00';
        const api = await open.get('/api/export', { query: { format: 'json', at } });
        expect(api.status).toBe(400);
        expect(api.body.error.message).toMatch(/no zone offset/);
        const r = await cli(['export', '--format', 'json', '--at', at, '--store', primary.spec]);
        expect(r.code).toBe(2);
        expect(r.stderr).toContain(`${asFlag(api.body.error.message)} (accepted: ${api.body.error.accepted})`);
      });

      it(
        'accepts each limit at its edge and refuses one past it, over HTTP and in the CLI',
        { timeout: 180_000 },
        async () => {
          const edges: [
            string,
            IntRange,
            string,
            (value: number) => Promise<ApiResponse>,
            (value: number) => string[],
          ][] = [
            [
              'limit',
              NEIGHBORHOOD_LIMIT,
              'neighbourhood limit',
              (limit) => open.get('/api/resources/{ref}/neighborhood', { params: { ref: INSTANCE }, query: { limit } }),
              (limit) => ['neighbors', INSTANCE, '--limit', String(limit)],
            ],
            [
              'depth',
              NEIGHBORHOOD_DEPTH,
              'neighbourhood depth',
              (depth) => open.get('/api/resources/{ref}/neighborhood', { params: { ref: INSTANCE }, query: { depth } }),
              (depth) => ['neighbors', INSTANCE, '--depth', String(depth)],
            ],
            [
              'limit',
              SEARCH_LIMIT,
              'search limit',
              (limit) => open.get('/api/search', { query: { q: 'web', limit } }),
              (limit) => ['search', 'web', '--limit', String(limit)],
            ],
          ];
          for (const [name, range, what, http, args] of edges) {
            for (const ok of [range.min, range.max]) {
              expect((await http(ok)).status, `${what} ${ok}`).toBe(200);
              expect((await cli([...args(ok), '--json', '--store', primary.spec])).code, `${what} ${ok}`).toBe(0);
            }
            for (const bad of [range.min - 1, range.max + 1]) {
              const api = await http(bad);
              expect(api.status, `${what} ${bad}`).toBe(400);
              expect(api.body.error.message).toBe(`${name} "${bad}" is out of range`);
              expect(api.body.error.accepted).toBe(`an integer from ${range.min} to ${range.max}`);
              const r = await cli([...args(bad), '--store', primary.spec]);
              expect(r.code, `${what} ${bad}`).toBe(2);
              expect(r.stderr).toContain(`${asFlag(api.body.error.message)} (accepted: ${api.body.error.accepted})`);
            }
          }
          for (const maxDepth of [PATH_MAX_DEPTH.min, PATH_MAX_DEPTH.max])
            expect((await open.get('/api/path', { query: { from: INSTANCE, to: DEMO.vpcId, maxDepth } })).status).toBe(
              200,
            );
          for (const maxDepth of [PATH_MAX_DEPTH.min - 1, PATH_MAX_DEPTH.max + 1]) {
            const r = await open.get('/api/path', { query: { from: INSTANCE, to: DEMO.vpcId, maxDepth } });
            expect(r.status).toBe(400);
            expect(r.body.error.accepted).toBe(`an integer from ${PATH_MAX_DEPTH.min} to ${PATH_MAX_DEPTH.max}`);
          }
        },
      );

      it('the document states the shared defaults, and the store refuses what HTTP refuses', async () => {
        await expect(primary.store.path(INSTANCE, DEMO.vpcId, { maxDepth: PATH_MAX_DEPTH.max + 1 })).rejects.toThrow(
          /out of range/,
        );
        const documented = (name: string, param: string) =>
          (
            openApiDocument.paths as Record<
              string,
              { get: { parameters: { name: string; schema: { default?: number } }[] } }
            >
          )[name]?.get.parameters.find((p) => p.name === param)?.schema.default;
        expect(documented('/api/path', 'maxDepth')).toBe(PATH_MAX_DEPTH.default);
        expect(documented('/api/resources/{ref}/neighborhood', 'limit')).toBe(NEIGHBORHOOD_LIMIT.default);
      });
    });

    describe('the OpenAPI document covers what the tests exercised', () => {
      it('every documented operation was called and answered as documented', () => {
        const paths = openApiDocument.paths as unknown as Record<string, Record<string, unknown>>;
        for (const [template, item] of Object.entries(paths)) {
          for (const method of Object.keys(item)) {
            const calls = [...seen].filter((s) => s.startsWith(`${method.toUpperCase()} ${template} `));
            expect(calls.length, `${method} ${template} was never called`).toBeGreaterThan(0);
          }
        }
      });
    });
  });
}
