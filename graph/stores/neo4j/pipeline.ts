// Write statements sent without waiting for each to finish: Bolt runs them in order within the
// transaction, so Node packs the next batch while Neo4j runs this one (the two share the machine's cores)
// instead of each waiting for the other.
import { batches } from './names.ts';
import { planOnce, type Row, type Runner } from './query.ts';

/** Statements on their way at once: enough to overlap packing and running, few enough to bound memory. */
const IN_FLIGHT = 3;

export class WritePipeline {
  private readonly pending: Promise<void>[] = [];

  constructor(private readonly tx: Runner) {}

  /** Sends one statement; waits only while IN_FLIGHT are on their way already. */
  async send(cypher: string, params: Row = {}): Promise<void> {
    const result = this.tx.run(planOnce(cypher), params);
    const done = new Promise<void>((resolve, reject) =>
      result.subscribe({ onCompleted: () => resolve(), onError: reject }),
    );
    // Failures are thrown in order, by the wait below or by `drain`; none goes unhandled meanwhile.
    done.catch(() => {});
    this.pending.push(done);
    if (this.pending.length >= IN_FLIGHT) await this.pending.shift();
  }

  /** One UNWIND statement over `all` in batches; each batch's rows are made only when it is sent. */
  async unwind<T>(cypher: string, all: T[], toRow: (x: T) => unknown = (x) => x, extra: Row = {}): Promise<void> {
    for (const part of batches(all)) await this.send(cypher, { ...extra, rows: part.map(toRow) });
  }

  /** Waits for everything sent; throws the first failure. */
  async drain(): Promise<void> {
    while (this.pending.length) await this.pending.shift();
  }
}
