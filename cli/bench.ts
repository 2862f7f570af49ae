// `edge-resnet bench`: the peer benchmark (bench/run.ts). It needs the repository checkout —
// the peers (onnxruntime-web, TensorFlow.js) are devDependencies and the ResNet fixtures are
// test code — so it runs there as a child process with the flags `npm run bench` uses.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { packageRoot } from './resources.ts';

export function benchCommand(): Command {
  return new Command('bench')
    .description(
      'Benchmark edge-resnet against onnxruntime-web and TensorFlow.js wasm (latency, cold start, size, memory); from a clone of the repository. Options after -- go to bench/run.ts (e.g. -- --quick, -- --layers).',
    )
    .allowUnknownOption()
    .argument('[args...]', 'options for bench/run.ts: --arch, --size, --engines, --runs, --cold, --layers, --quick, --no-record')
    .action(async (args: string[]) => {
      const script = join(packageRoot, 'bench', 'run.ts');
      if (!existsSync(script) || !existsSync(join(packageRoot, 'node_modules', 'tsx'))) {
        throw new Error(
          'the benchmark runs from a clone of the edge-resnet repository after `npm ci` (it needs the peers, which are devDependencies)',
        );
      }
      const code = await new Promise<number>((resolve, reject) => {
        const child = spawn(process.execPath, ['--experimental-wasm-relaxed-simd', '--import', 'tsx', script, ...args], {
          cwd: packageRoot,
          stdio: 'inherit',
        });
        child.on('error', reject);
        child.on('exit', (c) => resolve(c ?? 1));
      });
      process.exitCode = code;
    });
}
