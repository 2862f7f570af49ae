#!/usr/bin/env node
// edge-resnet command line: classify, embed, train-head, convert, inspect, bench.
import { Command } from 'commander';
import { classifyCommand } from './classify.ts';
import { inspectCommand } from './inspect.ts';
import { benchCommand } from './bench.ts';
import { convertCommand } from './convert.ts';
import { embedCommand } from './embed.ts';
import { trainHeadCommand } from './train-head.ts';

const program = new Command('edge-resnet')
  .description('Offline image classification with int8 ResNets on WebAssembly SIMD.')
  .showHelpAfterError()
  .addCommand(classifyCommand())
  .addCommand(embedCommand())
  .addCommand(trainHeadCommand())
  .addCommand(convertCommand())
  .addCommand(inspectCommand())
  .addCommand(benchCommand());

program.parseAsync().catch((e: unknown) => {
  const err = e as Error & { code?: string };
  const message = err.message ?? String(e);
  console.error(`edge-resnet: ${err.code && !message.includes(err.code) ? `${err.code}: ` : ''}${message}`);
  process.exitCode = 1;
});
