#!/usr/bin/python3
"""Photos for bench/decode-scaling.ts: the first N Fashion-MNIST test images (the shipped packs'
own data) enlarged 16× to 448×448 with PIL's bicubic filter and saved as JPEG (quality 90, 4:2:0,
RGB, as a camera would) and PNG, so that decodeImage's minSide reduces them (to 1/4 for the
packs' 64×64 input) and the effect on the answers can be measured.
usage: /usr/bin/python3 bench/decode-scaling.py OUT_DIR [N]
"""
import gzip
import os
import sys

import numpy as np
from PIL import Image

out = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'weights', 'data', 'fashion-mnist')
with gzip.open(os.path.join(root, 't10k-images-idx3-ubyte.gz')) as f:
    images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 28, 28)
with gzip.open(os.path.join(root, 't10k-labels-idx1-ubyte.gz')) as f:
    labels = np.frombuffer(f.read(), np.uint8, offset=8)
os.makedirs(out, exist_ok=True)
for i in range(n):
    im = Image.fromarray(images[i]).resize((448, 448), Image.BICUBIC).convert('RGB')
    im.save(os.path.join(out, f'{i:05d}-{labels[i]}.jpg'), quality=90)
    im.save(os.path.join(out, f'{i:05d}-{labels[i]}.png'))
