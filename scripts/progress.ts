// A workflow's progress while the CLI waits for it: one line on stderr, rewritten in place on a
// terminal, printed only when it changes otherwise (CI logs stay short). `personas tick --wait` and
// `personas run` follow their workflow this way.

/**
 * Awaits `done`, polling `line()` every `everyMs` meanwhile (a failed poll is skipped: the workflow
 * may not have started its handlers yet). Resolves or rejects as `done` does.
 */
export async function withProgress<T>(
  done: Promise<T>,
  line: () => Promise<string>,
  opts: { everyMs: number; quiet?: boolean },
): Promise<T> {
  let last = '';
  const timer = setInterval(() => {
    if (opts.quiet) return;
    line()
      .then((l) => {
        if (l === last) return;
        last = l;
        process.stderr.write(process.stderr.isTTY ? `\r\x1b[2K${l}` : `${l}\n`);
      })
      .catch(() => {});
  }, opts.everyMs);
  try {
    return await done;
  } finally {
    clearInterval(timer);
    if (process.stderr.isTTY && last) process.stderr.write('\n');
  }
}
