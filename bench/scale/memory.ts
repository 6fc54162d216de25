// Memory of the benchmark's own process — the same code `personas seed` and `personas schedules
// sync` run, so its peaks bound the CLI's: the heap and RSS sampled every 100 ms (a phase's peak),
// and the kernel's own peak RSS of the whole process (getrusage maxrss, which no sampling can miss).

const MB = 1024 * 1024;

export interface MemoryPeak {
  /** Highest V8 heap in use seen while the phase ran (sampled). */
  heapUsedMB: number;
  /** Highest resident set size seen while the phase ran (sampled). */
  rssMB: number;
  /** The process's peak RSS since it started, at the end of the phase (kernel figure). */
  processMaxRssMB: number;
}

const round = (bytes: number) => Math.round(bytes / MB);

/** Starts sampling; `stop()` returns the peaks since the start. */
export function sampleMemory(everyMs = 100): { stop(): MemoryPeak } {
  let heap = 0;
  let rss = 0;
  const sample = () => {
    const m = process.memoryUsage();
    heap = Math.max(heap, m.heapUsed);
    rss = Math.max(rss, m.rss);
  };
  sample();
  const timer = setInterval(sample, everyMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      sample();
      return {
        heapUsedMB: round(heap),
        rssMB: round(rss),
        processMaxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
      };
    },
  };
}
