// Flags of a bench script: parsed once, with -h/--help and a usage line on bad input.
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';

/** The flags' values, or the exit code to return (0 after --help, 2 after bad flags). */
export function benchFlags<O extends ParseArgsOptionsConfig>(options: O, usage: string) {
  let parsed;
  try {
    parsed = parseArgs({ options: { ...options, help: { type: 'boolean', short: 'h' } } as const });
  } catch (e) {
    console.error(`${(e as Error).message}\n${usage}`);
    return 2;
  }
  if ((parsed.values as { help?: boolean }).help) {
    console.log(usage);
    return 0;
  }
  return parsed.values;
}
