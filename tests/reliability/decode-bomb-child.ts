// Decodes one file in a fresh process and reports the time and the process's peak memory, so
// that hostile-files.test.ts can hold each bomb to a time and memory bound.
// usage: node --import tsx decode-bomb-child.ts <file> <minSide>
import { readFileSync } from 'node:fs';
import { decodeImage, ImageDecodeError } from '../../ts-sdk/decode/index.ts';

const [file, minSide] = process.argv.slice(2);
const bytes = new Uint8Array(readFileSync(file));
const hwm = (): number => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) * 1024;
const before = hwm();
const t0 = performance.now();
let outcome: string;
try {
  const im = decodeImage(bytes, { minSide: Number(minSide) });
  outcome = `decoded ${im.width}×${im.height}`;
} catch (e) {
  outcome = e instanceof ImageDecodeError ? `${e.code}: ${e.message}` : `${(e as Error).constructor.name}: ${(e as Error).message}`;
}
console.log(`RESULT ${JSON.stringify({ outcome, ms: performance.now() - t0, peakBytes: hwm(), startBytes: before })}`);
