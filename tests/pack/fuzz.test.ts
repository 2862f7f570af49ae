// Seeded mutation loop: every mutated pack must either load (and then re-write cleanly) or fail
// with a PackFormatError. Any other exception (RangeError from a DataView, TypeError from a
// missing field) is a reader bug. Most mutations re-stamp the CRC so they reach the parser.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PackFormatError } from '../../ts-sdk/pack/errors.ts';
import { readPack, writePack } from '../../ts-sdk/pack/index.ts';
import { HEADER, RECORD, RECORD_SIZE } from '../../ts-sdk/pack/format.ts';
import { stampChecksum } from '../../ts-sdk/pack/header.ts';
import { assemblePack } from '../../ts-sdk/pack/writer.ts';
import { rng, type Rng } from '../helpers/rng.ts';
import { parts, type Parts } from './helpers.ts';
import { tinyModel } from './fixtures.ts';
import { interesting, randomJson } from '../reliability/pack-mutate.ts';

const CASES = 3000;
const packs = [writePack(tinyModel('int8', 11)), writePack(tinyModel('fp32', 12))];
const split = packs.map(parts);

/** Replaces, deletes or adds one value somewhere inside the graph document. */
// biome-ignore lint/suspicious/noExplicitAny: a walk over arbitrary JSON that writes values of any type anywhere
function mutateDoc(r: Rng, doc: any): void {
  // biome-ignore lint/suspicious/noExplicitAny: as above
  let node: any = doc;
  let key: string | number = 'graph';
  for (let d = 0; d < 6 && node[key] !== null && typeof node[key] === 'object' && r.next() < 0.8; d++) {
    node = node[key];
    const keys: (string | number)[] = Array.isArray(node) ? node.map((_: unknown, i: number) => i) : Object.keys(node);
    if (!keys.length) break;
    key = r.pick(keys);
  }
  const what = r.int(0, 9);
  if (what === 0 && !Array.isArray(node)) delete node[key];
  else if (what === 1 && Array.isArray(node)) node.splice(Number(key), 1);
  else if (what === 2 && Array.isArray(node)) node.push(structuredClone(node[Number(key)]));
  else if (what === 3 && typeof node[key] === 'number') node[key] += r.pick([-1, 1, 0.5, 8, -8]);
  else node[key] = randomJson(r);
}

