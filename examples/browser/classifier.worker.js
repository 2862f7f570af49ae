// The demo's Web Worker: the page posts { type: 'open', packUrl } once, then
// { type: 'classify', id, image: Blob }; the worker answers 'progress', 'ready', 'result' and
// 'error' messages. Classification runs here, so the page stays responsive.
import { openClassifier } from './engine.js';

let engine;

self.onmessage = async ({ data }) => {
  try {
    if (data.type === 'open') {
      engine = await openClassifier(data.packUrl, (p) => self.postMessage({ type: 'progress', ...p }));
      self.postMessage({ type: 'ready', info: engine.info });
    } else if (data.type === 'classify') {
      if (!engine) throw new Error('the model is not loaded yet');
      self.postMessage({ type: 'result', id: data.id, ...(await engine.classify(data.image, data.topK)) });
    }
  } catch (e) {
    self.postMessage({ type: 'error', id: data.id, message: e instanceof Error ? e.message : String(e) });
  }
};
