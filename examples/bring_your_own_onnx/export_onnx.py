"""Exports a PyTorch network to ONNX the way the server wants it: one input [batch, channel, D, H, W], dynamic sizes.

The network stands in for a trained one and has known weights, so its result can be checked by hand: after the
config's ScaleIntensityRanged (-1000..1000 HU to 0..1), channel 1 is the voxel and channel 0 the constant 0.65
(300 HU), so ArgmaxAcrossChannels labels bone, every voxel above 300 HU.

Run with Debian's python3-torch: /usr/bin/python3 examples/bring_your_own_onnx/export_onnx.py
"""

from pathlib import Path

import torch


class BoneAbove300HU(torch.nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.logits = torch.nn.Conv3d(1, 2, kernel_size=1)
        with torch.no_grad():
            self.logits.weight.copy_(torch.tensor([0.0, 1.0]).reshape(2, 1, 1, 1, 1))
            self.logits.bias.copy_(torch.tensor([(300 + 1000) / 2000, 0.0]))

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        return self.logits(image)


model = BoneAbove300HU().eval()
# An example input of the shape the server feeds: [batch, channels, D, H, W] (one sliding window, the config's roi).
example = torch.zeros(1, 1, 32, 128, 128)
sizes = {0: "batch", 2: "depth", 3: "height", 4: "width"}
torch.onnx.export(
    model,
    example,
    Path(__file__).with_name("model.onnx"),
    input_names=["image"],
    output_names=["logits"],
    dynamic_axes={"image": sizes, "logits": sizes},
    opset_version=17,
)
