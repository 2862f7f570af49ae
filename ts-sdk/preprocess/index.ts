// Image → normalized NCHW tensor (torchvision semantics). No runtime dependencies.
export type { ImageChannels, ImageInput, PixelImage } from './image.ts';
export { preprocess, preprocessInto } from './preprocess.ts';
export { validateImage, MAX_SIDE, MAX_PIXELS } from './validate-image.ts';
export { validateSpec } from './validate-spec.ts';
export { toImageData, type BrowserImageSource, type RgbaImage } from './browser-source.ts';
