// A cli-progress bar on stderr when it is a terminal; a no-op otherwise (pipes, CI, --json).
import cliProgress from 'cli-progress';

export interface Progress {
  increment(): void;
  update(value: number): void;
  stop(): void;
}

export function progressBar(wanted: boolean, total: number, label: string): Progress {
  if (!wanted || !process.stderr.isTTY) return { increment() {}, update() {}, stop() {} };
  const b = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {value}/{total} {eta_formatted}`, stream: process.stderr, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  b.start(total, 0);
  return { increment: () => b.increment(), update: (v) => b.update(v), stop: () => b.stop() };
}
