// ONNX → edge-resnet model conversion, calibration and quantization.
export { convertOnnx, toInt8, toFp32, type ConvertOptions, type Int8Options, type Fp32Options } from './convert.ts';
export { ConvertError, type ConvertErrorCode } from './errors.ts';
export { parseOnnx, type ParseOptions, type OnnxGraph, type OnnxNode, type OnnxTensor, type AttrValue } from './onnx-load.ts';
export { matchResnet, type MatchOptions } from './resnet-match.ts';
export { IMAGENET_INPUT, makeInputSpec, inputRange, type InputOptions } from './input-spec.ts';
export { runReference, ReferenceRunner, type Runner } from './reference.ts';
export { createWasmRunner } from './wasm-runner.ts';
export { calibrate, stdOf, type Calibration, type ActivationStats, type CalibrateOptions } from './calibrate.ts';
export { chooseRange, RANGE_RULES, type RangeRule, type Range, type RangeOptions } from './range-rules.ts';
export { quantizeModel, quantizeLayer, quantFromRange, roundHalfEven, type QuantizeOptions } from './quantize.ts';
export { residualStd, formatResidualStd, type ResidualStdRow } from './report.ts';
export { checkCalibration, formatCalibrationCheck, type CalibrationCheck } from './calibration-check.ts';
export { residualBlocks, detectArch } from './resnet-structure.ts';
