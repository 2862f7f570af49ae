// Seeded mutations of every committed JPEG and PNG fixture through decodeImage: each must
// decode to a well-formed image or throw an ImageDecodeError whose message is ours
// ("decodeImage: …") — never a TypeError/RangeError from inside a decoder, never a message
// from a library ("Offset is outside the bounds of the DataView", "Unsupported filter"), and
// never more than a bounded time or the memory budget. PNG mutations re-stamp the chunk CRCs
// half the time, so they reach the inflater and the filters instead of stopping at the CRC.
// DECODE_FUZZ_CASES raises the count; DECODE_FUZZ_SEED=<n> replays one case and prints it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { decodeImage, ImageDecodeError } from '../../ts-sdk/decode/index.ts';
import { rng, type Rng } from '../helpers/rng.ts';
import { pngChunk } from './bombs.ts';

const CASES = Number(process.env.DECODE_FUZZ_CASES ?? 4000);
const ONE = process.env.DECODE_FUZZ_SEED;
/** No case may take longer than this: the largest fixture decodes in ~1 ms, but a loaded machine pauses a process for hundreds. */
const CASE_MS = 2000;

const dir = new URL('../fixtures/preprocess/decode/', import.meta.url);
const files = [
  ...readdirSync(dir).filter((f) => /\.(jpg|png)$/.test(f)),
  ...readdirSync(new URL('scaled/', dir))
    .filter((f) => f.endsWith('.jpg'))
    .map((f) => `scaled/${f}`),
].map((name) => ({ name, bytes: new Uint8Array(readFileSync(new URL(name, dir))) }));

/** Re-stamps every chunk's CRC of a (mutated) PNG whose chunk lengths still parse. */
function restampPng(b: Uint8Array): Uint8Array {
  const out = b.slice();
  for (let at = 8; at + 12 <= out.length; ) {
    const len = ((out[at] << 24) | (out[at + 1] << 16) | (out[at + 2] << 8) | out[at + 3]) >>> 0;
    if (at + 12 + len > out.length) break;
    const type = String.fromCharCode(...out.subarray(at + 4, at + 8));
    out.set(pngChunk(type, out.subarray(at + 8, at + 8 + len)).subarray(8 + len), at + 8 + len);
    at += 12 + len;
  }
  return out;
}

function mutate(r: Rng, src: Uint8Array, png: boolean): { bytes: Uint8Array; what: string } {
  let b = src.slice();
  const kind = r.int(0, 5);
  let what: string;
  if (kind === 0) {
    const n = r.int(1, 8);
    for (let i = 0; i < n; i++) b[r.int(0, b.length - 1)] ^= 1 << r.int(0, 7);
    what = `${n} bit flips`;
  } else if (kind === 1) {
    const at = r.int(0, b.length - 1);
    b[at] = r.pick([0, 1, 0x7f, 0x80, 0xff, 0xfe, 0xd9, 0xda, 0xc4, 0xdb, 0xdd, 0xc0, 0xc2]);
    what = `byte ${at} := ${b[at]}`;
  } else if (kind === 2) {
    const n = r.int(0, b.length - 1);
    b = b.subarray(0, n);
    what = `truncated to ${n}`;
  } else if (kind === 3) {
    // A 16-bit field (a JPEG segment length or size, a PNG length half) set to an edge value.
    const at = r.int(2, b.length - 2);
    const v = r.pick([0, 1, 2, 0xff, 0x100, 0x7fff, 0x8000, 0xffff]);
    b[at] = v >> 8;
    b[at + 1] = v & 255;
    what = `u16 at ${at} := ${v}`;
  } else if (kind === 4) {
    const from = r.int(0, b.length - 1);
    const len = r.int(1, 64);
    const out = new Uint8Array(b.length + len);
    out.set(b.subarray(0, from));
    out.set(b.subarray(from, Math.min(b.length, from + len)), from);
    out.set(b.subarray(from), from + Math.min(len, b.length - from));
    b = out.subarray(0, b.length + Math.min(len, b.length - from));
    what = `${len} bytes at ${from} duplicated`;
  } else {
    const from = r.int(0, b.length - 2);
    const len = r.int(1, Math.min(64, b.length - from - 1));
    b = Uint8Array.from([...b.subarray(0, from), ...b.subarray(from + len)]);
    what = `${len} bytes at ${from} deleted`;
  }
  if (png && r.next() < 0.5) return { bytes: restampPng(b), what: `${what}, CRCs re-stamped` };
  return { bytes: b, what };
}

function runCase(seed: number): { outcome: string; problem?: string } {
  const r = rng(seed);
  const f = r.pick(files);
  const { bytes, what } = mutate(r, f.bytes, f.name.endsWith('.png'));
  const minSide = r.next() < 0.3 ? r.int(1, 40) : 0;
  const t0 = performance.now();
  const where = `seed ${seed}: ${f.name}, ${what}${minSide ? `, minSide ${minSide}` : ''}`;
  try {
    const im = decodeImage(bytes, { minSide, maxBytes: 4 << 20 });
    const ms = performance.now() - t0;
    if (ms > CASE_MS) return { outcome: 'slow', problem: `${where}: decoded in ${ms.toFixed(0)} ms` };
    if (!(im.data instanceof Uint8Array) || im.data.length !== im.width * im.height * im.channels || ![1, 3, 4].includes(im.channels)) {
      return {
        outcome: 'bad image',
        problem: `${where}: returned ${im.width}×${im.height}×${im.channels} with ${im.data?.length} samples`,
      };
    }
    return { outcome: 'decoded' };
  } catch (e) {
    const ms = performance.now() - t0;
    if (!(e instanceof ImageDecodeError))
      return {
        outcome: 'wrong error',
        problem: `${where}: ${e instanceof Error ? `${e.constructor.name}: ${e.message}\n${e.stack}` : String(e)}`,
      };
    if (!e.message.startsWith('decodeImage: ')) return { outcome: 'wrong message', problem: `${where}: ${e.message}` };
    if (ms > CASE_MS) return { outcome: 'slow', problem: `${where}: refused after ${ms.toFixed(0)} ms` };
    return { outcome: e.code };
  }
}

test(`${ONE ? `case ${ONE}` : `${CASES} mutated JPEG/PNG files`}: an image or an ImageDecodeError in our words, each in under ${CASE_MS} ms`, () => {
  const seeds = ONE ? [Number(ONE)] : Array.from({ length: CASES }, (_, i) => 70_000 + i);
  const counts: Record<string, number> = {};
  const problems: string[] = [];
  const t0 = performance.now();
  for (const seed of seeds) {
    const { outcome, problem } = runCase(seed);
    counts[outcome] = (counts[outcome] ?? 0) + 1;
    if (problem) problems.push(problem);
    if (ONE) console.log(outcome, problem ?? '');
  }
  assert.ok(
    !problems.length,
    `${problems.length} failing cases (replay one with DECODE_FUZZ_SEED=<seed>):\n${problems.slice(0, 10).join('\n')}`,
  );
  if (!ONE) {
    for (const code of ['decoded', 'CORRUPT', 'TRUNCATED']) assert.ok(counts[code] > 0, `no case ended ${code}: ${JSON.stringify(counts)}`);
    console.log(`\n  decode fuzz: ${seeds.length} cases in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${JSON.stringify(counts)}`);
  }
});

test.run();
