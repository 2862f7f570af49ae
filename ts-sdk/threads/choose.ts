// How many threads a classifier gets: the caller's number, or 'auto' (the cores this process
// may use, up to MAX_AUTO_THREADS), or 1 with the reason in words when the runtime cannot run
// threads — never silently.
import { sharedMemoryProblem, workerSpawner, type Spawner } from './spawn.ts';

/** Upper bound for load()'s threads option. */
export const MAX_THREADS = 64;

/**
 * 'auto' uses at most this many threads: an image's smallest layers (7×7 maps, 64 blocks of
 * output channels) stop dividing evenly beyond a few threads, and each thread costs a context
 * of activations for batches (README, "Threads").
 */
export const MAX_AUTO_THREADS = 8;

export type ThreadsOption = number | 'auto';

export function checkThreadsOption(v: unknown): ThreadsOption {
  if (v === 'auto' || (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= MAX_THREADS)) return v;
  throw new RangeError(
    `options.threads must be 'auto' or an integer from 1 to ${MAX_THREADS}, got ${typeof v === 'string' ? `'${v}'` : String(v)}`,
  );
}

/** Logical cores this process may use (navigator.hardwareConcurrency; Node 20: os.availableParallelism()). */
export function availableCores(): number {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  if (nav?.hardwareConcurrency) return nav.hardwareConcurrency;
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const os = proc?.getBuiltinModule?.('node:os') as { availableParallelism?: () => number } | undefined;
  return os?.availableParallelism?.() ?? 1;
}

export interface ThreadsChoice {
  threads: number;
  /** Why fewer threads than asked (absent when the caller got what it asked for). */
  reason?: string;
  spawn?: Spawner;
}

export async function chooseThreads(option: ThreadsOption): Promise<ThreadsChoice> {
  const wanted = option === 'auto' ? Math.min(availableCores(), MAX_AUTO_THREADS) : option;
  if (wanted === 1) return option === 'auto' ? { threads: 1, reason: 'this process may use one core' } : { threads: 1 };
  const problem = sharedMemoryProblem();
  if (problem) return { threads: 1, reason: problem };
  const spawn = await workerSpawner();
  if ('reason' in spawn) return { threads: 1, reason: spawn.reason };
  return { threads: wanted, spawn };
}
