// load({ maxMemoryBytes }): a service that loads packs it did not make can cap what one may take.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { load, MemoryLimitError } from '../../ts-sdk/index.ts';
import { PACK } from './helpers.ts';

test('the limit is compared with the memory the classifier will hold: exactly that loads, a byte less is refused', async () => {
  const clf = await load(PACK);
  const need = clf.info.memoryBytes;
  clf.dispose();
  assert.is(need % 65536, 0, 'memoryBytes counts whole wasm pages');
  const capped = await load(PACK, { maxMemoryBytes: need });
  assert.is(capped.info.memoryBytes, need, 'a classifier loaded under a limit holds what it reported, no more');
  capped.dispose();
  const err = await load(PACK, { maxMemoryBytes: need - 1 }).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.instance(err, MemoryLimitError, 'one byte below what it needs');
  assert.is((err as MemoryLimitError).neededBytes, need, 'neededBytes is the memoryBytes a load would report');
});

test('a limit below it rejects with MemoryLimitError naming both sizes, before allocating', async () => {
  const err = await load(PACK, { maxMemoryBytes: 4096 }).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.instance(err, MemoryLimitError);
  assert.instance(err, RangeError);
  const e = err as MemoryLimitError;
  assert.is(e.limitBytes, 4096);
  assert.ok(e.neededBytes > 4096);
  assert.match(e.message, /needs .* MiB of WebAssembly memory \(weights .*\), more than options\.maxMemoryBytes = 4096/);
});

test('a limit that is not a positive number is a RangeError', async () => {
  for (const bad of [0, -1, NaN, Infinity]) {
    const err = await load(PACK, { maxMemoryBytes: bad }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.instance(err, RangeError, String(bad));
    assert.match((err as Error).message, /options\.maxMemoryBytes must be a positive number/);
  }
});

test.run();
