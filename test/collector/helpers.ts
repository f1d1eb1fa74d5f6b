// Shared set-up for collector tests: fake credentials in the environment (the SDK's default chain
// picks them up; tests assert they never leak), a temp checkpoint folder, a SQLite store.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../graph/stores/sqlite/index.ts';
import type { GraphStore } from '../../graph/store.ts';
import { collect } from '../../server/collect/collector.ts';
import type { CollectOptions } from '../../server/collect/options.ts';

export const FAKE_KEY_ID = 'AKIAFAKECOLLECTORTEST';
export const FAKE_SECRET = 'fAkeSecret/collector+test/doNotLeak0123456789';

export function useFakeCredentials(): void {
  process.env.AWS_ACCESS_KEY_ID = FAKE_KEY_ID;
  process.env.AWS_SECRET_ACCESS_KEY = FAKE_SECRET;
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_ENDPOINT_URL;
  process.env.AWS_CONFIG_FILE = '/nonexistent/aws-config';
  process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/aws-credentials';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
}

export function tempDir(prefix = 'configgraph-collect-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Everything under a folder, concatenated (to search checkpoints for secrets). */
export function readAll(dir: string): string {
  let out = '';
  for (const f of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (f.isFile()) out += readFileSync(join(f.parentPath, f.name), 'utf8');
  }
  return out;
}

export interface Harness {
  store: GraphStore;
  logs: string[];
  checkpointDir: string;
  run(extra?: Partial<CollectOptions>): ReturnType<typeof collect>;
  cleanup(): Promise<void>;
}

/** A store plus a collector bound to `endpointUrl`, with fast retry timings. */
export function harness(endpointUrl: string, base: Partial<CollectOptions> = {}): Harness {
  const dir = tempDir();
  const store = openSqliteStore(':memory:');
  const logs: string[] = [];
  return {
    store,
    logs,
    checkpointDir: dir.path,
    run: (extra = {}) =>
      collect(store, {
        regions: ['us-east-1'],
        endpointUrl,
        checkpointDir: dir.path,
        retryBaseMs: 5,
        maxAttempts: 3,
        log: (l) => logs.push(l),
        // The endpoint is local: keep the limiter's adaptive behaviour but not its real-world pace.
        rateLimits: { default: { perSecond: 2000, burst: 200 } },
        now: new Date('2021-06-01T00:00:00Z'),
        ...base,
        ...extra,
      }),
    cleanup: async () => {
      await store.close();
      dir.remove();
    },
  };
}
