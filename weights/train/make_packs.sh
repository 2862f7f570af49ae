#!/usr/bin/env bash
# Turn a train.py checkpoint (or final state_dict) into the shipped packs, with the project's
# own converter: ONNX export, 256 calibration images from the TRAINING split, int8 pack into
# weights/packs/, fp32 pack (not shipped) beside the ONNX, and PyTorch's accuracy of the same
# weights recorded next to the pack.
#   weights/train/make_packs.sh resnet18 64 weights/train/out/resnet18-fmnist.pt [work-dir]
#   weights/train/make_packs.sh resnet20 32 weights/train/out/resnet20-fmnist.pt
# Needs /usr/bin/python3 with python3-torch/torchvision/onnx and the built CLI (npm run build).
set -euo pipefail
cd "$(dirname "$0")/../.."
arch=$1 size=$2 ckpt=$3
work=${4:-weights/train/out/$arch-packs}
mkdir -p "$work" weights/packs
/usr/bin/python3 weights/train/export_checkpoint.py --arch "$arch" --size "$size" --ckpt "$ckpt" \
  --onnx "$work/$arch-fmnist.onnx" --calib-dir "$work/calib" --calib-count 256 \
  --eval-json "weights/packs/$arch-fmnist.pytorch.json"
# train.py's test-time transform: 28×28 gray → float bilinear antialiased resize to size×size,
# Normalize(0.2860, 0.3530), gray repeated on 3 channels.
case $arch in
  resnet18 | resnet34) net="torchvision ResNet-${arch#resnet}" ;;
  *) net="the ResNet paper's CIFAR ResNet-${arch#resnet} (option-A shortcuts, $(/usr/bin/python3 -c "import sys; sys.path.insert(0, 'weights/train'); import cifar_resnet as c; m = c.build(sys.argv[1]); print('%.2f M' % (sum(p.numel() for p in m.parameters()) / 1e6))" "$arch") parameters)" ;;
esac
spec=(--labels weights/data/fashion-mnist/labels.txt --size "$size" --resize 0 --resize-mode float
      --mean 0.286,0.286,0.286 --std 0.353,0.353,0.353 --color gray-replicate
      --description "$net trained on Fashion-MNIST: 10 classes of clothing and shoes, 28×28 grayscale, one item centred on black; any other kind of image gets a meaningless answer")
node dist/cli.js convert "$work/$arch-fmnist.onnx" -o "weights/packs/$arch-fmnist-int8.pack" \
  --calibrate "$work/calib" --calib-count 256 "${spec[@]}" --report
node dist/cli.js convert "$work/$arch-fmnist.onnx" -o "$work/$arch-fmnist-fp32.pack" --precision fp32 "${spec[@]}"
node dist/cli.js inspect "weights/packs/$arch-fmnist-int8.pack"
