"""The segmentation pipeline of the side-by-side bench, in the Python stack AIAA and MONAI Label run on.

Usage: python3 python-pipeline.py MODEL.onnx IN.nii.gz OUT.nii.gz SPACING_X SPACING_Y SPACING_Z A_MIN A_MAX ROI
                                  OVERLAP BATCH THREADS
nibabel load → scipy.ndimage.zoom (order 1, corner-aligned as AIAA's ScaleByResolution, edges replicated) to the
target spacing → window [A_MIN, A_MAX] to [0, 1] → the ONNX file's Conv3d network, rebuilt in torch with the file's own
weights, run as MONAI's sliding_window_inference (constant mode) → argmax → zoom (order 0) back to the input grid →
nibabel save.
Prints one JSON object: per-stage milliseconds, the window count and the peak RSS.
"""
import json
import resource
import sys
import time

START = time.perf_counter()

import nibabel as nib  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
from scipy import ndimage  # noqa: E402

IMPORTS_DONE = time.perf_counter()


def varint(buf, pos):
    value, shift = 0, 0
    while True:
        byte = buf[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7


def fields(buf):
    """(field number, wire type, value) of one protobuf message; length-delimited values as bytes."""
    pos = 0
    while pos < len(buf):
        key, pos = varint(buf, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = varint(buf, pos)
        elif wire == 2:
            size, pos = varint(buf, pos)
            value, pos = buf[pos : pos + size], pos + size
        elif wire == 5:
            value, pos = buf[pos : pos + 4], pos + 4
        elif wire == 1:
            value, pos = buf[pos : pos + 8], pos + 8
        else:
            raise ValueError(f"protobuf wire type {wire} is not read here")
        yield number, wire, value


def onnx_convs(path):
    """The (weight, bias) arrays of the ONNX graph's Conv nodes, in graph order (ModelProto.graph: field 7)."""
    with open(path, "rb") as f:
        model = f.read()
    graph = next(v for n, _, v in fields(model) if n == 7)
    tensors, convs = {}, []
    for number, _, value in fields(graph):
        if number == 5:  # initializer: TensorProto {1 dims, 2 data_type, 8 name, 9 raw_data}
            dims, name, raw = [], None, None
            for n, wire, v in fields(value):
                if n == 1:
                    dims += [v] if wire == 0 else [d for _, _, d in fields_packed(v)]
                elif n == 2 and v != 1:
                    raise ValueError("only float32 initializers are read here")
                elif n == 8:
                    name = v.decode()
                elif n == 9:
                    raw = v
            tensors[name] = np.frombuffer(raw, dtype="<f4").reshape(dims)
        elif number == 1:  # node: NodeProto {1 input, 4 op_type}
            inputs = [v.decode() for n, _, v in fields(value) if n == 1]
            op = next(v.decode() for n, _, v in fields(value) if n == 4)
            if op == "Conv":
                convs.append(inputs)
    return [(tensors[i[1]], tensors[i[2]]) for i in convs]


def fields_packed(buf):
    pos = 0
    while pos < len(buf):
        value, pos = varint(buf, pos)
        yield 0, 0, value


def network(convs):
    layers = []
    for index, (weight, bias) in enumerate(convs):
        conv = torch.nn.Conv3d(weight.shape[1], weight.shape[0], weight.shape[2:], padding=1)
        conv.weight.data = torch.from_numpy(weight.copy())
        conv.bias.data = torch.from_numpy(bias.copy())
        layers += [conv] if index == len(convs) - 1 else [conv, torch.nn.ReLU()]
    return torch.nn.Sequential(*layers).eval()


def dense_patch_starts(size, roi, interval):
    """MONAI's dense_patch_slices along one axis: steps of `interval`, the last window moved back to end at the border."""
    count = next(d for d in range(max(1, -(-size // interval))) if d * interval + roi >= size) + 1
    return [i * interval - max(i * interval + roi - size, 0) for i in range(count)]


def sliding_window_inference(image, roi, overlap, batch, net):
    """MONAI's sliding_window_inference with mode="constant" on a [1, C, X, Y, Z] tensor at least roi in size."""
    spatial = image.shape[2:]
    intervals = [r if r == s else max(int(r * (1 - overlap)), 1) for s, r in zip(spatial, roi)]
    axes = [dense_patch_starts(s, r, i) for s, r, i in zip(spatial, roi, intervals)]
    starts = [(x, y, z) for x in axes[0] for y in axes[1] for z in axes[2]]
    output, count = None, torch.zeros(spatial)
    for first in range(0, len(starts), batch):
        chunk = starts[first : first + batch]
        windows = [tuple(slice(s, s + r) for s, r in zip(start, roi)) for start in chunk]
        probs = net(torch.cat([image[(slice(None), slice(None)) + w] for w in windows]))
        if output is None:
            output = torch.zeros((1, probs.shape[1]) + tuple(spatial))
        for b, w in enumerate(windows):
            output[(0, slice(None)) + w] += probs[b]
            count[w] += 1
    return output / count, len(starts)


def main():
    model, source, target = sys.argv[1:4]
    spacing = np.array([float(v) for v in sys.argv[4:7]])
    a_min, a_max, roi, overlap, batch, threads = sys.argv[7:13]
    a_min, a_max, roi, overlap, batch = float(a_min), float(a_max), int(roi), float(overlap), int(batch)
    torch.set_num_threads(int(threads))
    stages = {"imports": (IMPORTS_DONE - START) * 1000}

    def timed(name, fn):
        begin = time.perf_counter()
        value = fn()
        stages[name] = (time.perf_counter() - begin) * 1000
        return value

    net = timed("build_network", lambda: network(onnx_convs(model)))
    img = timed("load", lambda: nib.load(source))
    voxels = timed("read", lambda: np.asanyarray(img.dataobj))
    zoom = np.array(img.header.get_zooms()[:3]) / spacing
    small = timed("resample", lambda: ndimage.zoom(voxels.astype(np.float32), zoom, order=1, mode="nearest"))
    windowed = timed("window", lambda: np.clip((small - a_min) / (a_max - a_min), 0, 1, dtype=np.float32))
    with torch.no_grad():
        # The server feeds a model NIfTI voxels in file order, [z, y, x] (x fastest); nibabel's array is [x, y, z]. The
        # network sees the [z, y, x] view here too, else its 3×3×3 kernels would run along other axes (another model).
        tensor = torch.from_numpy(windowed).permute(2, 1, 0)[None, None]
        probs, windows = timed("model", lambda: sliding_window_inference(tensor, (roi,) * 3, overlap, batch, net))
        mask = timed("argmax", lambda: probs[0].argmax(0).to(torch.uint8).numpy().T)
    back = np.array(voxels.shape) / np.array(mask.shape)
    restored = timed("restore", lambda: ndimage.zoom(mask, back, order=0, mode="nearest"))
    out = nib.Nifti1Image(restored, img.affine, img.header)
    out.set_data_dtype(np.uint8)
    timed("write", lambda: nib.save(out, target))
    stages["total"] = (time.perf_counter() - START) * 1000
    print(
        json.dumps(
            {
                "stagesMs": stages,
                "windows": windows,
                "resampledShape": list(small.shape),
                "foreground": int(restored.sum()),
                "peakRssBytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
            }
        )
    )


main()
