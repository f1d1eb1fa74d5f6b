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

/** Returns the process exit code (./exit.ts). Throw InvalidInputError for bad arguments. */
export type RunCommand = (ctx: CliContext) => Promise<number>;

export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** Imports the command's module (only when the command runs) and returns its run function. */
  load(): Promise<RunCommand>;
}
