// The library entry: ONNX bytes → float Model (BN folded, logical layouts), plus the two
// lowerings a pack needs. The CLI is a thin shell over these.
import type { Model } from '../../ts-sdk/model/graph.ts';
import { PackFormatError, validateGraph } from '../../ts-sdk/pack/index.ts';
import { type Calibration, calibrate, type CalibrateOptions } from './calibrate.ts';
import { ConvertError } from './errors.ts';
import { parseOnnx } from './onnx-load.ts';
import { type QuantizeOptions, lowerFp32, quantizeModel } from './quantize.ts';
import { ReferenceRunner, type Runner } from './reference.ts';
import { type MatchOptions, matchResnet } from './resnet-match.ts';

export type ConvertOptions = MatchOptions;

/**
 * Parse and recognise a ResNet. Throws ConvertError (with the ONNX node's name and op type
 * when a node is at fault). Labels default to the class indices ('0', '1', …).
 */
export function convertOnnx(bytes: Uint8Array, options: ConvertOptions = {}): Model {
  const model = matchResnet(parseOnnx(bytes), options);
  const classes = model.graph.activations[model.graph.outputId].shape[2];
  if (options.labels && options.labels.length !== classes) {
    throw new ConvertError('BAD_INPUT', `${options.labels.length} labels given, but the network has ${classes} classes`);
  }
  if (!options.labels) model.graph.labels = Array.from({ length: classes }, (_, i) => String(i));
  // Last line of defence: whatever the matcher let through must be a graph the pack format and
  // the runtime accept (sizes in range, shapes consistent), reported as a ConvertError.
  try {
    validateGraph({ ...model.graph, precision: 'fp32' });
  } catch (e) {
    if (!(e instanceof PackFormatError)) throw e;
    throw new ConvertError(e.code === 'UNKNOWN_ARCHITECTURE' ? 'BAD_INPUT' : 'UNSUPPORTED_PATTERN', `the converted network cannot be packed: ${e.message}`);
  }
  return model;
}

export interface Int8Options extends QuantizeOptions, CalibrateOptions {
  /** Runs the float network during calibration. @defaultValue the TypeScript reference (slow: seconds per 224×224 image) */
  runner?: Runner;
}

/** Calibrate on normalized NCHW inputs and quantize. Returns the calibration too, for reports. */
export function toInt8(model: Model, inputs: Iterable<Float32Array>, opts: Int8Options = {}): { model: Model; calibration: Calibration } {
  const calibration = calibrate(model, opts.runner ?? new ReferenceRunner(model), inputs, opts);
  return { model: quantizeModel(model, calibration, opts), calibration };
}

export { lowerFp32 };
