// Writes a generated environment as the gzipped files AWS Config delivers to S3, under their
// real keys (AWSLogs/ACCOUNT/Config/REGION/...), ready for `configgraph import OUTDIR`.
//
//   tsx bench/generate-files.ts OUTDIR [--size small|medium|large|xlarge] [--seed TEXT] [--days N]
//                                      [--daily-snapshots] [--demo | --real-shaped]
import { parseArgs } from 'node:util';
import {
  deliveryFiles,
  generateEnvironment,
  isSizeName,
  realShapedEnvironment,
  SIZES,
  writeDeliveryFiles,
  type ApiConfigItem,
} from '../world/generator/index.ts';
import { demoEnvironment } from '../world/demo.ts';

const USAGE =
  'usage: tsx bench/generate-files.ts OUTDIR [--size small|medium|large|xlarge] [--seed TEXT] [--days N] [--daily-snapshots] [--demo | --real-shaped]';

function main(argv: string[]): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        size: { type: 'string', default: 'small' },
        seed: { type: 'string' },
        days: { type: 'string' },
        'daily-snapshots': { type: 'boolean', default: false },
        demo: { type: 'boolean', default: false },
        'real-shaped': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const outDir = positionals[0];
  if (!outDir || positionals.length > 1) {
    console.error(USAGE);
    return 2;
  }
  const size = values.size ?? 'small';
  if (!isSizeName(size)) {
    console.error(`--size must be small, medium, large or xlarge, not "${size}"\n${USAGE}`);
    return 2;
  }
  const days = values.days === undefined ? undefined : Number(values.days);
  if (days !== undefined && !(Number.isInteger(days) && days >= 1 && days <= 90)) {
    console.error(`--days must be a whole number from 1 to 90, not "${values.days}"`);
    return 2;
  }

  const started = performance.now();
  let items: ApiConfigItem[];
  let start: string;
  let end: string;
  if (values.demo) {
    const demo = demoEnvironment();
    ({ items, start, end } = demo);
  } else if (values['real-shaped']) {
    ({ items, start, end } = realShapedEnvironment(values.seed));
  } else {
    const env = generateEnvironment({
      ...SIZES[size],
      ...(values.seed !== undefined ? { seed: values.seed } : {}),
      ...(days !== undefined ? { days } : {}),
    });
    ({ items, start, end } = env);
  }
  const snapshotTimes: string[] = [];
  if (values['daily-snapshots'])
    for (let t = Date.parse(start) + 86_400_000; t <= Date.parse(end); t += 86_400_000)
      snapshotTimes.push(new Date(t).toISOString());
  const files = deliveryFiles(items, snapshotTimes.length > 0 ? { snapshotTimes } : {});
  writeDeliveryFiles(outDir, files);
  const bytes = files.reduce((n, f) => n + f.body.length, 0);
  const history = files.filter((f) => f.kind === 'ConfigHistory').length;
  console.log(
    `${items.length} configuration items (${start} → ${end}) written to ${outDir}: ${history} ConfigHistory and ` +
      `${files.length - history} ConfigSnapshot files, ${(bytes / 1048576).toFixed(1)} MiB gzipped, in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return 0;
}

process.exitCode = main(process.argv.slice(2));
