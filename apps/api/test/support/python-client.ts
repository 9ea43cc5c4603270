// The official AIAA Python client, played by a script in test/fixtures: its multipart request, and its reply parsing
// with cgi.FieldStorage on the raw socket.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

/** `python3 <script> <host> <port> <path and query> <params JSON> <file>` prints what the client parses. */
export const PY_CLIENT_SCRIPT = path.join(__dirname, '..', 'fixtures', 'aiaa_py_client_parse.py');

/** True when python3 with the `cgi` module (removed in Python 3.13) is available to play the official client. */
export function hasPythonCgi(): boolean {
  try {
    execFileSync('python3', ['-c', 'import cgi'], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

/** True when python3 can import every module named (`requests`, which MONAI Label's client uses for sessions). */
export function hasPythonModules(...modules: string[]): boolean {
  try {
    execFileSync('python3', ['-c', modules.map((m) => `import ${m}`).join('; ')], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}
