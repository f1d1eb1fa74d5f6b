// How fast this machine is right now, printed at the top of a bench so that two runs can be compared: on a
// shared VM the cost of a page fault moved several-fold within half an hour while arithmetic did not
// (docs/benchmarks.md, "the VM's memory slowed down"), and an import touches far more new memory than its floor.

export interface MachineNow {
  /** Milliseconds to touch 1 GiB of new memory, a byte per 4 KiB page (measured on 256 MiB). */
  touchMsPerGiB: number;
  /** Milliseconds of a fixed arithmetic loop. */
  loopMs: number;
}

const MIB = 1024 * 1024;

export function machineNow(): MachineNow {
  const t0 = performance.now();
  for (let n = 0; n < 4; n++) {
    const b = Buffer.allocUnsafeSlow(64 * MIB);
    for (let i = 0; i < b.length; i += 4096) b[i] = 1;
  }
  const touchMsPerGiB = (performance.now() - t0) * 4;
  const t1 = performance.now();
  let s = 0;
  for (let i = 0; i < 1e8; i++) s += i % 7;
  const loopMs = performance.now() - t1;
  if (!Number.isFinite(s)) throw new Error('the loop overflowed'); // its sum used, so it is not optimised away
  return { touchMsPerGiB, loopMs };
}

export const describeMachineNow = (m: MachineNow): string =>
  `new memory touched at ${(m.touchMsPerGiB / 1000).toFixed(2)} s per GiB, arithmetic loop ${m.loopMs.toFixed(0)} ms ` +
  '(compare runs whose figures here agree)';
