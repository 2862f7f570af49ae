"""The CIFAR-10 ResNets of He et al. 2015 ("Deep Residual Learning for Image Recognition",
section 4.2), written the way PyTorch code commonly writes them: 6n+2 layers (n = 3, 5, 7, 9,
18, 200 for ResNet-20, 32, 44, 56, 110, 1202), a 3x3 conv with 16 filters, three stages of n
basic blocks with 16, 32 and 64 filters (the first block of stages 2 and 3 halves the feature
map with stride 2), global average pooling and one fully connected layer.

Shortcuts where the shape changes:
  option "A"      identity on the stride-2 subsampled input with zero channels padded
                  planes//4 before and planes//4 after it (the common LambdaLayer F.pad form);
  option "A-end"  the same zeros all appended after the input's channels;
  option "B"      1x1 convolution with stride 2 and batch norm (a projection).
Kaiming-normal initialisation of convolutions and the linear layer, as in the paper.
"""
import torch.nn as nn
import torch.nn.functional as F

DEPTHS = {"resnet20": 20, "resnet32": 32, "resnet44": 44, "resnet56": 56, "resnet110": 110, "resnet1202": 1202}


class LambdaLayer(nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x):
        return self.fn(x)


def shortcut(option, in_planes, planes, stride):
    if stride == 1 and in_planes == planes:
        return nn.Sequential()
    if option == "A":
        return LambdaLayer(lambda x: F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, planes // 4, planes // 4), "constant", 0))
    if option == "A-end":
        return LambdaLayer(lambda x: F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, 0, planes - in_planes), "constant", 0))
    if option == "B":
        return nn.Sequential(nn.Conv2d(in_planes, planes, 1, stride=stride, bias=False), nn.BatchNorm2d(planes))
    raise ValueError("shortcut option must be A, A-end or B, got %r" % option)


class BasicBlock(nn.Module):
    def __init__(self, in_planes, planes, stride, option):
        super().__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.shortcut = shortcut(option, in_planes, planes, stride)

    def residual(self, x):
        """The residual function F(x) (after the block's last BN, before the addition): the
        response whose standard deviation the paper's Fig. 7 plots."""
        return self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))

    def forward(self, x):
        return F.relu(self.residual(x) + self.shortcut(x))


class CifarResNet(nn.Module):
    def __init__(self, depth, num_classes=10, option="A", in_channels=3):
        super().__init__()
        if depth < 8 or (depth - 2) % 6:
            raise ValueError("a CIFAR ResNet has 6n+2 layers (20, 32, 44, 56, 110, ...), got %d" % depth)
        n = (depth - 2) // 6
        self.conv1 = nn.Conv2d(in_channels, 16, 3, stride=1, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        blocks, in_planes = [], 16
        for i, planes in enumerate((16, 32, 64)):
            layer = []
            for j in range(n):
                layer.append(BasicBlock(in_planes, planes, 2 if (i > 0 and j == 0) else 1, option))
                in_planes = planes
            blocks.append(nn.Sequential(*layer))
        self.layer1, self.layer2, self.layer3 = blocks
        self.linear = nn.Linear(64, num_classes)
        for m in self.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.kaiming_normal_(m.weight)

    def blocks(self):
        return [b for layer in (self.layer1, self.layer2, self.layer3) for b in layer]

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = self.layer3(self.layer2(self.layer1(x)))
        x = F.adaptive_avg_pool2d(x, 1).flatten(1)
        return self.linear(x)


def build(arch, num_classes=10, option="A", in_channels=3):
    return CifarResNet(DEPTHS[arch], num_classes, option, in_channels)
