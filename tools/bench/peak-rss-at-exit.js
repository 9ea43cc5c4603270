// Preloaded into a command the benchmark times (`node -r tools/bench/peak-rss-at-exit.js …`): prints the process's
// peak resident set size on stderr as it exits, `peak-rss-bytes N`, so the benchmark can report it.
process.on('exit', () => {
  process.stderr.write(`\npeak-rss-bytes ${process.resourceUsage().maxRSS * 1024}\n`);
});
