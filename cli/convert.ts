// `edge-resnet convert model.onnx -o model.pack`: the commander front end over the library's
// one pipeline (weights/convert/convert.ts: convertOnnx → toInt8 | toFp32), plus the I/O
// around it: files, labels, the calibration folder, progress bars. Progress bars go to stderr
// and only on a TTY; the summary and the report go to stdout.
import { readFileSync, writeFileSync } from 'node:fs';
import cliProgress from 'cli-progress';
import { Command, Option } from 'commander';
import { writePack } from '../ts-sdk/pack/index.ts';
import type { Model } from '../ts-sdk/model/graph.ts';
import {
  checkCalibration,
  ConvertError,
  convertOnnx,
  createWasmRunner,
  formatCalibrationCheck,
  formatResidualStd,
  RANGE_RULES,
  ReferenceRunner,
  residualStd,
  toFp32,
  toInt8,
  type Calibration,
  type RangeRule,
  type Runner,
} from '../weights/convert/index.ts';
import { intAtLeast, parseList, parseSize, percent } from './args.ts';
import { calibrationTensors, listCalibrationImages, resolveLabels } from './convert-inputs.ts';

interface Opts {
  output: string;
  precision: 'int8' | 'fp32';
  calibrate?: string;
  calibCount: number;
  range: RangeRule;
  percentile: number;
  labels?: string;
  description?: string;
  size?: number | [number, number];
  resize?: number;
  mean?: number[];
  std?: number[];
  color?: 'rgb' | 'gray-replicate';
  resizeMode?: 'pil' | 'float';
  report?: boolean;
  runner: 'wasm' | 'reference';
  fuseResidual: boolean;
  biasCorrection?: boolean;
}

export function convertCommand(): Command {
  return new Command('convert')
    .description('Convert an ONNX ResNet (torchvision-style, opset 9–21) into an edge-resnet weight pack.')
    .argument('<model.onnx>', 'ONNX file with the weights inside (no external data)')
    .requiredOption('-o, --output <file>', 'where to write the pack')
    .addOption(
      new Option('--precision <p>', 'int8: quantized (needs --calibrate); fp32: float weights').choices(['int8', 'fp32']).default('int8'),
    )
    .option(
      '--calibrate <folder>',
      'JPEG/PNG images (searched recursively) to measure activation ranges on; use images like the ones the model will see',
    )
    .option(
      '--calib-count <n>',
      'how many calibration images to use, spread evenly over the folder (each runs the float network once)',
      intAtLeast(1),
      100,
    )
    .addOption(
      new Option(
        '--range <rule>',
        'activation range rule: minmax = observed extremes; percentile = clip each tail at --percentile; mse = clip minimizing expected squared error; entropy = clip minimizing the KL divergence of the quantized histogram (TensorRT)',
      )
        .choices([...RANGE_RULES])
        .default('percentile'),
    )
    .option('--percentile <p>', 'share of values kept inside the range by --range percentile, in %', percent, 99.99)
    .option(
      '--labels <file|imagenet>',
      "class names, one per line, in class-index order; 'imagenet' for the 1000 ImageNet classes (default: ImageNet for a 1000-class head, else the class indices)",
    )
    .option('--description <text>', 'what the network was trained on and is for (shown by inspect, classify and info.description)')
    .option('--size <N|HxW>', 'network input size (default: the ONNX input size if fixed, else 224)', parseSize)
    .option(
      '--resize <N>',
      'shorter side after Resize, before CenterCrop; 0 resizes straight to the input size (default: size·256/224, i.e. 256 for 224)',
      intAtLeast(0),
    )
    .option('--mean <r,g,b>', 'Normalize mean (default: ImageNet 0.485,0.456,0.406)', parseList)
    .option('--std <r,g,b>', 'Normalize std (default: ImageNet 0.229,0.224,0.225)', parseList)
    .addOption(
      new Option(
        '--resize-mode <mode>',
        "pil: resize 8-bit images as PIL does (torchvision's usual transforms on PIL images); float: as torchvision's tensor path (antialiased, no rounding), e.g. for networks trained on resized tensors",
      )
        .choices(['pil', 'float'])
        .default('pil'),
    )
    .addOption(
      new Option('--color <mode>', "'rgb', or 'gray-replicate' for networks trained on gray images repeated over 3 channels").choices([
        'rgb',
        'gray-replicate',
      ]),
    )
    .option(
      '--no-fuse-residual',
      "int8: keep each residual block's last conv and its add as two nodes (a u8 tensor before every add) instead of one conv whose epilogue adds the shortcut",
    )
    .option(
      '--bias-correction',
      "int8: subtract from each channel's bias the mean shift that rounding its weights to int8 causes, measured with the calibration images' channel means (Nagel et al. 2019)",
    )
    .option(
      '--report',
      "int8: print the std of each residual block's output over the calibration images (He et al. 2016, Fig. 7), and check the calibration set: is it large and varied enough (int8 from half the images vs fp32 on the other half)?",
    )
    .addOption(
      new Option(
        '--runner <r>',
        'what runs the float network during calibration and the overflow probe: the fp32 wasm executor, or the slow TypeScript reference (the oracle)',
      )
        .choices(['wasm', 'reference'])
        .default('wasm'),
    )
    .action((file: string, opts: Opts) => run(file, opts));
}

