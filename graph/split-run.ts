// An import cut into several runs (R5, R6): the model makes the result independent of how items are grouped
// into runs (E2, I5, R3), so a store whose transactions cannot hold a whole import can take it in parts, and
// an import of files can be parsed and stored a batch at a time. Every part is bounded: at most N items,
// N CloudTrail events, and N stored resources re-examined against the import's snapshots; re-examination
// continues over as many runs as it needs.
import { keyOf } from './identity.ts';
import { scopeId, type ScopeRef } from './ingest/reads.ts';
import type {
  ChangeEvent,
  ConfigItem,
  ImportedFile,
  ResourceKey,
  RunRecord,
  ScopeSnapshot,
  SkippedItem,
} from './model.ts';
import type { RunInput } from './store.ts';

/** Lists of at most `size` elements, in order. */
function checkSize(maxItems: number): void {
  if (!Number.isInteger(maxItems) || maxItems < 1)
    throw new RangeError(`items per run must be a positive integer, got ${maxItems}`);
}

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** Items grouped into lists of at most `maxItems`, cut between resources, in the order resources first appear. */
function itemGroups(items: ConfigItem[], maxItems: number): ConfigItem[][] {
  const byResource = new Map<ResourceKey, ConfigItem[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = byResource.get(key);
    if (list) list.push(item);
    else byResource.set(key, [item]);
  }
  const groups: ConfigItem[][] = [];
  let current: ConfigItem[] = [];
  for (const list of byResource.values()) {
    if (current.length > 0 && current.length + list.length > maxItems) {
      groups.push(current);
      current = [];
    }
    current.push(...list);
  }
  if (current.length) groups.push(current);
  return groups;
}

/**
 * Parts of at most `maxItems` items each, cut between resources (all CIs of a resource stay in one part,
 * which may then exceed the limit), in the order resources first appear; CloudTrail events in parts of
 * at most `maxItems` too. Skipped items, notes and the snapshots go with the first part, so that every
 * resource a part brings is judged against them at once (R2); the last part then re-examines the stored
 * resources of the snapshots' scopes `maxItems` at a time (`continuation` says what follows it). An input
 * within the limits and without snapshots is one part: the input itself.
 */
export function splitRun(input: RunInput, maxItems: number): RunInput[] {
  checkSize(maxItems);
  const groups = itemGroups(input.items, maxItems);
  const events = chunks<ChangeEvent>(input.events ?? [], maxItems);
  const n = Math.max(groups.length, events.length, 1);
  const snapshots = input.snapshots ?? [];
  if (n === 1 && !snapshots.length) return [input];
  const scopes = new Map<string, ScopeRef>();
  for (const s of snapshots) scopes.set(scopeId(s), { accountId: s.accountId, awsRegion: s.awsRegion });

  return Array.from({ length: n }, (_, i) => {
    const part: RunInput = {
      source: input.source,
      scope: n === 1 ? input.scope : `${input.scope} (part ${i + 1} of ${n})`,
      items: groups[i] ?? [],
    };
    if (i === 0) {
      if (input.skipped) part.skipped = input.skipped;
      if (input.notes) part.notes = input.notes;
      // The stored resources are re-examined from the last part on, after every part brought its own.
      if (snapshots.length) part.snapshots = snapshots;
      if (snapshots.length && n > 1) part.reexamine = { scopes: [], limit: maxItems };
    }
    if (events[i]) part.events = events[i];
    if (i === n - 1 && snapshots.length) part.reexamine = { scopes: [...scopes.values()], limit: maxItems };
    if (input.startedAt) part.startedAt = input.startedAt;
    return part;
  });
}

/**
 * The run that continues re-examining after the run before it (`stored`), if its record says resources
 * remain (R5): the scopes and limit of `part` (the part that brought the snapshots), after the last key
 * re-examined, with no items and no snapshots (they are stored), and the files whose effect completes
 * only with the last slice (R7). `slice` numbers it in the run's scope.
 */
export function continuation(part: RunInput, stored: RunRecord, slice: number): RunInput | undefined {
  const done = stored.reexamined;
  if (!part.reexamine || !done?.more || done.through === undefined) return undefined;
  const next: RunInput = {
    source: part.source,
    scope: `${part.scope}, re-examination ${slice}`,
    items: [],
    reexamine: { ...part.reexamine, after: done.through },
  };
  if (part.files?.length) next.files = part.files;
  if (part.startedAt) next.startedAt = part.startedAt;
  return next;
}

/** What one parsed file brings to a streamed import. */
export interface ImportPiece {
  items: ConfigItem[];
  snapshots: ScopeSnapshot[];
  skipped: SkippedItem[];
  notes: string[];
  events?: ChangeEvent[];
}

/**
 * An import of files as a stream of runs (R6): pieces (parsed files) go in, runs of at most `maxItems` items
 * and events come out as soon as they are full, and nothing parsed is held after its run is out. A run
 * takes the snapshots that arrived since the run before and judges its own resources against every stored
 * snapshot, not re-examining others; the last run re-examines every stored resource of every scope the
 * import had a snapshot of, `maxItems` at a time (`continuation` follows it), so the final graph is the one
 * the whole import as one run gives (E2, I5, R3). An import that never fills a run is that one run, exactly.
 * A file is recorded as imported (R7) by the run that takes its last item, or, when it holds a snapshot,
 * by the run that finishes re-examining.
 */
