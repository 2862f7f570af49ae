// Kernel benchmark: replays every distinct convolution of ResNet-18/34 or ResNet-50 at 224×224
// (bench/shapes/*.txt) through im2col + the int8 GEMM and reports GMAC/s beside the peak of
// i32x4.dot_i16x8_s measured in the same run (independent dot+add chains).
//   node --import tsx bench/kernels.ts [--build simd|relaxed] [--shapes resnet18|resnet50] [--seconds 0.4] [--json out.json]
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  asPtr,
  instantiateKernels,
  paramsBytes,
  unitsOf,
  winogradLocalBytes,
  writeParams,
  KERNELS,
  type Fields,
  type KernelExports,
  type KernelFn,
  type KernelName,
  type ParamsOfKernel,
} from '../ts-sdk/kernels/abi.ts';
import { packQ8Weights, roundUp } from '../ts-sdk/kernels/packing.ts';

const { values: opt } = parseArgs({
  options: {
    build: { type: 'string', default: 'simd' },
    shapes: { type: 'string', default: 'resnet18' },
    seconds: { type: 'string', default: '0.4' },
    json: { type: 'string' },
  },
});
const seconds = Number(opt.seconds);

interface Shape {
  M: number;
  N: number;
  K: number;
  H: number;
  W: number;
  C: number;
  KH: number;
  stride: number;
  pad: number;
  count: number;
  name: string;
}
function readShapes(file: string): Shape[] {
  return readFileSync(new URL(`shapes/${file}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => {
      const t = l.trim().split(/\s+/);
      const [M, N, K, H, W, C, KH, stride, pad, count] = t.slice(0, 10).map(Number);
      return { M, N, K, H, W, C, KH, stride, pad, count, name: t.slice(10).join(' ') };
    });
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** Warm fn up for `warm` seconds (V8 tiers wasm up lazily), then return one timed call in seconds. */
function warmUp(fn: () => void, warm: number): void {
  const t0 = performance.now();
  while (performance.now() - t0 < warm * 1000) fn();
}
function once(fn: () => void): number {
  const s = performance.now();
  fn();
  return (performance.now() - s) / 1000;
}

/**
 * This machine is shared and noisy, so the peak and the kernel are sampled alternately
 * (peak, kernel, peak, kernel, ...) and compared by their medians: slow drifts in load hit
 * both alike.
 */
function interleaved(peakFn: () => void, fns: (() => void)[]): { peak: number; t: number[] } {
  const ps: number[] = [];
  const ts: number[][] = fns.map(() => []);
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000 || ps.length < 7) {
    ps.push(once(peakFn));
    fns.forEach((f, i) => ts[i].push(once(f)));
  }
  return { peak: median(ps), t: ts.map(median) };
}

const memory = new WebAssembly.Memory({ initial: 2048 });
const k: KernelExports = await instantiateKernels(
  new WebAssembly.Module(readFileSync(new URL(`../build/kernels-${opt.build}.wasm`, import.meta.url))),
  memory,
);
const peakMod = new WebAssembly.Module(readFileSync(new URL('../build/bench-peak.wasm', import.meta.url)));
const peak = (await WebAssembly.instantiate(peakMod, { env: { memory } })).exports as Record<string, (p: number, iters: number) => number>;
const base = k.heapBase();

const PEAK_ITERS = 20_000; // ~0.05 ms per call, comparable to one kernel call
new Int16Array(memory.buffer, base, 48).forEach((_, i, a) => {
  a[i] = ((i * 37) % 200) - 100;
});
const peakCall = () => peak.peak_dot_i16x8(base, PEAK_ITERS);
const peakGmacs = (s: number) => (PEAK_ITERS * 64) / s / 1e9;

function convGmacs(sh: Shape): { gemm: number; conv: number; peak: number; winograd?: number } {
  const OH = Math.floor((sh.H + 2 * sh.pad - sh.KH) / sh.stride) + 1;
  const OW = Math.floor((sh.W + 2 * sh.pad - sh.KH) / sh.stride) + 1;
  const Kp = roundUp(sh.K, 2);
  let p: number = base + 4096;
  const take = (n: number) => {
    const q = p;
    p = Math.ceil((p + n + 64) / 64) * 64;
    if (p > memory.buffer.byteLength) memory.grow(Math.ceil((p - memory.buffer.byteLength) / 65536));
    return asPtr(q);
  };
  /** A kernel call with its params block, over all its work units (one thread). */
  const bind = <N extends KernelName>(kernel: N, params: Fields<ParamsOfKernel<N>>, local = asPtr(0)) => {
    const kind = KERNELS[kernel].params,
      block = writeParams(memory.buffer, take(paramsBytes(kind)), kind, params);
    const fn = k[kernel] as KernelFn,
      units = unitsOf(kind, params);
    return () => fn(block, 0, units, local);
  };
  const x = take(sh.H * sh.W * sh.C),
    a = take(roundUp(sh.M, 4) * Kp * 2);
  const wLogical = Int8Array.from({ length: sh.N * sh.K }, (_, i) => ((i * 7919) % 255) - 127);
  const packed = packQ8Weights(wLogical, sh.N, sh.K);
  const w = take(packed.length),
    b = take(roundUp(sh.N, 8) * 4),
    m = take(roundUp(sh.N, 8) * 4),
    y = take(sh.M * sh.N);
  new Uint8Array(memory.buffer, x, sh.H * sh.W * sh.C).forEach((_, i, arr) => {
    arr[i] = (i * 31) & 255;
  });
  new Int8Array(memory.buffer, w, packed.length).set(packed);
  new Int32Array(memory.buffer, b, roundUp(sh.N, 8)).fill(100);
  new Float32Array(memory.buffer, m, roundUp(sh.N, 8)).fill(1e-4);
  const im2col = bind('qu8_im2col_4c2__simd', {
    x,
    H: sh.H,
    W: sh.W,
    C: sh.C,
    zx: 17,
    KH: sh.KH,
    KW: sh.KH,
    stride: sh.stride,
    padT: sh.pad,
    padL: sh.pad,
    OH,
    OW,
    Kp,
    a,
  });
  const gemm = bind('qu8_qc8w_gemm_minmax_4x8c2__simd', {
    M: sh.M,
    N: sh.N,
    Kp,
    a,
    w,
    bias: b,
    mult: m,
    y,
    yStride: sh.N,
    zy: 0,
    qmin: 0,
    qmax: 255,
    residual: asPtr(0),
    zr: 0,
    residualMult: 0,
  });
  const conv = () => {
    im2col();
    gemm();
  };
  const fns = [gemm, conv];
  // 3×3 stride 1: also the exact Winograd F(2×2, 3×3) path (same output bit for bit).
  if (sh.KH === 3 && sh.stride === 1) {
    const T = Math.ceil(sh.H / 2) * Math.ceil(sh.W / 2);
    const v = take(16 * roundUp(T, 4) * sh.C * 2),
      local = take(winogradLocalBytes(sh.C));
    const input = bind('qu8_winograd_input_f2x2_3x3__simd', { x, H: sh.H, W: sh.W, C: sh.C, zx: 17, Cp: sh.C, v });
    const conv3 = bind(
      'qu8_qc8w_winograd_conv_f2x2_3x3_minmax_4x8c2__simd',
      {
        H: sh.H,
        W: sh.W,
        N: sh.N,
        Cp: sh.C,
        v,
        w,
        bias: b,
        mult: m,
        y,
        zy: 0,
        qmin: 0,
        qmax: 255,
        residual: asPtr(0),
        zr: 0,
        residualMult: 0,
      },
      local,
    );
    fns.push(() => {
      input();
      conv3();
    });
  }
  for (const f of fns) warmUp(f, 0.15);
  const r = interleaved(peakCall, fns);
  const macs = sh.M * sh.N * sh.K;
  return {
    gemm: macs / r.t[0] / 1e9,
    conv: macs / r.t[1] / 1e9,
    peak: peakGmacs(r.peak),
    winograd: r.t[2] ? macs / r.t[2] / 1e9 : undefined,
  };
}

const rows: Record<string, unknown>[] = [];
warmUp(peakCall, 0.5);
console.log(
  `build ${opt.build}, ${process.version}; peak = i32x4.dot_i16x8_s in 8 independent dot+add chains, sampled alternately with each kernel`,
);
{
  const aloneCall = () => peak.peak_dot_i16x8_alone(base, PEAK_ITERS);
  warmUp(aloneCall, 0.3);
  const r = interleaved(peakCall, [aloneCall]);
  console.log(
    `i32x4.dot_i16x8_s alone (no add per dot): ${peakGmacs(r.t[0]).toFixed(1)} GMAC/s vs with an add per dot ${peakGmacs(r.peak).toFixed(1)} GMAC/s`,
  );
  const loops = [peak.peak_gemm_loop_i8w, peak.peak_gemm_loop_i16w].map((f) => () => f(base, PEAK_ITERS));
  for (const f of loops) warmUp(f, 0.3);
  const g = interleaved(peakCall, loops);
  console.log(
    `the 4×8 GEMM's inner loop with its loads (L1): ${peakGmacs(g.t[0]).toFixed(1)} GMAC/s with i8 weights widened on load, ${peakGmacs(g.t[1]).toFixed(1)} with i16 weights; peak ${peakGmacs(g.peak).toFixed(1)}`,
  );
}
if (WebAssembly.validate(readFileSync(new URL('../build/kernels-relaxed.wasm', import.meta.url)))) {
  const relaxedCall = () => peak.peak_relaxed_dot_i8x16_i7x16(base, PEAK_ITERS);
  warmUp(relaxedCall, 0.3);
  const r = interleaved(peakCall, [relaxedCall]);
  console.log(
    `i32x4.relaxed_dot_i8x16_i7x16_add_s peak: ${((PEAK_ITERS * 128) / r.t[0] / 1e9).toFixed(1)} GMAC/s vs dot_i16x8_s ${peakGmacs(r.peak).toFixed(1)} GMAC/s`,
  );
}
console.log(
  'shape                       M     N     K   peak GMAC/s   GEMM GMAC/s  conv GMAC/s  conv % of peak  Winograd (direct-MAC-equivalent GMAC/s, % of peak)',
);
// The network's convolutions summed (each shape × its count): at the measured rates, and the
// floor if every multiply ran at the dot+add peak (Winograd shapes count their 16 multiplies
// per 2×2 output tile instead of 36).
let measuredMs = 0;
let floorMs = 0;
// resnet34.txt has resnet18's distinct shapes with other counts.
for (const sh of readShapes(`${opt.shapes}.txt`)) {
  const r = convGmacs(sh);
  const macs = sh.M * sh.N * sh.K * sh.count;
  // Winograd runs only 3×3 stride 1 pad 1: the output is the input's size.
  const multiplies = r.winograd ? 16 * Math.ceil(sh.H / 2) * Math.ceil(sh.W / 2) * sh.C * sh.N * sh.count : macs;
  measuredMs += macs / Math.max(r.conv, r.winograd ?? 0) / 1e6;
  floorMs += multiplies / r.peak / 1e6;
  const pct = (100 * r.conv) / r.peak;
  rows.push({
    name: sh.name,
    M: sh.M,
    N: sh.N,
    K: sh.K,
    peakGmacs: r.peak,
    gemmGmacs: r.gemm,
    convGmacs: r.conv,
    pctOfPeak: pct,
    winogradEquivGmacs: r.winograd,
  });
  const wino = r.winograd ? `${r.winograd.toFixed(1).padStart(8)}  ${((100 * r.winograd) / r.peak).toFixed(0).padStart(5)} %` : '';
  console.log(
    `${sh.name.padEnd(22)} ${String(sh.M).padStart(6)} ${String(sh.N).padStart(5)} ${String(sh.K).padStart(5)}   ${r.peak.toFixed(1).padStart(9)}   ${r.gemm.toFixed(1).padStart(11)}  ${r.conv.toFixed(1).padStart(11)}  ${pct.toFixed(0).padStart(10)} %  ${wino}`,
  );
}
console.log(
  `all ${opt.shapes} convolutions (shape × count): ${measuredMs.toFixed(1)} ms at the rates above (the faster of GEMM and Winograd); ${floorMs.toFixed(1)} ms if every multiply ran at the dot+add peak`,
);
if (opt.json)
  writeFileSync(
    opt.json,
    JSON.stringify(
      { date: new Date().toISOString(), node: process.version, build: opt.build, shapes: opt.shapes, measuredMs, floorMs, rows },
      null,
      2,
    ),
  );
