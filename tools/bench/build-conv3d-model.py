"""Builds tools/bench/models/conv3d_spleen_window/model.onnx, the network of the bench's side-by-side comparison with PyTorch.

Run once with Debian's python3-torch (`/usr/bin/python3 tools/bench/build-conv3d-model.py`); the bench reads the
committed file and never runs this. A 3-layer Conv3d network (1→8→8→2 channels, 3×3×3 kernels, padding 1, ReLU
between), seeded, trained for a few hundred steps on synthetic 64³ patches to mark "enhanced organ" voxels (about
90–170 HU on the [−57, 164] HU window) against soft tissue, fat, air and bone. The training only makes the output a
real two-class mask with edges (an untrained network marks every voxel the same class), so that the Dice between the
Python and the ONNX runs compares real work; the data is generated here, no scan is used.
"""
import os

import torch

SEED = 20261206
HU_MIN, HU_MAX = -57.0, 164.0
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "models", "conv3d_spleen_window", "model.onnx")


def network():
    return torch.nn.Sequential(
        torch.nn.Conv3d(1, 8, 3, padding=1),
        torch.nn.ReLU(),
        torch.nn.Conv3d(8, 8, 3, padding=1),
        torch.nn.ReLU(),
        torch.nn.Conv3d(8, 2, 3, padding=1),
    )


def patch(generator, size=64):
    """Soft tissue with fat, air and bone regions and a few enhanced-organ spheres; HU noise as on a CT."""
    grid = torch.stack(torch.meshgrid(*[torch.arange(size, dtype=torch.float32)] * 3, indexing="ij"))
    hu = torch.full((size, size, size), 40.0)
    organ = torch.zeros((size, size, size), dtype=torch.bool)
    for value, count in ((-100.0, 2), (-1000.0, 1), (700.0, 1), (130.0, 3)):
        for _ in range(count):
            centre = torch.rand(3, 1, 1, 1, generator=generator) * size
            radius = 6 + torch.rand(1, generator=generator).item() * 14
            inside = ((grid - centre) ** 2).sum(0) < radius * radius
            hu[inside] = value
            organ = (organ | inside) if value == 130.0 else (organ & ~inside)
    hu += torch.randn(hu.shape, generator=generator) * 15
    window = ((hu - HU_MIN) / (HU_MAX - HU_MIN)).clamp(0, 1)
    return window[None], organ.long()


def main():
    torch.set_num_threads(2)
    torch.manual_seed(SEED)
    generator = torch.Generator().manual_seed(SEED)
    net = network()
    optimiser = torch.optim.Adam(net.parameters(), lr=0.01)
    # organ voxels are the minority: weight them so the network does not settle on "all background"
    loss_fn = torch.nn.CrossEntropyLoss(weight=torch.tensor([1.0, 3.0]))
    for step in range(300):
        images, labels = zip(*(patch(generator) for _ in range(2)))
        loss = loss_fn(net(torch.stack(images)), torch.stack(labels))
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        if step % 50 == 0:
            print(f"step {step} loss {loss.item():.4f}")
    net.eval()
    torch.onnx.export(
        net,
        torch.zeros(1, 1, 64, 64, 64),
        OUT,
        input_names=["image"],
        output_names=["logits"],
        dynamic_axes={"image": {0: "N"}, "logits": {0: "N"}},
        opset_version=13,
    )
    print(f"wrote {OUT}")


main()
