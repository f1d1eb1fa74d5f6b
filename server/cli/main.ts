// The `configgraph` command: finds the subcommand, parses its flags once, maps errors to exit codes.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AmbiguousRefError, InvalidInputError, NotFoundError, StoreUnavailableError } from '../../graph/errors.ts';
import type { CliCommand, CliIo } from './command.ts';
import { COMMON_OPTIONS } from './common.ts';
import { EXIT } from './exit.ts';
import { COMMANDS } from './registry.ts';
import { quietOnClosedPipe, safeStdout } from './terminal.ts';

/** The version in package.json, read when asked (one file, no import of the package). */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'usage: configgraph <command> [options]',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'common options: --store sqlite:PATH | neo4j://HOST:7687 (or CONFIGGRAPH_STORE / NEO4J_URI), --json, --help',
    'run `configgraph <command> --help` for a command’s options',
  ].join('\n');
}

function commandHelp(c: CliCommand): string {
  const opts = Object.entries({ ...c.options, ...COMMON_OPTIONS }).map(
    ([name, o]) =>
      `  --${name}${o.type === 'string' ? ' VALUE' : ''}${'multiple' in o && o.multiple ? ' (repeatable)' : ''}`,
  );
  return [`usage: configgraph ${c.usage}`, '', c.summary, '', 'options:', ...opts].join('\n');
}

export async function main(
  argv: string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env },
): Promise<number> {
  if (io.stdout === process.stdout) quietOnClosedPipe(process.stdout);
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(`${usage()}\n`);
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === '--version') {
    io.stdout.write(`configgraph ${packageVersion()}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`configgraph: unknown command "${name}"\n\n${usage()}\n`);
    return EXIT.usage;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...COMMON_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    io.stderr.write(`configgraph ${name}: ${(e as Error).message}\n\n${commandHelp(command)}\n`);
    return EXIT.usage;
  }
  if (parsed.values.help) {
    io.stdout.write(`${commandHelp(command)}\n`);
    return EXIT.ok;
  }
  try {
    const run = await command.load();
    return await run({
      ...io,
      stdout: safeStdout(io.stdout),
      values: parsed.values,
      positionals: parsed.positionals,
    });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (e instanceof InvalidInputError || e instanceof RangeError) {
      io.stderr.write(
        `configgraph ${name}: ${message}${e instanceof InvalidInputError && e.accepted ? ` (accepted: ${e.accepted})` : ''}\n`,
      );
      return EXIT.usage;
    }
    if (e instanceof NotFoundError || e instanceof AmbiguousRefError) {
      io.stderr.write(`configgraph ${name}: ${message}\n`);
      return EXIT.notFound;
    }
    if (e instanceof StoreUnavailableError) {
      io.stderr.write(`configgraph ${name}: ${message}\n`);
      return EXIT.storeUnavailable;
    }
    io.stderr.write(`configgraph ${name}: ${message}\n`);
    if (io.env.CONFIGGRAPH_DEBUG && e instanceof Error && e.stack) io.stderr.write(`${e.stack}\n`);
    return EXIT.failed;
  }
}
