// Every subcommand, by name. Add a command: one file in ./commands and one line here.
import type { CliCommand } from './command.ts';
import { diffCommand } from './commands/diff.ts';
import { historyCommand } from './commands/history.ts';
import { importCommand } from './commands/import.ts';
import { neighborsCommand } from './commands/neighbors.ts';
import { searchCommand } from './commands/search.ts';
import { runsCommand, statsCommand } from './commands/stats.ts';
import { serveCommand } from './commands/serve.ts';
import { exportCommand } from './commands/export.ts';
import { verifyCommand } from './commands/verify.ts';
import { collectCommand } from './commands/collect.ts';
import { migrateCommand } from './commands/migrate.ts';

export const COMMANDS: CliCommand[] = [
  importCommand,
  neighborsCommand,
  historyCommand,
  diffCommand,
  searchCommand,
  statsCommand,
  runsCommand,
  serveCommand,
  exportCommand,
  verifyCommand,
  collectCommand,
  migrateCommand,
];