export class ImportBatches {
  private items: ConfigItem[] = [];
  private events: ChangeEvent[] = [];
  private snapshots: ScopeSnapshot[] = [];
  private skipped: SkippedItem[] = [];
  private notes = new Set<string>();
  /** Files of history and events not yet recorded, each with the items and events added up to its last. */
  private files: { file: ImportedFile; items: number; events: number }[] = [];
  private readonly snapshotFiles: ImportedFile[] = [];
  /** Items and events added so far, and taken into runs so far. */
  private added = { items: 0, events: 0 };
  private taken = { items: 0, events: 0 };
  private readonly scopes = new Map<string, ScopeRef>();
  private parts = 0;

  /**
   * `bounded`: re-examine `maxItems` stored resources per run even when the import is one run (asked for
   * with --items-per-run, R5); otherwise an import that fits in one run re-examines in it, as a run does.
   */
  constructor(
    private readonly base: Pick<RunInput, 'source' | 'scope' | 'startedAt'>,
    readonly maxItems: number,
    private readonly bounded = false,
  ) {
    checkSize(maxItems);
  }

  /** Adds one file's content (and its record, when it is to be remembered); returns the runs now full, in order. */
  add(piece: ImportPiece, file?: ImportedFile): RunInput[] {
    for (const item of piece.items) this.items.push(item);
    for (const e of piece.events ?? []) this.events.push(e);
    this.added.items += piece.items.length;
    this.added.events += piece.events?.length ?? 0;
    for (const s of piece.snapshots) {
      this.snapshots.push(s);
      this.scopes.set(scopeId(s), { accountId: s.accountId, awsRegion: s.awsRegion });
    }
    for (const s of piece.skipped) this.skipped.push(s);
    for (const n of piece.notes) this.notes.add(n);
    if (file && piece.snapshots.length) this.snapshotFiles.push(file);
    else if (file) this.files.push({ file, ...this.added });
    const full: RunInput[] = [];
    // Strictly more than a run holds: what fits in one run stays pending, so a small import is one run.
    while (this.items.length > this.maxItems || this.events.length > this.maxItems) full.push(this.cut());
    return full;
  }

  /**
   * The last run (undefined when there is nothing to store: every file was already imported), with `notes`
   * first among its notes. Continue it with `continuation` while its record says more remain.
   */
  finish(notes: string[] = []): RunInput | undefined {
    for (const n of notes) this.notes.add(n);
    const first = this.parts === 0;
    const pending =
      this.items.length ||
      this.events.length ||
      this.snapshots.length ||
      this.skipped.length ||
      this.files.length ||
      this.snapshotFiles.length;
    if (!pending && (first || !this.scopes.size)) return undefined;
    const ordered = [...notes, ...[...this.notes].filter((n) => !notes.includes(n))];
    this.notes = new Set(ordered);
    const run = this.take(this.items.length, this.events.length);
    run.files = [...(run.files ?? []), ...this.snapshotFiles]; // every history file's last item is in it or before
    if (!run.files.length) delete run.files;
    run.scope = first ? this.base.scope : `${this.base.scope} (part ${this.parts}, the last)`;
    if (this.scopes.size && (this.bounded || !first))
      run.reexamine = { scopes: [...this.scopes.values()], limit: this.maxItems };
    else delete run.reexamine; // one run: its snapshots re-examine every stored resource of their scopes (R2)
    return run;
  }

  private cut(): RunInput {
    return this.take(this.maxItems, this.maxItems);
  }

  /** A run of the first `items` items and `events` events pending, with everything else pending. */
  private take(items: number, events: number): RunInput {
    this.parts++;
    const run: RunInput = {
      source: this.base.source,
      scope: `${this.base.scope} (part ${this.parts})`,
      items: this.items.splice(0, items),
    };
    const ev = this.events.splice(0, events);
    if (ev.length) run.events = ev;
    this.taken.items += run.items.length;
    this.taken.events += ev.length;
    if (this.snapshots.length) {
      run.snapshots = this.snapshots;
      run.reexamine = { scopes: [], limit: this.maxItems }; // its own resources only: the last run does the rest
      this.snapshots = [];
    }
    if (this.skipped.length) run.skipped = this.skipped;
    if (this.notes.size) run.notes = [...this.notes];
    this.skipped = [];
    this.notes = new Set();
    // Files whose last item and last event are in this run or an earlier one (R7); files end in the order added.
    let done = 0;
    while (
      done < this.files.length &&
      this.files[done]!.items <= this.taken.items &&
      this.files[done]!.events <= this.taken.events
    )
      done++;
    if (done) run.files = this.files.splice(0, done).map((f) => f.file);
    if (this.base.startedAt) run.startedAt = this.base.startedAt;
    return run;
  }
}
