// What one CLI subcommand looks like; commands are registered by name in ./registry.ts.
import type { ParseArgsConfig } from 'node:util';

export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

export interface CliContext extends CliIo {
  /** Parsed option values (after node:util parseArgs with the command's options). */
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** Returns the process exit code. Throw InvalidInputError for bad arguments. */
  run(ctx: CliContext): Promise<number>;
}
