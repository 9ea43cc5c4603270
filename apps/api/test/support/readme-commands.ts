import * as fs from 'node:fs';

/** One shell command of a README, as a user would paste it. */
export interface ReadmeCommand {
  /** The command, its `\`-continued lines joined with a space. */
  readonly text: string;
  /** The README line it starts on (1-based), for failure messages. */
  readonly line: number;
}

/** A command that the README test does not run, and why. */
export interface SkippedCommand {
  /** Every command starting with this text (after leading spaces) is skipped. */
  readonly startsWith: string;
  readonly reason: string;
}

/**
 * The commands of every fenced block opened with exactly ```` ```sh ````, in order: one command per line, a line
 * ending in `\` continued on the next; blank lines and lines starting with `#` are left out (a `#` comment after a
 * command stays: the shell drops it). Blocks of any other language (`json`, `ts`, no language) are not commands.
 */
export function readmeCommands(file: string): ReadmeCommand[] {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const commands: ReadmeCommand[] = [];
  let inBlock = false;
  let pending: { parts: string[]; line: number } | undefined;
  lines.forEach((raw, index) => {
    const line = raw.trimEnd();
    if (!inBlock) {
      inBlock = line.trim() === '```sh';
      return;
    }
    if (line.trim().startsWith('```')) {
      if (pending) {
        throw new Error(`${file}:${pending.line}: the command ends in '\\' but its block closes on line ${index + 1}`);
      }
      inBlock = false;
      return;
    }
    if (!pending && (line.trim() === '' || line.trim().startsWith('#'))) {
      return;
    }
    const current = pending ?? { parts: [], line: index + 1 };
    const continued = line.endsWith('\\');
    current.parts.push((continued ? line.slice(0, -1) : line).trim());
    if (continued) {
      pending = current;
    } else {
      commands.push({ text: current.parts.join(' '), line: current.line });
      pending = undefined;
    }
  });
  if (inBlock) {
    throw new Error(`${file}: a \`\`\`sh block is not closed`);
  }
  return commands;
}

/** The entry of `skipped` that covers a command, if any. */
export function skipFor(command: ReadmeCommand, skipped: readonly SkippedCommand[]): SkippedCommand | undefined {
  return skipped.find((entry) => command.text.trimStart().startsWith(entry.startsWith));
}

/** The README's server address in its commands. */
export const README_HOST = 'localhost:5000';

/** The command with every `localhost:5000` turned into `host` (e.g. `127.0.0.1:43117`). */
export function onHost(command: ReadmeCommand, host: string): string {
  return command.text.split(README_HOST).join(host);
}

/** The file a curl command writes its reply to (`-o FILE`), if it names one. */
export function curlOutput(command: ReadmeCommand): string | undefined {
  const match = /(?:^|\s)-o\s+("[^"]+"|'[^']+'|\S+)/.exec(command.text);
  return match?.[1]?.replace(/^["']|["']$/g, '');
}
