// load({ maxMemoryBytes }): a service that loads packs it did not make can cap what one may take.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { load, MemoryLimitError } from '../../ts-sdk/index.ts';
import { PACK } from './helpers.ts';

test('a limit above what the network needs loads; memoryBytes stays within it', async () => {
  const clf = await load(PACK);
  const need = clf.info.memoryBytes;
  clf.dispose();
  const capped = await load(PACK, { maxMemoryBytes: need });
  assert.ok(capped.info.memoryBytes <= need);
  capped.dispose();
});

test('a limit below it rejects with MemoryLimitError naming both sizes, before allocating', async () => {
  const err = await load(PACK, { maxMemoryBytes: 4096 }).then(() => undefined, (e: unknown) => e);
  assert.instance(err, MemoryLimitError);
  assert.instance(err, RangeError);
  const e = err as MemoryLimitError;
  assert.is(e.limitBytes, 4096);
  assert.ok(e.neededBytes > 4096);
  assert.match(e.message, /needs .* MiB of WebAssembly memory \(weights .*\), more than options\.maxMemoryBytes = 4096/);
});

test('a limit that is not a positive number is a RangeError', async () => {
  for (const bad of [0, -1, NaN, Infinity]) {
    const err = await load(PACK, { maxMemoryBytes: bad }).then(() => undefined, (e: unknown) => e);
    assert.instance(err, RangeError, String(bad));
    assert.match((err as Error).message, /options\.maxMemoryBytes must be a positive number/);
  }
});

test.run();
