// Fault trials: `kill -9` the real `configgraph import` at random points, then check the store and
// re-import. Each trial must leave a store that opens and is consistent (SQLite: integrity_check; both:
// `stats` answers, no run left "running" without its data) and, after importing the same files again,
// holds exactly the graph of a clean import (same SHA-256 of the JSON export's canonical content).
//
//   tsx bench/fault-trials.ts [--store sqlite|neo4j] [--trials 20] [--size small|medium] [--seed TEXT]
//
// Neo4j: set NEO4J_URI (and NEO4J_USER/NEO4J_PASSWORD) to a server whose database may be emptied, e.g.
// one started with `npm run neo4j`. Bounded: N trials, each at most two imports and two exports.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import neo4j from 'neo4j-driver';
import { deliveryFiles, generateEnvironment, isSizeName, SIZES, writeDeliveryFiles } from '../world/generator/index.ts';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'configgraph.js');

const { values } = parseArgs({
  options: {
    store: { type: 'string', default: 'sqlite' },
    trials: { type: 'string', default: '20' },
    size: { type: 'string', default: 'small' },
    seed: { type: 'string', default: 'fault-trials' },
  },
});
const kind = values.store;
const trials = Number(values.trials);
const size = values.size ?? 'small';
if ((kind !== 'sqlite' && kind !== 'neo4j') || !Number.isInteger(trials) || trials < 1 || !isSizeName(size)) {
  console.error('usage: tsx bench/fault-trials.ts [--store sqlite|neo4j] [--trials N] [--size small|medium|large]');
  process.exit(2);
}
if (kind === 'neo4j' && !process.env.NEO4J_URI) {
  console.error('--store neo4j needs NEO4J_URI (start one with `npm run neo4j`); its database is emptied');
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), 'configgraph-faults-'));
const filesDir = join(work, 'files');
const env = generateEnvironment({ ...SIZES[size], seed: values.seed ?? 'fault-trials' });
writeDeliveryFiles(filesDir, deliveryFiles(env.items));
const at = env.end;

function cli(args: string[], spec: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args, '--store', spec], { encoding: 'utf8', env: process.env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The SHA-256 of the graph as of `at`, from a real JSON export (manifest.sha256 covers the content). */
function graphHash(spec: string): string {
  const out = join(work, 'export.json');
  const r = cli(['export', '--format', 'json', '--at', at, '--out', out], spec);
  if (r.code !== 0) throw new Error(`export failed: ${r.stderr}`);
  return (JSON.parse(readFileSync(out, 'utf8')) as { manifest: { sha256: string } }).manifest.sha256;
}

async function emptyNeo4j(): Promise<void> {
  const driver = neo4j.driver(
    process.env.NEO4J_URI!,
    process.env.NEO4J_USER ? neo4j.auth.basic(process.env.NEO4J_USER, process.env.NEO4J_PASSWORD ?? '') : undefined,
  );
  // CALL … IN TRANSACTIONS needs an auto-commit transaction: session.run, not executeQuery.
  const session = driver.session();
  try {
    await session.run('MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS');
  } finally {
    await session.close();
    await driver.close();
  }
}

let trialNo = 0;
async function freshSpec(): Promise<string> {
  trialNo += 1;
  if (kind === 'neo4j') {
    await emptyNeo4j();
    return process.env.NEO4J_URI!;
  }
  return `sqlite:${join(work, `trial-${trialNo}.db`)}`;
}

/** Starts an import and kills it with SIGKILL after `afterMs`; resolves with how it ended. */
function killedImport(spec: string, afterMs: number): Promise<'killed' | 'finished'> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, 'import', filesDir, '--store', spec], { stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), afterMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      done(signal === 'SIGKILL' ? 'killed' : code === 0 ? 'finished' : 'killed');
    });
  });
}

/** What a store looks like right after the kill: it must open, answer and be internally consistent. */
function checkConsistent(spec: string): string[] {
  const problems: string[] = [];
  // A kill before the file was created leaves nothing, which is consistent.
  if (spec.startsWith('sqlite:') && existsSync(spec.slice('sqlite:'.length))) {
    const db = new Database(spec.slice('sqlite:'.length), { readonly: true, fileMustExist: true });
    try {
      const result = db.pragma('integrity_check', { simple: true });
      if (result !== 'ok') problems.push(`integrity_check: ${String(result)}`);
    } catch (e) {
      problems.push((e as Error).message);
    } finally {
      db.close();
    }
  }
  const stats = cli(['stats', '--json'], spec);
  if (stats.code !== 0) problems.push(`stats failed: ${stats.stderr.trim()}`);
  const runs = cli(['runs', '--json'], spec);
  if (runs.code === 0) {
    const list = JSON.parse(runs.stdout) as { status: string }[] | { runs: { status: string }[] };
    const records = Array.isArray(list) ? list : list.runs;
    if (records.some((r) => r.status === 'running')) problems.push('a run is left "running"');
  }
  return problems;
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const refSpec = await freshSpec();
  const ref = cli(['import', filesDir], refSpec);
  if (ref.code !== 0) throw new Error(`reference import failed: ${ref.stderr}`);
  const importMs = performance.now() - t0;
  const reference = graphHash(refSpec);
  console.log(
    `fault trials — ${kind}, ${env.items.length} CIs (${size}), reference import ${(importMs / 1000).toFixed(1)} s, ` +
      `sha256 ${reference.slice(0, 16)}…`,
  );
  console.log('trial  kill after  ended     consistent  equal after re-import');
  let failures = 0;
  for (let i = 1; i <= trials; i++) {
    const spec = await freshSpec();
    // Spread the kills over the whole import, start-up (CLI loading) included.
    const afterMs = Math.round(importMs * (0.1 + (0.9 * i) / trials) * (0.8 + 0.4 * Math.random()));
    const ended = await killedImport(spec, afterMs);
    const problems = checkConsistent(spec);
    const again = cli(['import', filesDir], spec);
    const equal = again.code === 0 && graphHash(spec) === reference;
    if (problems.length > 0 || !equal) failures += 1;
    console.log(
      `${String(i).padStart(5)}  ${String(afterMs).padStart(7)} ms  ${ended.padEnd(8)}  ${problems.length === 0 ? 'yes' : `NO (${problems.join('; ')})`}`.padEnd(
        48,
      ) +
        `  ${equal ? 'yes' : `NO${again.code !== 0 ? ` (re-import failed: ${again.stderr.trim().slice(0, 200)})` : ''}`}`,
    );
    if (kind === 'sqlite') rmSync(spec.slice('sqlite:'.length), { force: true });
  }
  console.log(`${trials - failures} of ${trials} trials consistent and equal after re-import`);
  rmSync(work, { recursive: true, force: true });
  process.exitCode = failures === 0 ? 0 : 1;
}

await main();
