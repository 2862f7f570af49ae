// The converter's one pipeline, as a library: ONNX bytes → float Model (BN folded, logical
// layouts) → an int8 or fp32 model ready for writePack. `edge-resnet convert` (cli/convert.ts)
// calls exactly these and does only I/O around them.
import type { Model } from '../../ts-sdk/model/graph.ts';
import { PackFormatError, validateGraph } from '../../ts-sdk/pack/index.ts';
import { type Calibration, calibrate, type CalibrateOptions } from './calibrate.ts';
import { ConvertError } from './errors.ts';
import { checkFinite } from './finite-check.ts';
import { parseOnnx, type ParseOptions } from './onnx-load.ts';
import { type QuantizeOptions, lowerFp32, quantizeModel } from './quantize.ts';
import { ReferenceRunner, type Runner } from './reference.ts';
import { type MatchOptions, matchResnet } from './resnet-match.ts';

export interface ConvertOptions extends Omit<MatchOptions, 'labels'> {
  /**
   * Class names in logit order, or a function of the class count that gives them (the CLI's
   * `--labels` default depends on the head's size).
   * @defaultValue the class indices ('0', '1', …)
   */
  labels?: string[] | ((classes: number) => string[]);
  /** What the network was trained on and is for; `info.description`, `inspect` and `classify` show it. */
  description?: string;
  /** Parsing progress (bytes of the ONNX file). */
  onProgress?: ParseOptions['onProgress'];
}

/**
 * Parse and recognise a ResNet. Throws ConvertError (with the ONNX node's name and op type
 * when a node is at fault).
 */
export function convertOnnx(bytes: Uint8Array, options: ConvertOptions = {}): Model {
  const { labels, description, onProgress, ...match } = options;
  const model = matchResnet(parseOnnx(bytes, { onProgress }), match);
  const classes = model.graph.activations[model.graph.outputId].shape[2];
  const names = typeof labels === 'function' ? labels(classes) : (labels ?? Array.from({ length: classes }, (_, i) => String(i)));
  if (names.length !== classes) throw new ConvertError('BAD_INPUT', `${names.length} labels given, but the network has ${classes} classes`);
  model.graph.labels = [...names];
  if (description !== undefined) model.extra = { ...model.extra, description };
  // Last line of defence: whatever the matcher let through must be a graph the pack format and
  // the runtime accept (sizes in range, shapes consistent), reported as a ConvertError.
  try {
    validateGraph({ ...model.graph, precision: 'fp32' });
  } catch (e) {
    if (!(e instanceof PackFormatError)) throw e;
    throw new ConvertError(
      e.code === 'UNKNOWN_ARCHITECTURE' ? 'BAD_INPUT' : 'UNSUPPORTED_PATTERN',
      `the converted network cannot be packed: ${e.message}`,
    );
  }
  return model;
}

export interface Int8Options extends QuantizeOptions, CalibrateOptions {
  /** Runs the float network during calibration. @defaultValue the TypeScript reference (slow: seconds per 224×224 image) */
  runner?: Runner;
}

/**
 * Calibrate on normalized NCHW inputs and quantize. Returns the calibration too, for reports.
 * Refuses (NON_FINITE) a network whose float activations overflow on a calibration image.
 */
export function toInt8(model: Model, inputs: Iterable<Float32Array>, opts: Int8Options = {}): { model: Model; calibration: Calibration } {
  const calibration = calibrate(model, opts.runner ?? new ReferenceRunner(model), inputs, opts);
  return { model: quantizeModel(model, calibration, opts), calibration };
}

export interface Fp32Options {
  /** Runs the float network on the probe inputs. @defaultValue the TypeScript reference */
  runner?: Runner;
}

/** The fp32 pack's model; refuses (NON_FINITE) a network whose float activations overflow on probe inputs. */
export function toFp32(model: Model, opts: Fp32Options = {}): Model {
  checkFinite(model, opts.runner ?? new ReferenceRunner(model));
  return lowerFp32(model);
}
