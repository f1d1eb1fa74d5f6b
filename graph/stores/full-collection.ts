// A full garbage collection on demand, for an import's main thread and the SQLite writer thread. A streamed
// import's live set is one run, but V8 lets its heap grow far past that before collecting (a large import
// peaked at 888 MiB of RSS where a 300 MiB heap limit was enough, at the same speed): collecting between runs
// keeps the peak near one run's worth.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined;

export function fullCollection(): void {
  if (!gc) {
    // The flag makes `gc` a global of contexts created after it is set; this process's own global stays as it was.
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}
