// `npm run soak [-- --requests N --clients C]`: starts the real server on 127.0.0.1 with the demo model, runs the soak,
// prints the table, and exits 1 when a bound is broken. Launched by tools/scripts/soak.js.
import { formatReport, soakViolations } from './soak-report';
import { DEFAULT_SOAK_OPTIONS, runSoak, type SoakOptions } from './soak-run';
import { SOAK_MODEL, startSoakServer } from './soak-server';

const USAGE = 'usage: npm run soak -- [--requests N] [--clients C] [--warmup N] [--timer-sweep-wait-sec S]';

function parseArgs(argv: readonly string[]): SoakOptions {
  const flags = new Map<string, number>();
  for (let i = 0; i < argv.length; i += 2) {
    const name = /^--([a-z-]+)$/.exec(argv[i] ?? '')?.[1];
    const value = Number(argv[i + 1]);
    if (!name || !Number.isInteger(value) || value < 0) {
      throw new Error(`bad argument '${argv[i]} ${argv[i + 1] ?? ''}'\n${USAGE}`);
    }
    flags.set(name, value);
  }
  const known = ['requests', 'clients', 'warmup', 'timer-sweep-wait-sec'];
  const unknown = [...flags.keys()].filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new Error(`unknown flag --${unknown[0]}\n${USAGE}`);
  }
  const d = DEFAULT_SOAK_OPTIONS;
  return {
    ...d,
    model: SOAK_MODEL,
    requests: flags.get('requests') ?? d.requests,
    clients: Math.max(1, flags.get('clients') ?? d.clients),
    warmup: flags.get('warmup') ?? d.warmup,
    timerSweepWaitMs: (flags.get('timer-sweep-wait-sec') ?? d.timerSweepWaitMs / 1000) * 1000,
    log: (line) => console.log(`[soak] ${line}`),
  };
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  console.log(`[soak] starting the server (node tools/scripts/start.js) with ${SOAK_MODEL}`);
  const server = await startSoakServer();
  try {
    console.log(`[soak] server pid ${server.pid} at ${server.process.base}`);
    const report = await runSoak(server, options);
    console.log(`\n${formatReport(report)}\n`);
    const problems = soakViolations(report);
    for (const problem of problems) {
      console.error(`[soak] FAIL ${problem}`);
    }
    console.log(problems.length === 0 ? '[soak] PASS: within the bounds' : '[soak] FAIL');
    return problems.length === 0 ? 0 : 1;
  } finally {
    await server.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
