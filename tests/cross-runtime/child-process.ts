// The browser engines' helper processes (Xvfb, WebKitWebDriver, Firefox): started with their
// output kept for error messages, stopped politely then firmly, and never outliving the tests.
import { spawn, type ChildProcess } from 'node:child_process';

// Whatever this process started is stopped with it, even if a test never reached close().
const started = new Set<ChildProcess>();
process.on('exit', () => started.forEach((c) => c.kill('SIGKILL')));

/** Starts `cmd`; `output()` is the last lines it printed. `extraFd` opens a pipe as fd 3. */
export function start(cmd: string, args: string[], env: NodeJS.ProcessEnv, extraFd = false): { child: ChildProcess; output: () => string } {
  const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe', ...(extraFd ? ['pipe' as const] : [])] });
  started.add(child);
  child.on('exit', () => started.delete(child));
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d));
  child.stderr!.on('data', (d: Buffer) => (out += d));
  return { child, output: () => out.trim().split('\n').slice(-10).join('\n') };
}

export const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

/** SIGTERM, then SIGKILL after 3 s; resolves once the process is gone. */
export async function stop(child: ChildProcess): Promise<void> {
  if (exited(child)) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await gone;
  clearTimeout(timer);
}
