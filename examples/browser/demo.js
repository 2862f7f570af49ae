// The demo page: choose, drop or paste an image → the top 5 classes with score bars and the
// measured latency. The classifier runs in a Web Worker so the page never blocks; where
// Workers are unavailable (or with ?worker=0) it runs on the main thread instead.
//   ?pack=URL   the weight pack to load (default: the shipped ResNet-18 Fashion-MNIST pack)

// The pack loaded unless ?pack= names another (relative to this file).
const DEFAULT_PACK = new URL('../../weights/packs/resnet18-fmnist-int8.pack', import.meta.url);
// Sample images offered under the drop zone (the shipped pack's classes); missing ones are hidden.
const SAMPLES = [
  '00-tshirt-idx19',
  '01-trouser-idx2',
  '02-pullover-idx1',
  '03-dress-idx13',
  '04-coat-idx6',
  '05-sandal-idx8',
  '06-shirt-idx4',
  '07-sneaker-idx9',
  '08-bag-idx18',
  '09-ankleboot-idx0',
].map((n) => new URL(`../../weights/data/samples/${n}.png`, import.meta.url));
const TOP_K = 5;

const params = new URLSearchParams(location.search);
const packUrl = new URL(params.get('pack') ?? DEFAULT_PACK, location.href).href;
const $ = (id) => document.getElementById(id);

// ── Where the classifier runs ────────────────────────────────────────────────────────────

class WorkerStartError extends Error {}

/** The engine in a module Web Worker, behind the same open/classify interface as on the main thread. */
function workerBackend() {
  let worker;
  try {
    worker = new Worker(new URL('./classifier.worker.js', import.meta.url), { type: 'module', name: 'edge-resnet' });
  } catch (e) {
    throw new WorkerStartError(String(e));
  }
  const pending = new Map(); // id → { resolve, reject }; id 0 is open()
  let nextId = 1;
  let onProgress = () => {};
  worker.onmessage = ({ data }) => {
    if (data.type === 'progress') return onProgress(data);
    const call = pending.get(data.id ?? 0);
    pending.delete(data.id ?? 0);
    if (data.type === 'error') call?.reject(new Error(data.message));
    else call?.resolve(data.type === 'ready' ? data.info : data);
  };
  worker.onerror = (e) => {
    // the worker script itself failed (e.g. no module workers)
    e.preventDefault();
    for (const call of pending.values()) call.reject(new WorkerStartError(e.message || 'the Web Worker failed to start'));
    pending.clear();
  };
  const call = (id, msg) =>
    new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ ...msg, id });
    });
  return {
    mode: 'Web Worker',
    open(url, progress) {
      onProgress = progress;
      return call(0, { type: 'open', packUrl: url });
    },
    classify: (image, topK) => call(nextId++, { type: 'classify', image, topK }),
    close: () => worker.terminate(),
  };
}

async function mainThreadBackend() {
  const { openClassifier } = await import('./engine.js');
  let engine;
  return {
    mode: 'main thread',
    async open(url, progress) {
      engine = await openClassifier(url, progress);
      return engine.info;
    },
    classify: (image, topK) => engine.classify(image, topK),
    close() {},
  };
}

/** Loads the pack in a Worker, or on the main thread when a Worker can't start. */
async function openBackend() {
  if (typeof Worker === 'function' && params.get('worker') !== '0') {
    const backend = workerBackend();
    try {
      return { backend, info: await backend.open(packUrl, showProgress) };
    } catch (e) {
      backend.close();
      if (!(e instanceof WorkerStartError)) throw e;
      console.warn(`edge-resnet demo: no Web Worker (${e.message}); classifying on the main thread`);
    }
  }
  const backend = await mainThreadBackend();
  return { backend, info: await backend.open(packUrl, showProgress) };
}

// ── Page ──────────────────────────────────────────────────────────────────────────────────

const MB = (n) => `${(n / 2 ** 20).toFixed(n < 2 ** 20 ? 2 : 1)} MB`;
const PHASES = {
  download: 'Downloading the model',
  parse: 'Reading the pack',
  compile: 'Compiling the kernels',
  plan: 'Preparing the network',
};

function showProgress({ phase, loaded, total }) {
  const bytes = phase === 'download' && total ? ` ${MB(loaded)} / ${MB(total)}` : '';
  $('status-text').textContent = `${PHASES[phase] ?? phase}…${bytes}`;
  if (phase === 'download' && total) $('progress').value = loaded / total;
}

function showModel(info, mode) {
  const pills = [
    `${info.arch} · ${info.precision}`,
    `${info.inputSize.join('×')} input`,
    `${info.numClasses} classes`,
    info.simd === 'relaxed' ? 'relaxed SIMD' : 'SIMD',
    mode === 'Web Worker' ? 'in a Web Worker' : 'on the main thread',
    `${info.threads} thread${info.threads > 1 ? 's' : ''}`,
    `${MB(info.memoryBytes)} memory`,
    decodeURIComponent(new URL(packUrl).pathname.split('/').pop()),
  ];
  $('status').replaceChildren(
    ...pills.map((text) => Object.assign(document.createElement('span'), { className: 'pill', textContent: text })),
  );
  $('status').title = `pack: ${packUrl}${info.threadsReason ? `\none thread: ${info.threadsReason}` : ''}`;
  document.body.dataset.model = 'ready';
  document.body.dataset.mode = mode;
}

