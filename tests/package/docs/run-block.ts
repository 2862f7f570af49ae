// Runs one README block's commands as a user's shell would, one after another in one working
// directory (`cd` moves it), and checks each command's output against the documented one.
// A background command (`… &`) must print its documented lines (e.g. "Ready on …") before
// the next command runs; it is killed, with its process group, when the block ends.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { Command } from './markdown.ts';
import { matches, outputLines } from './match.ts';

const FOREGROUND_TIMEOUT_MS = 300_000; // `npm ci` in the clone builds everything
const READY_TIMEOUT_MS = 60_000;

export interface BlockEnv {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Placeholders in commands (e.g. path/to/edge-resnet) → real paths. */
  substitute: (cmd: string) => string;
}

export async function runCommands(where: string, commands: Command[], ctx: BlockEnv): Promise<string[]> {
  const problems: string[] = [];
  const background: ChildProcess[] = [];
  try {
    for (const c of commands) {
      const at = `${where}:${c.line} \`$ ${c.cmd}\``;
      const cmd = ctx.substitute(c.cmd);
      const cd = /^cd\s+(\S+)$/.exec(cmd);
      if (cd) {
        ctx.cwd = resolve(ctx.cwd, cd[1]);
        continue;
      }
      if (c.background) {
        const { child, output } = startBackground(cmd, ctx);
        background.push(child);
        const ready = await waitFor(() => matches([...c.expected, '…'], outputLines(output())), READY_TIMEOUT_MS, child);
        if (!ready)
          problems.push(
            report(
              at,
              c.expected,
              output(),
              `did not print its documented lines within ${READY_TIMEOUT_MS / 1000} s${child.exitCode !== null ? ` (exited with ${child.exitCode})` : ''}`,
            ),
          );
        if (!ready) break;
        continue;
      }
      const r = spawnSync('bash', ['-c', `exec 2>&1\n${cmd}`], {
        cwd: ctx.cwd,
        env: ctx.env,
        encoding: 'utf8',
        timeout: FOREGROUND_TIMEOUT_MS,
        maxBuffer: 64 << 20,
      });
      const out = r.stdout ?? '';
      if (r.status !== 0) {
        problems.push(
          report(
            at,
            c.expected,
            out,
            r.error ? `failed: ${r.error.message}` : `exited with ${r.status}${r.signal ? ` (${r.signal})` : ''}`,
          ),
        );
        break; // later commands build on this one
      }
      if (c.expected.length && !matches(c.expected, outputLines(out))) problems.push(report(at, c.expected, out, 'printed something else'));
    }
  } finally {
    await Promise.all(background.map(stop));
  }
  return problems;
}

function startBackground(cmd: string, ctx: BlockEnv): { child: ChildProcess; output: () => string } {
  const child = spawn('bash', ['-c', `exec 2>&1\nexec ${cmd}`], {
    cwd: ctx.cwd,
    env: ctx.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let text = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (text += d));
  return { child, output: () => text };
}

async function waitFor(ok: () => boolean, ms: number, child: ChildProcess): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (ok()) return true;
    if (child.exitCode !== null) return ok();
    await new Promise((r) => setTimeout(r, 100));
  }
  return ok();
}

/** SIGTERM to the process group (wrangler's workerd, deno's server…), SIGKILL after 5 s; resolves when the port is free again. */
async function stop(child: ChildProcess): Promise<void> {
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, s);
    } catch {
      // already gone
    }
  };
  if (child.exitCode !== null || child.signalCode !== null) return signal('SIGKILL'); // its children may live on
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  signal('SIGTERM');
  const killed = setTimeout(() => signal('SIGKILL'), 5000);
  await exited;
  clearTimeout(killed);
  signal('SIGKILL');
}

function report(at: string, expected: string[], actual: string, what: string): string {
  const indent = (s: string) =>
    s
      .split('\n')
      .map((l) => `      ${l}`)
      .join('\n');
  return `${at} ${what}\n    documented:\n${indent(expected.join('\n') || '(no output shown)')}\n    got:\n${indent(outputLines(actual).join('\n'))}`;
}
