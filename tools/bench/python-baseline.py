"""The same operations in the Python stack the original AIAA runs on (numpy + scipy.ndimage).

Usage: python3 python-baseline.py RAW_FILE D H W SPACING_I SPACING_J SPACING_K TARGET_MM RUNS
RAW_FILE holds int16 voxels, row-major D×H×W (x fastest), as the TypeScript bench wrote them.
Prints one JSON object with per-operation timings in milliseconds.
"""
import json
import sys
import time

import numpy as np
from scipy import ndimage


def timed(fn, runs):
    fn()  # warm-up
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {"medianMs": samples[len(samples) // 2], "minMs": samples[0], "maxMs": samples[-1], "runs": runs}


def main():
    raw, d, h, w, si, sj, sk, target, runs = sys.argv[1:10]
    d, h, w, runs = int(d), int(h), int(w), int(runs)
    spacing_dhw = np.array([float(sk), float(sj), float(si)])
    target = float(target)
    volume = np.fromfile(raw, dtype="<i2").reshape(d, h, w).astype(np.float32)
    zoom_down = spacing_dhw / target
    down = ndimage.zoom(volume, zoom_down, order=1)
    zoom_back = np.array(volume.shape) / np.array(down.shape)

    def resample_round_trip():
        small = ndimage.zoom(volume, zoom_down, order=1)
        ndimage.zoom(small, zoom_back, order=1)

    mask = volume > 100

    def largest_cc():
        labels, count = ndimage.label(mask, structure=np.ones((3, 3, 3)))
        if count > 0:
            sizes = np.bincount(labels.ravel())
            sizes[0] = 0
            keep = labels == sizes.argmax()
            return keep.astype(np.uint8)
        return mask.astype(np.uint8)

    print(json.dumps({"resample": timed(resample_round_trip, runs), "largestCc": timed(largest_cc, runs),
                      "downShape": list(down.shape)}))


main()
