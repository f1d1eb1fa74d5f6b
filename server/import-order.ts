// The order deliveries are imported in, from disk or from S3: an account and region's ConfigHistory windows
// together by resource type and time, so a streamed import brings a resource back in as few runs as it can.
/** A ConfigHistory delivery's path (AWS Config's S3 layout): its account and region folder, type and window. */
const HISTORY_FILE =
  /^(.*\/\d{12}\/Config\/[^/]+)\/\d{4}\/\d{1,2}\/\d{1,2}\/ConfigHistory\/[^/]*_ConfigHistory_(.+)_(\d{8}T\d{6}Z)_(\d{8}T\d{6}Z)_([^/]*)$/;

/**
 * Files in import order: as listed, except that the ConfigHistory deliveries of an account and region are
 * taken together where the first of them is listed, by resource type and each type's windows in time order.
 * Listed order takes them day by day (and day 10 before day 2), so a streamed import brought most resources
 * back in several runs, each reading their stored versions and writing their edges and search terms again
 * (docs/benchmarks.md, "Ingest: what grows with the number of runs"). The order changes which run stores
 * what, never the graph (R5, R6).
 */
export function inImportOrder(files: string[]): string[] {
  const groups = new Map<string, { file: string; key: string }[]>();
  const placed: (string | { group: string })[] = [];
  for (const file of files) {
    const m = HISTORY_FILE.exec(file.replaceAll('\\', '/'));
    if (!m) {
      placed.push(file);
      continue;
    }
    const group = m[1]!;
    const list = groups.get(group);
    const entry = { file, key: `${m[2]}\u0000${m[3]}\u0000${m[4]}\u0000${m[5]}` };
    if (list) list.push(entry);
    else {
      groups.set(group, [entry]);
      placed.push({ group });
    }
  }
  return placed.flatMap((p) =>
    typeof p === 'string'
      ? [p]
      : groups
          .get(p.group)!
          .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
          .map((e) => e.file),
  );
}
