// options.wasm (a compiled Module, its bytes, a URL or path) and options.simd (force a build):
// the build in use is the one asked for, every build gives the same int8 logits, and what an
// engine can't do is an error that says so.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { load, type Classifier } from '../../ts-sdk/index.ts';
import { IMAGES, PACK, referenceLogits, rejects, relaxedSupported, assertSameLogits, wasmBytes, wasmUrl } from './helpers.ts';

const builds = relaxedSupported ? (['simd', 'relaxed'] as const) : (['simd'] as const);

async function check(clf: Classifier, build: string, what: string): Promise<void> {
  assert.is(clf.info.simd, build, `${what}: info.simd`);
  const ref = await referenceLogits();
  for (let i = 0; i < IMAGES.length; i++) assertSameLogits(await clf.logits(IMAGES[i]), ref[i], `${what}: logits of image ${i}`);
  clf.dispose();
}

if (!relaxedSupported)
  console.log(
    '\n  NOTICE sdk tests: no relaxed SIMD in this process (run node with --experimental-wasm-relaxed-simd, as npm test does): relaxed-build cases skipped',
  );

for (const build of builds) {
  test(`options.wasm = the ${build} build as a WebAssembly.Module, bytes, ArrayBuffer, file URL, path, Response`, async () => {
    await check(await load(PACK, { wasm: new WebAssembly.Module(wasmBytes(build)) }), build, 'Module');
    await check(await load(PACK, { wasm: await WebAssembly.compile(wasmBytes(build)) }), build, 'compiled Module');
    await check(await load(PACK, { wasm: wasmBytes(build) }), build, 'Uint8Array');
    await check(await load(PACK, { wasm: wasmBytes(build).buffer }), build, 'ArrayBuffer');
    await check(await load(PACK, { wasm: wasmUrl(build) }), build, 'file URL');
    await check(await load(PACK, { wasm: fileURLToPath(wasmUrl(build)) }), build, 'path');
    await check(await load(PACK, { wasm: new Response(wasmBytes(build)) }), build, 'Response');
  });

  test(`options.simd = '${build}' forces that embedded build; with options.wasm of the same build it is accepted`, async () => {
    await check(await load(PACK, { simd: build }), build, `simd: ${build}`);
    await check(await load(PACK, { simd: build, wasm: wasmBytes(build) }), build, `simd + wasm: ${build}`);
  });
}

test('with no options the best build the engine has is used', async () => {
  await check(await load(PACK), relaxedSupported ? 'relaxed' : 'simd', 'default');
});

test('options.simd contradicting options.wasm is a TypeError naming both', async () => {
  const cases = relaxedSupported
    ? [
        { simd: 'relaxed', wasm: wasmBytes('simd') },
        { simd: 'relaxed', wasm: new WebAssembly.Module(wasmBytes('simd')) },
        { simd: 'simd', wasm: wasmBytes('relaxed') },
      ]
    : [
        { simd: 'relaxed', wasm: wasmBytes('simd') },
        { simd: 'relaxed', wasm: new WebAssembly.Module(wasmBytes('simd')) },
      ];
  for (const opts of cases) {
    const e = await rejects(load(PACK, opts as never), (x) => x instanceof TypeError, `simd ${opts.simd}`);
    assert.match((e as Error).message, `options.simd is '${opts.simd}' but options.wasm is the`);
  }
});

test('options.wasm that is not a kernel module: a CompileError, or a TypeError for a wrong type', async () => {
  await rejects(load(PACK, { wasm: new Uint8Array([0, 97, 115]) }), (x) => x instanceof WebAssembly.CompileError, 'truncated wasm');
  await rejects(
    load(PACK, { wasm: 7 as never }),
    (x) => x instanceof TypeError && /options\.wasm must be/.test((x as Error).message),
    'number',
  );
});

// The engine without relaxed SIMD is Node 20 without its flag: a child process.
test("options.simd = 'relaxed' where the engine lacks relaxed SIMD is a RuntimeFeatureError saying so", () => {
  const script = `
    import { load, RuntimeFeatureError } from './ts-sdk/index.ts';
    import { readFileSync } from 'node:fs';
    const pack = readFileSync('tests/fixtures/tiny-int8.pack');
    const out = {};
    try { await load(pack, { simd: 'relaxed' }); out.forced = 'loaded'; } catch (e) { out.forced = { name: e.name, feature: e.feature, message: e.message, exported: e instanceof RuntimeFeatureError }; }
    const clf = await load(pack);
    out.default = clf.info.simd;
    console.log(JSON.stringify(out));`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: fileURLToPath(new URL('../../', import.meta.url)),
    encoding: 'utf8',
    timeout: 30_000,
  });
  assert.is(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as {
    forced: { name: string; feature: string; message: string; exported: boolean };
    default: string;
  };
  assert.is(out.forced.name, 'RuntimeFeatureError');
  assert.ok(out.forced.exported, 'the error is an instance of the exported RuntimeFeatureError class');
  assert.is(out.forced.feature, 'wasm-relaxed-simd');
  assert.match(out.forced.message, '--experimental-wasm-relaxed-simd');
  assert.is(out.default, 'simd', 'the default falls back to the simd build');
});

test.run();