function mutate(r: Rng, base: Uint8Array, p: Parts): Uint8Array {
  const b = base.slice();
  const v = new DataView(b.buffer);
  switch (r.int(0, 7)) {
    case 0: {
      // flip bits anywhere; usually fix the CRC so the damage reaches the parser
      for (let k = r.int(1, 8); k > 0; k--) b[r.int(0, b.length - 1)] ^= 1 << r.int(0, 7);
      if (r.next() < 0.8) stampChecksum(b);
      return b;
    }
    case 1: {
      // set a header field
      const f = r.pick(Object.values(HEADER).filter((o) => o >= 12 && o < 44));
      v.setUint32(f, interesting(r, v.getUint32(f, true)), true);
      stampChecksum(b);
      return b;
    }
    case 2: {
      // set a table record field (u32 or byte)
      const rec = p.header.tableOffset + r.int(0, p.header.tensorCount - 1) * RECORD_SIZE;
      const f = r.pick(Object.values(RECORD));
      if (f === RECORD.dtype || f === RECORD.layout || f === RECORD.rank || f === RECORD.reserved0)
        b[rec + f] = r.pick([0, 1, 2, 3, 4, 5, 6, 7, 255]);
      else v.setUint32(f === RECORD.dims ? rec + f + 4 * r.int(0, 5) : rec + f, interesting(r, v.getUint32(rec + f, true)), true);
      stampChecksum(b);
      return b;
    }
    case 3: {
      // cut or extend, header untouched or fixed up
      const n = r.next() < 0.5 ? r.int(0, b.length - 1) : b.length + r.int(1, 200);
      const c = new Uint8Array(n);
      c.set(b.subarray(0, Math.min(n, b.length)));
      if (n >= 16 && r.next() < 0.5) new DataView(c.buffer).setUint32(HEADER.fileSize, n, true);
      if (n >= 68 && r.next() < 0.7) stampChecksum(c);
      return c;
    }
    case 4: {
      // edit the metadata document structurally
      const doc = JSON.parse(p.meta);
      for (let k = r.int(1, 3); k > 0; k--) mutateDoc(r, doc);
      return assemblePack(JSON.stringify(doc), p.entries, p.data);
    }
    case 5: {
      // edit the metadata text: splice, delete or duplicate a span
      const t = p.meta;
      const i = r.int(0, t.length);
      const j = Math.min(t.length, i + r.int(0, 12));
      const ins = r.pick(['', '0', '-1', '1e999', '"', '{', '}', '[', ']', ',', 'null', '\u0000', '\ud800', t.slice(i, j)]);
      return assemblePack(t.slice(0, i) + ins + t.slice(r.next() < 0.5 ? j : i), p.entries, p.data);
    }
    case 6: {
      // change a tensor's dims / dtype / layout, data resized to the new byte length
      const entries = p.entries.map((e) => ({ ...e, dims: [...e.dims] }));
      const data = [...p.data];
      const i = r.int(0, entries.length - 1);
      const e = entries[i];
      const what = r.int(0, 3);
      if (what === 0) e.dims[r.int(0, e.dims.length - 1)] = r.int(1, 40);
      else if (what === 1) e.dtype = r.pick(['i8', 'u8', 'i16', 'i32', 'f32'] as const);
      else if (what === 2) e.layout = r.pick(['plain', 'q8c2', 'f32n8'] as const);
      else e.dims = e.dims.length > 1 ? e.dims.slice(1) : [...e.dims, 1];
      e.byteLength = r.next() < 0.7 ? e.byteLength : r.int(1, 4000);
      const d = new Uint8Array(e.byteLength);
      d.set(data[i].subarray(0, Math.min(d.length, data[i].length)));
      data[i] = d;
      return assemblePack(p.meta, entries, data);
    }
    default: {
      // drop, duplicate or reorder tensors
      const entries = p.entries.map((e) => ({ ...e }));
      const data = [...p.data];
      const i = r.int(0, entries.length - 1);
      const j = r.int(0, entries.length - 1);
      const what = r.int(0, 2);
      if (what === 0) {
        entries.splice(i, 1);
        data.splice(i, 1);
      } else if (what === 1) {
        entries.push({ ...entries[i] });
        data.push(data[i]);
      } else {
        [entries[i], entries[j]] = [entries[j], entries[i]];
        [data[i], data[j]] = [data[j], data[i]];
      }
      return assemblePack(p.meta, entries, data);
    }
  }
}

test(`${CASES} seeded mutations end in PackFormatError or a valid load`, () => {
  const outcomes = new Map<string, number>();
  for (let c = 0; c < CASES; c++) {
    const r = rng(1000 + c);
    const k = c % packs.length;
    const bytes = mutate(r, packs[k], split[k]);
    let outcome: string;
    try {
      const model = readPack(bytes);
      outcome = 'loaded';
      readPack(writePack(model)); // whatever loads must also write and load again
    } catch (e) {
      if (!(e instanceof PackFormatError)) {
        assert.unreachable(`case ${c} (seed ${1000 + c}) threw ${(e as Error)?.stack ?? String(e)}`);
      }
      outcome = (e as PackFormatError).code;
    }
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    if (process.env.FUZZ_STATS && c === CASES - 1) console.log(outcomes); // FUZZ_STATS=1 shows how deep the cases got
  }
  // The mutations must reach every layer, not stop at the checksum.
  for (const code of [
    'loaded',
    'TRUNCATED',
    'BAD_HEADER',
    'CHECKSUM_MISMATCH',
    'BAD_TENSOR_TABLE',
    'BAD_METADATA',
    'BAD_GRAPH',
    'INCONSISTENT_SHAPES',
    'MISSING_TENSOR',
  ]) {
    assert.ok((outcomes.get(code) ?? 0) > 0, `no case ended in ${code}: ${JSON.stringify([...outcomes])}`);
  }
});

test.run();
