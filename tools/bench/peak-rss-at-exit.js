// Preloaded into a child the benchmark times (`node -r tools/bench/peak-rss-at-exit.js …`): prints the process's peak
// resident memory (getrusage's maxrss, KiB) as the last stderr line, `peak-rss-bytes N`, so the bench reads it without
// an external `time`.
process.on('exit', () => {
  process.stderr.write(`peak-rss-bytes ${process.resourceUsage().maxRSS * 1024}\n`);
});
