// The cross-runtime scenario, runtime-neutral: no Node, Deno, Bun, DOM or workerd API, only
// what every one of them has (WebAssembly, crypto.subtle, atob, TextDecoder). Each driver
// hands it the built SDK (dist/index.js), pack sources in the form its runtime loads them
// (path, URL, bytes) and decoded images; it loads each pack with each kernel build the
// engine supports and returns the logits' and the embedding's exact bits (hex of the
// little-endian f32 bytes; the logits' SHA-256) and the top 5, as JSON-ready data.
//
// Erasable TypeScript only (Node 24 strips types natively); the browser and workerd get it
// transpiled by esbuild.

export type Build = 'simd' | 'relaxed';

export interface SdkPrediction {
  label: string;
  index: number;
  score: number;
}
/** The part of a Classifier the scenario uses. */
export interface SdkClassifier {
  info: { simd: string; precision: string; numClasses: number; threads: number; threadsReason?: string };
  logits(images: unknown[]): Promise<Float32Array[]>;
  logits(image: unknown): Promise<Float32Array>;
  embed(image: unknown): Promise<Float32Array>;
  classify(image: unknown, options?: { topK?: number }): Promise<SdkPrediction[]>;
  dispose(): void;
}
/** The part of dist/index.js the scenario uses. */
export interface Sdk {
  load(source: unknown, options?: object): Promise<SdkClassifier>;
  detectFeatures(): { webAssembly: boolean; simd: boolean; relaxedSimd: boolean };
}

export interface ScenarioImage {
  name: string;
  width: number;
  height: number;
  channels: 1 | 3 | 4;
  data: Uint8Array<ArrayBuffer>;
}

export interface ImageResult {
  image: string;
  /** The logits' bytes (f32, little-endian) in hex: equal strings ⇔ bit-identical logits. */
  logits: string;
  sha256: string;
  top5: SdkPrediction[];
  /** embed()'s bytes (f32, little-endian) in hex. */
  embedding: string;
}

export interface Run {
  pack: string;
  build: Build;
  /** `info.precision` of the loaded classifier. */
  precision: string;
  images: ImageResult[];
}

/** One pack loaded with `threads` asked for: what it got, each image alone, and all of them as one batch. */
export interface ThreadsRun {
  pack: string;
  requested: number;
  threads: number;
  reason?: string;
  build: Build;
  precision: string;
  images: ImageResult[];
  /** logits() of the whole image list in one call (hex per image, in order). */
  batch: string[];
}

/** Thread counts every runtime is asked for (it must use them, or say why it runs one thread). */
export const THREAD_COUNTS = [2, 3, 4];

export interface ScenarioResult {
  runtime: string;
  features: { webAssembly: boolean; simd: boolean; relaxedSimd: boolean };
  /** The build load() picks with no options (null where the runtime can't use the default: workerd). */
  defaultBuild: string | null;
  runs: Run[];
  /** Extra checks a driver ran (e.g. a browser decoding the PNG itself). */
  extra: { name: string; pack: string; build: Build; images: ImageResult[] }[];
  threads: ThreadsRun[];
  notes: string[];
}

export interface ScenarioOptions {
  sdk: Sdk;
  runtime: string;
  /** `source()` is called once per load (a Response can be read only once). */
  packs: { name: string; source: () => unknown }[];
  images: ScenarioImage[];
}

function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** f32 values' bytes in little-endian order, whatever the host's. */
function f32Bytes(values: Float32Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(values.length * 4);
  const dv = new DataView(out.buffer);
  values.forEach((v, i) => dv.setFloat32(i * 4, v, true));
  return out;
}

export async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  return hex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)));
}

/** Each pack at each of THREAD_COUNTS (default build): every image alone and all as one batch. */
export async function runThreads(
  sdk: Sdk,
  packs: ScenarioOptions['packs'],
  images: unknown[],
  names: string[],
  options: object = {},
): Promise<ThreadsRun[]> {
  const out: ThreadsRun[] = [];
  for (const pack of packs) {
    for (const requested of THREAD_COUNTS) {
      const clf = await sdk.load(pack.source(), { ...options, threads: requested });
      try {
        const results: ImageResult[] = [];
        for (const [i, im] of images.entries()) results.push(await classifyOne(clf, names[i], im));
        const batch = (await clf.logits(images)).map((l) => hex(f32Bytes(l)));
        const { threads, threadsReason, simd, precision } = clf.info;
        out.push({
          pack: pack.name,
          requested,
          threads,
          ...(threadsReason === undefined ? {} : { reason: threadsReason }),
          build: simd as Build,
          precision,
          images: results,
          batch,
        });
      } finally {
        clf.dispose();
      }
    }
  }
  return out;
}

/** Logits and embedding (exact bits) and top 5 of one image, through the public API. */
export async function classifyOne(clf: SdkClassifier, name: string, image: unknown): Promise<ImageResult> {
  const logits = await clf.logits(image);
  const top5 = await clf.classify(image, { topK: 5 });
  const embedding = await clf.embed(image);
  const bytes = f32Bytes(logits);
  return {
    image: name,
    logits: hex(bytes),
    sha256: await sha256(bytes),
    top5: top5.map((p) => ({ label: p.label, index: p.index, score: p.score })),
    embedding: hex(f32Bytes(embedding)),
  };
}

export async function runScenario(o: ScenarioOptions): Promise<ScenarioResult> {
  const features = o.sdk.detectFeatures();
  const builds: Build[] = features.relaxedSimd ? ['simd', 'relaxed'] : ['simd'];
  const notes: string[] = [];
  if (!features.relaxedSimd) notes.push('no relaxed SIMD in this engine: only the simd build ran');
  const runs: Run[] = [];
  for (const pack of o.packs) {
    for (const build of builds) {
      const clf = await o.sdk.load(pack.source(), { simd: build });
      try {
        if (clf.info.simd !== build) throw new Error(`${pack.name}: asked for the ${build} build, info.simd says ${clf.info.simd}`);
        const images: ImageResult[] = [];
        for (const im of o.images) images.push(await classifyOne(clf, im.name, im));
        runs.push({ pack: pack.name, build, precision: clf.info.precision, images });
      } finally {
        clf.dispose();
      }
    }
  }
  let defaultBuild: string | null = null;
  if (o.packs.length > 0) {
    const clf = await o.sdk.load(o.packs[0].source());
    defaultBuild = clf.info.simd;
    clf.dispose();
  }
  const threads = await runThreads(
    o.sdk,
    o.packs,
    o.images,
    o.images.map((im) => im.name),
  );
  return { runtime: o.runtime, features, defaultBuild, runs, extra: [], threads, notes };
}

// The job a harness hands a driver: packs by path (relative to the repo root) and images as
// decoded pixels (base64), so no runtime needs an image decoder.
export interface Job {
  packs: { name: string; path: string }[];
  /** `path`: the encoded file the pixels came from (the browser decodes it itself too). */
  images: { name: string; path: string; width: number; height: number; channels: 1 | 3 | 4; base64: string }[];
}

export function jobImages(job: Job): ScenarioImage[] {
  return job.images.map((im) => {
    const bin = atob(im.base64);
    const data = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) data[i] = bin.charCodeAt(i);
    return { name: im.name, width: im.width, height: im.height, channels: im.channels, data };
  });
}

/** Drivers that print their result mark the line, so a runtime's own chatter can't be mistaken for it. */
export const RESULT_MARK = '@@cross-runtime-result@@ ';
