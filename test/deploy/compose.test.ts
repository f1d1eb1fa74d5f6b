// docker-compose.yml is for users, and no Docker engine runs here; but Compose checks and resolves a file
// without one (`config`). This holds the file to what the README and its own comments promise: it is valid,
// refuses to start without a Neo4j password or an API token, and publishes every port on loopback only.
// Debian's `docker-compose` (installed by .ci/run) or the `docker compose` plugin does the checking.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

/** The Compose command this machine has, if any: the plugin first, then the standalone one. */
function composeCommand(): string[] | undefined {
  const ok = (cmd: string[]) => spawnSync(cmd[0]!, [...cmd.slice(1), 'version'], { encoding: 'utf8' }).status === 0;
  if (ok(['docker', 'compose'])) return ['docker', 'compose'];
  if (ok(['docker-compose'])) return ['docker-compose'];
  return undefined;
}

const compose = composeCommand();
if (compose === undefined) {
  const why = 'neither `docker compose` nor `docker-compose` is installed (apt-get install docker-compose)';
  if (process.env.CI === 'true') throw new Error(`Compose is required in CI: ${why}`);
  console.warn(`\n*** docker-compose.yml checks SKIPPED: ${why} ***\n`);
}

function config(env: Record<string, string>, args: string[] = []) {
  const [cmd, ...pre] = compose!;
  const base = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' };
  const r = spawnSync(
    cmd!,
    [...pre, '--project-directory', ROOT, '-f', join(ROOT, 'docker-compose.yml'), 'config', ...args],
    {
      cwd: ROOT,
      env: { ...base, ...env },
      encoding: 'utf8',
    },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const SECRETS = { NEO4J_PASSWORD: 'a-password-1', CONFIGGRAPH_TOKEN: 'a-token-of-the-test' };

describe.skipIf(compose === undefined)(
  `docker-compose.yml${compose === undefined ? ' [SKIPPED: no Compose]' : ''}`,
  () => {
    it('is valid, with the Neo4j and configgraph services', () => {
      const r = config(SECRETS, ['--services']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout.split('\n').filter(Boolean).sort()).toEqual(['configgraph', 'neo4j']);
    });

    it('wires configgraph to Neo4j with the password given, and publishes every port on loopback only', () => {
      const r = config(SECRETS);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('NEO4J_URI: bolt://neo4j:7687');
      expect(r.stdout).toContain(`NEO4J_AUTH: neo4j/${SECRETS.NEO4J_PASSWORD}`);
      expect(r.stdout).toContain(`CONFIGGRAPH_TOKEN: ${SECRETS.CONFIGGRAPH_TOKEN}`);
      const published = [...r.stdout.matchAll(/^\s*-\s*(?:published:\s*)?"?([\d.]+:\d+:\d+(?:\/tcp)?)"?\s*$/gm)].map(
        (m) => m[1],
      );
      const longForm = [...r.stdout.matchAll(/host_ip:\s*(\S+)/g)].map((m) => m[1]);
      expect(published.length + longForm.length).toBe(3);
      for (const p of published) expect(p).toMatch(/^127\.0\.0\.1:/);
      for (const ip of longForm) expect(ip).toBe('127.0.0.1');
    });

    it('refuses to resolve without a Neo4j password or an API token, saying which', () => {
      const noPassword = config({ CONFIGGRAPH_TOKEN: SECRETS.CONFIGGRAPH_TOKEN });
      expect(noPassword.code).not.toBe(0);
      expect(noPassword.stderr).toContain('set NEO4J_PASSWORD');
      const noToken = config({ NEO4J_PASSWORD: SECRETS.NEO4J_PASSWORD });
      expect(noToken.code).not.toBe(0);
      expect(noToken.stderr).toContain('set CONFIGGRAPH_TOKEN');
    });
  },
);
