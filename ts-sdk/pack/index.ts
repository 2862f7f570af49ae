export { PackFormatError, type PackErrorCode } from './errors.ts';
export { FORMAT_VERSION, MAGIC, type Layout } from './format.ts';
export { crc32 } from './crc32.ts';
export { writePack } from './writer.ts';
export { readPack } from './reader.ts';
export { validateModel, tensorRequirements, type TensorRequirement } from './validate.ts';
export { validateGraph, isKnownArch } from './validate-graph.ts';
