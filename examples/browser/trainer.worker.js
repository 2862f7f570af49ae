// The training page's Web Worker: loads the base pack, embeds each image once (by the id the
// page gave it), trains a head on the embeddings, classifies with it, and returns it as pack
// bytes. Messages in: open, train, stop, classify, save; out: progress, ready, trained,
// result, pack, error (each answer carries the request's id).
import { load, trainHead } from '../../dist/index.js'; // with a bundler: from 'edge-resnet'

let base; // the base pack's bytes: trainHead builds the new pack from them
let clf;
let head;
let stopper;
const embeddings = new Map(); // image id → Float32Array

const post = (msg, transfer) => self.postMessage(msg, transfer ?? []);

/** The pack's bytes, with download progress. */
async function fetchPack(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`HTTP ${res.status} for ${url}`);
  const total = Number(res.headers.get('content-length')) || undefined;
  const chunks = [];
  let loaded = 0;
  for (const reader = res.body.getReader(); ; ) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.length;
    post({ type: 'progress', phase: 'download', loaded, total });
  }
  const bytes = new Uint8Array(loaded);
  let at = 0;
  for (const c of chunks) bytes.set(c, at), (at += c.length);
  return bytes;
}

/** The same held-out rule as `edge-resnet train-head --holdout`: ⌊count·percent/100⌋ images spread over the class, never its last training image. */
function heldOutIndices(count, percent) {
  const m = Math.min(Math.floor((count * percent) / 100), count - 1);
  return new Set(Array.from({ length: Math.max(0, m) }, (_, j) => Math.floor(((j + 0.5) * count) / m)));
}

async function train({ classes, holdout, method }) {
  const items = classes.flatMap((c, label) => {
    const held = heldOutIndices(c.images.length, holdout);
    return c.images.map((im, i) => ({ ...im, label, heldOut: held.has(i) }));
  });
  const t0 = performance.now();
  let done = 0;
  for (const it of items) {
    if (!embeddings.has(it.id)) embeddings.set(it.id, await clf.embed(it.blob));
    post({ type: 'progress', phase: 'embed', loaded: ++done, total: items.length });
  }
  const embedMs = performance.now() - t0;
  const trainSet = items.filter((it) => !it.heldOut),
    test = items.filter((it) => it.heldOut);
  stopper = new AbortController();
  const t1 = performance.now();
  head = await trainHead(
    base,
    {
      embeddings: trainSet.map((it) => embeddings.get(it.id)),
      labels: trainSet.map((it) => it.label),
      classes: classes.map((c) => c.name),
    },
    {
      method,
      signal: stopper.signal,
      onProgress: (p) => post({ type: 'progress', phase: 'train', loaded: p.iteration, total: p.maxIterations, loss: p.loss }),
    },
  );
  const trainMs = performance.now() - t1;
  const right = (set) => set.filter((it) => head.classify(embeddings.get(it.id), { topK: 1 })[0].index === it.label).length;
  return {
    trained: trainSet.length,
    heldOut: test.length,
    heldOutRight: right(test),
    trainRight: right(trainSet),
    embedMs,
    trainMs,
    training: head.training,
  };
}

self.onmessage = async ({ data }) => {
  try {
    if (data.type === 'open') {
      base = await fetchPack(data.packUrl);
      clf = await load(base, { onProgress: (p) => post({ type: 'progress', ...p }) });
      const { arch, precision, simd, labels } = clf.info;
      post({ type: 'ready', id: data.id, info: { arch, precision, simd, classes: labels.length } });
    } else if (data.type === 'train') {
      head = undefined;
      post({ type: 'trained', id: data.id, ...(await train(data)) });
    } else if (data.type === 'stop') {
      stopper?.abort(new Error('training stopped'));
    } else if (data.type === 'classify') {
      if (!head) throw new Error('train first');
      post({ type: 'result', id: data.id, top: head.classify(await clf.embed(data.image), { topK: 3 }) });
    } else if (data.type === 'save') {
      if (!head) throw new Error('train first');
      const bytes = head.toPack();
      post({ type: 'pack', id: data.id, bytes }, [bytes.buffer]);
    }
  } catch (e) {
    post({ type: 'error', id: data.id, message: e instanceof Error ? e.message : String(e) });
  }
};
