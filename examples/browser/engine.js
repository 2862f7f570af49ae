// The classifier behind the demo page, the same in the Web Worker (classifier.worker.js) and,
// where there are no Workers, on the main thread.
import { load } from '../../dist/index.js'; // with a bundler: import { load } from 'edge-resnet';

/**
 * Loads the pack at `packUrl` (an absolute URL) and returns what the page needs: the model's
 * description and classify(image) → { top, ms }.
 */
export async function openClassifier(packUrl, onProgress) {
  // threads: 'auto' — every core, where the page is cross-origin isolated (serve.mjs sends the headers).
  const clf = await load(packUrl, { onProgress, threads: 'auto' });
  const { arch, precision, inputSize, numClasses, simd, memoryBytes, threads, threadsReason } = clf.info;
  return {
    info: { arch, precision, inputSize, numClasses, simd, memoryBytes, threads, threadsReason },
    /** `image`: a Blob/File (the SDK decodes it with createImageBitmap) or an ImageBitmap. */
    async classify(image, topK = 5) {
      const t0 = performance.now();
      const top = await clf.classify(image, { topK });
      return { top, ms: performance.now() - t0 };
    },
  };
}
