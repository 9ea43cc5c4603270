import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomUUID } from 'node:crypto';

/** What one command did: its exit status (or that it timed out) and its stdout and stderr, interleaved. */
export interface CommandResult {
  readonly status: number | 'timeout';
  readonly output: string;
  readonly ms: number;
}

/**
 * One bash process that runs commands one after another, as a user pasting them into a terminal would: a variable
 * set by one command (`SESSION=$(...)`) is there for the next. Each command reads nothing from the terminal (stdin is
 * /dev/null, so a command cannot swallow the ones after it) and runs under `set -o pipefail`. A command that outlives
 * its timeout ends the shell (its whole process group); the next command gets a fresh one.
 */
export class ShellSession {
  #shell: ChildProcessWithoutNullStreams | undefined;
  #output = '';
  #onOutput: (() => void) | undefined;
  #onExit: ((code: number) => void) | undefined;

  constructor(
    private readonly cwd: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** Runs `command` and resolves when it has finished (or after `timeoutMs`, with status 'timeout'). */
  async run(command: string, timeoutMs: number): Promise<CommandResult> {
    const shell = this.#shell ?? this.#start();
    const marker = `__command_done_${randomUUID()}__`;
    this.#output = '';
    const started = Date.now();
    // The marker follows on a line of its own, with the status, even when the command's output ends without '\n'.
    shell.stdin.write(`{\n${command}\n} </dev/null 2>&1; printf '\\n${marker} %s\\n' "$?"\n`);
    const pattern = new RegExp(`\\n${marker} (\\d+)\\n`);
    return new Promise<CommandResult>((resolve) => {
      const finish = (status: number | 'timeout', output: string): void => {
        clearTimeout(timer);
        this.#onOutput = undefined;
        this.#onExit = undefined;
        resolve({ status, output, ms: Date.now() - started });
      };
      const timer = setTimeout(() => {
        const output = this.#output;
        this.#onOutput = undefined;
        this.#onExit = undefined;
        void this.close().then(() => finish('timeout', output));
      }, timeoutMs);
      const check = (): void => {
        const match = pattern.exec(this.#output);
        if (match) {
          finish(Number(match[1]), this.#output.slice(0, match.index));
        }
      };
      // A command that ends the shell itself (`exit 3`) finishes with the shell's status.
      this.#onExit = (code) => finish(code, this.#output);
      this.#onOutput = check;
      check();
    });
  }

  /** Ends the shell and everything it started. */
  async close(): Promise<void> {
    const shell = this.#shell;
    this.#shell = undefined;
    if (!shell || shell.exitCode !== null || shell.signalCode !== null || shell.pid === undefined) {
      return;
    }
    const exited = new Promise<void>((resolve) => shell.once('exit', () => resolve()));
    try {
      process.kill(-shell.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    await exited;
  }

  #start(): ChildProcessWithoutNullStreams {
    // A process group of its own, so that a timed-out command is ended with everything it started.
    const shell = spawn('bash', ['--noprofile', '--norc'], {
      cwd: this.cwd,
      env: this.env,
      detached: true,
      stdio: 'pipe',
    });
    const append = (chunk: Buffer): void => {
      this.#output += chunk.toString();
      this.#onOutput?.();
    };
    shell.stdout.on('data', append);
    shell.stderr.on('data', append);
    shell.once('exit', (code) => {
      if (this.#shell === shell) {
        this.#shell = undefined;
      }
      this.#onExit?.(code ?? 1);
    });
    shell.stdin.write('set -o pipefail\n');
    this.#shell = shell;
    return shell;
  }
}
