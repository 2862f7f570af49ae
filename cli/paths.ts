// Files the package ships, located from this module (cli/ in the repo, dist/ when installed:
// both sit one level below the package root).
import { fileURLToPath } from 'node:url';

const root = new URL('../', import.meta.url);
export const packageRoot = fileURLToPath(root);
export const DEFAULT_PACK = fileURLToPath(new URL('weights/packs/resnet18-fmnist-int8.pack', root));
export const DEFAULT_SAMPLE = fileURLToPath(new URL('weights/data/samples/09-ankleboot-idx0.png', root));