function showError(where, e) {
  const box = $('error');
  box.textContent = `${where}: ${e instanceof Error ? e.message : String(e)}`;
  box.hidden = false;
}

function showPreview(blob, name) {
  const img = $('preview');
  if (img.src) URL.revokeObjectURL(img.src);
  img.onload = () => {
    img.classList.toggle('pixelated', img.naturalWidth < 128);
    $('caption').textContent = `${name} · ${img.naturalWidth}×${img.naturalHeight}`;
  };
  img.src = URL.createObjectURL(blob);
  img.hidden = false;
  $('drop').classList.add('has-image');
}

function showResults(top, ms, totalMs) {
  const rows = top.map((p, i) => {
    const li = document.createElement('li');
    li.className = 'prediction';
    li.dataset.index = String(p.index);
    const pct = (p.score * 100).toFixed(p.score >= 0.1 ? 1 : 2);
    const bar = document.createElement('span');
    bar.className = 'bar';
    const fill = document.createElement('span');
    fill.style.setProperty('width', `${Math.max(p.score * 100, 0.5)}%`);
    bar.append(fill);
    li.append(
      Object.assign(document.createElement('span'), { className: 'rank', textContent: String(i + 1) }),
      Object.assign(document.createElement('span'), { className: 'label', textContent: p.label }),
      bar,
      Object.assign(document.createElement('span'), { className: 'pct', textContent: `${pct} %` }),
    );
    return li;
  });
  $('results').replaceChildren(...rows);
  $('results').dataset.state = 'done';
  $('timing').replaceChildren(
    'classify() ',
    Object.assign(document.createElement('strong'), { textContent: `${ms.toFixed(1)} ms` }),
    ` · end to end ${totalMs.toFixed(1)} ms (${document.body.dataset.mode})`,
  );
}

// ── Wiring ────────────────────────────────────────────────────────────────────────────────

const opened = openBackend();
opened.then(
  ({ backend, info }) => showModel(info, backend.mode),
  (e) => {
    document.body.dataset.model = 'error';
    $('status-text').textContent = 'No model: pass a pack with ?pack=URL.';
    $('progress').hidden = true;
    showError('Could not load the model', e);
  },
);

let latest = 0;
async function classify(blob, name) {
  if (blob.type && !blob.type.startsWith('image/')) return showError(name, new Error(`not an image (${blob.type})`));
  const ticket = ++latest;
  $('error').hidden = true;
  showPreview(blob, name);
  $('results').dataset.state = 'busy';
  const t0 = performance.now();
  try {
    const { backend } = await opened;
    const { top, ms } = await backend.classify(blob, TOP_K);
    if (ticket === latest) showResults(top, ms, performance.now() - t0);
  } catch (e) {
    if (ticket !== latest) return;
    $('results').dataset.state = 'error';
    showError(`Classifying ${name}`, e);
  }
}

$('file').addEventListener('change', (e) => {
  const file = e.target.files?.[0];
  if (file) void classify(file, file.name);
});

// Drop anywhere on the page; the drop zone lights up while a file is dragged over it.
let dragDepth = 0;
document.addEventListener('dragenter', (e) => {
  e.preventDefault();
  if (dragDepth++ === 0) $('drop').classList.add('dragging');
});
document.addEventListener('dragleave', () => {
  if (--dragDepth === 0) $('drop').classList.remove('dragging');
});
document.addEventListener('dragover', (e) => e.preventDefault());
document.addEventListener('drop', (e) => {
  e.preventDefault();
  dragDepth = 0;
  $('drop').classList.remove('dragging');
  const file = e.dataTransfer?.files?.[0];
  if (file) void classify(file, file.name);
});
document.addEventListener('paste', (e) => {
  const file = [...(e.clipboardData?.files ?? [])].find((f) => f.type.startsWith('image/'));
  if (file) void classify(file, file.name || 'pasted image');
});

// Sample thumbnails, in order; those that fail to load stay out.
for (const url of SAMPLES) {
  const name = url.pathname.split('/').pop();
  const img = Object.assign(new Image(), { src: url.href, alt: name.replace(/^\d+-|-idx\d+\.png$/g, ''), title: name });
  const button = Object.assign(document.createElement('button'), { type: 'button', className: 'thumb', hidden: true });
  button.append(img);
  $('sample-list').append(button);
  img.onload = () => {
    button.hidden = false;
    $('samples').hidden = false;
  };
  img.onerror = () => button.remove();
  button.onclick = async () => {
    try {
      const res = await fetch(url);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      await classify(await res.blob(), name);
    } catch (e) {
      showError(`Loading ${name}`, e);
    }
  };
}
