// Every model file the benchmark compares, made from one seeded torchvision-shaped network
// and cached under bench/out/models/<arch>-<size>-s<seed>/:
//   fp32.onnx   the fixture (unfolded BatchNorm, as torch exports it) — onnxruntime-web fp32
//   fp32.pack   our fp32 pack of the same weights
//   int8.pack   our int8 pack, calibrated on `calibImages` seeded images with the wasm runner
//   qdq.onnx    the int8 peer model: our int8 weights, biases and activation quantization as QDQ,
//               from the same calibration but unfused (a u8 tensor before every add), so that
//               onnxruntime's QDQ fusions find QLinearConv + QLinearAdd everywhere — its fastest
//               int8 path — rather than a float Conv feeding a float Add
// The tfjs peer is built in memory from the float model (bench/models/tfjs-resnet.ts).
import { join } from 'node:path';
import type { Model } from '../../ts-sdk/model/graph.ts';
import { writePack } from '../../ts-sdk/pack/index.ts';
import { convertOnnx, createWasmRunner, toFp32, toInt8 } from '../../weights/convert/index.ts';
import { makeResnetOnnx } from '../../tests/fixtures/make-resnet-onnx.ts';
import { randomImages } from '../../tests/fixtures/random-images.ts';
import type { ArchName } from '../../tests/fixtures/resnet-spec.ts';
import { cached, OUT_DIR, sourceKey } from './cache.ts';
import { writeQdqOnnx } from './qdq-onnx.ts';

export interface ModelOptions {
  arch: ArchName;
  /** @defaultValue 224 */
  size?: number;
  /** Weight seed. @defaultValue 18 for resnet18, 34 for resnet34 (as tests/e2e), 50 for resnet50, 20 for cifar20 */
  seed?: number;
  /** @defaultValue 1000 */
  classes?: number;
  /** Seeded calibration images. @defaultValue 32 */
  calibImages?: number;
  log?: (s: string) => void;
}

export interface ModelSet {
  arch: ArchName;
  size: number;
  seed: number;
  classes: number;
  calibImages: number;
  dir: string;
  files: { fp32Onnx: string; qdqOnnx: string; int8Pack: string; fp32Pack: string };
  bytes: { fp32Onnx: Uint8Array; qdqOnnx: Uint8Array; int8Pack: Uint8Array; fp32Pack: Uint8Array };
  /** The converter's float model (BN folded): the weights the tfjs peer is built from. */
  float: Model;
  inputName: string;
  outputName: string;
}

// What each artifact is made from. Kernel builds are not in the keys: the fp32 calibration
// kernels equal their scalar twins bit for bit, so the packs do not depend on them.
const FIXTURE_SOURCES = ['make-resnet-onnx.ts', 'onnx-builder.ts', 'resnet-spec.ts', 'random-images.ts', 'rng.ts']
  .map((f) => `tests/fixtures/${f}`)
  .concat('weights/convert/onnx-schema.ts');
const CONVERT_SOURCES = [
  ...FIXTURE_SOURCES,
  'weights/convert',
  'ts-sdk/pack',
  'ts-sdk/model',
  'ts-sdk/kernels/packing.ts',
  'bench/models/prepare.ts',
];
const QDQ_SOURCES = [...CONVERT_SOURCES, 'bench/models/qdq-onnx.ts'];

export async function prepareModels(o: ModelOptions): Promise<ModelSet> {
  const size = o.size ?? 224;
  const seed = o.seed ?? ({ resnet34: 34, resnet50: 50, cifar20: 20 } as Record<string, number>)[o.arch] ?? 18;
  const classes = o.classes ?? 1000;
  const calibImages = o.calibImages ?? 32;
  const dir = join(OUT_DIR, 'models', `${o.arch}-${size}-s${seed}`);
  const params = { arch: o.arch, size, seed, classes };

  const onnx = await cached(
    join(dir, 'fp32.onnx'),
    sourceKey(FIXTURE_SOURCES, params),
    () => makeResnetOnnx({ arch: o.arch, size, seed, classes }).bytes,
    o.log,
  );
  const float = convertOnnx(onnx.bytes, {});

  const convertKey = sourceKey(CONVERT_SOURCES, { ...params, calibImages });
  const fp32Pack = await cached(
    join(dir, 'fp32.pack'),
    convertKey,
    async () => writePack(toFp32(float, { runner: await createWasmRunner(float) })),
    o.log,
  );
  const int8 = async (fuseResidual: boolean) => {
    const calib = randomImages({ count: calibImages, size, seed: 1234 });
    return toInt8(float, calib, { runner: await createWasmRunner(float), total: calibImages, fuseResidual }).model;
  };
  const int8Pack = await cached(join(dir, 'int8.pack'), convertKey, async () => writePack(await int8(true)), o.log);
  const qdq = await cached(
    join(dir, 'qdq.onnx'),
    sourceKey(QDQ_SOURCES, { ...params, calibImages }),
    async () => writeQdqOnnx(float, await int8(false)),
    o.log,
  );

  return {
    arch: o.arch,
    size,
    seed,
    classes,
    calibImages,
    dir,
    float,
    inputName: 'input',
    outputName: 'output',
    files: { fp32Onnx: onnx.path, qdqOnnx: qdq.path, int8Pack: int8Pack.path, fp32Pack: fp32Pack.path },
    bytes: { fp32Onnx: onnx.bytes, qdqOnnx: qdq.bytes, int8Pack: int8Pack.bytes, fp32Pack: fp32Pack.bytes },
  };
}