async function run(file: string, o: Opts): Promise<void> {
  if (o.precision === 'int8' && !o.calibrate)
    fail('int8 needs --calibrate <folder>: activation ranges are measured on images (or use --precision fp32)');
  if (o.report && !o.calibrate) fail('--report needs --calibrate <folder>: the std is measured over those images');
  const bars = process.stderr.isTTY
    ? new cliProgress.MultiBar(
        { format: ' {phase} |{bar}| {value}/{total}', hideCursor: true, clearOnComplete: false },
        cliProgress.Presets.shades_classic,
      )
    : undefined;

  const bytes = readFileSync(file);
  const parseBar = bars?.create(1, 0, { phase: 'parse    ' });
  let labelSource = '';
  const floatModel = convertOnnx(bytes, {
    input: { size: o.size, resize: o.resize, mean: o.mean, std: o.std, color: o.color, resizeMode: o.resizeMode },
    labels: (classes) => {
      const r = resolveLabels(o.labels, classes);
      labelSource = r.source;
      return r.labels;
    },
    description: o.description,
    onProgress: (d, t) => (parseBar?.setTotal(t), parseBar?.update(d)),
  });
  const g = floatModel.graph;
  const runner = await floatRunner(floatModel, o.runner);

  let model: Model;
  let calib: Calibration | undefined;
  let kept: Float32Array[] | undefined;
  const skipped: string[] = [];
  if (o.precision === 'int8') {
    const files = listCalibrationImages(o.calibrate!, o.calibCount);
    const bar = bars?.create(files.length, 0, { phase: 'calibrate' });
    const stream = calibrationTensors(files, g.input, (f, why) => skipped.push(`${f}: ${why}`));
    // --report's calibration check runs them again: keep them (only then, a folder can be large).
    const inputs = o.report ? (kept = [...stream]) : stream;
    ({ model, calibration: calib } = toInt8(floatModel, inputs, {
      runner,
      total: files.length,
      onProgress: (d) => bar?.update(d + skipped.length),
      range: o.range,
      percentile: o.percentile,
      fuseResidual: o.fuseResidual,
      biasCorrection: o.biasCorrection,
    }));
    bar?.update(files.length);
  } else {
    model = toFp32(floatModel, { runner });
  }

  const writeBar = bars?.create(1, 0, { phase: 'write    ' });
  const pack = writePack(model);
  writeFileSync(o.output, pack);
  writeBar?.update(1);
  bars?.stop();
  if (skipped.length)
    process.stderr.write(
      `skipped ${skipped.length} unreadable image(s):\n  ${skipped.slice(0, 5).join('\n  ')}${skipped.length > 5 ? '\n  …' : ''}\n`,
    );

  const classes = g.labels.length;
  const ranges = calib
    ? `, ranges: ${o.range}${o.range === 'percentile' ? ` ${o.percentile}%` : ''}${o.biasCorrection ? ', bias-corrected' : ''} over ${calib.images} images`
    : '';
  console.log(
    `${o.output}: ${g.arch} ${o.precision}, input ${g.input.height}×${g.input.width}, ${classes} classes, labels: ${labelSource}${ranges}, ${(pack.length / 1e6).toFixed(2)} MB`,
  );
  if (o.report && calib) {
    console.log('\n' + formatResidualStd(residualStd(floatModel, calib), calib.images));
    const check = await checkCalibration(floatModel, calib, kept!, runner, {
      range: o.range,
      percentile: o.percentile,
      fuseResidual: o.fuseResidual,
      biasCorrection: o.biasCorrection,
    });
    console.log('\n' + formatCalibrationCheck(check));
  }
}

/** The wasm fp32 executor, or the reference when asked for or when this engine cannot run the kernels. */
async function floatRunner(model: Model, which: Opts['runner']): Promise<Runner> {
  if (which === 'reference') return new ReferenceRunner(model);
  try {
    return await createWasmRunner(model);
  } catch (e) {
    process.stderr.write(
      `the wasm kernels are unavailable here (${(e as Error).message}); running the float network with the TypeScript reference (slow)\n`,
    );
    return new ReferenceRunner(model);
  }
}

function fail(msg: string): never {
  throw new ConvertError('BAD_INPUT', msg);
}
