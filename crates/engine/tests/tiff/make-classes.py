# Writes the TIFF class fixtures (README.md) from rgb.tif with tifffile and imagecodecs
# (PyPI); the YCbCr data units are laid out here, as no tool writes subsampled YCbCr
# without JPEG.
import struct

import imagecodecs
import numpy as np
import tifffile

rgb = tifffile.imread('rgb.tif')
grey = (rgb @ np.array([0.299, 0.587, 0.114])).round().astype(np.uint8)
linear = ((rgb / 255.0) ** 2.2).astype(np.float32)
write = tifffile.imwrite
write('float-predictor.tif', linear, photometric='rgb', compression='zlib', predictor=3)
write('half-float.tif', linear.astype(np.float16), photometric='rgb', compression='zlib', predictor=3)
write('planar.tif', np.moveaxis(rgb, 2, 0), photometric='rgb', planarconfig='separate', compression='lzw')
write('grey-extra.tif', np.dstack([grey, 255 - grey, grey // 3]), photometric='minisblack', extrasamples=[0, 0], compression='zlib')
write('grey-int8.tif', (grey.astype(np.int16) - 128).astype(np.int8), photometric='minisblack', compression='zlib')
write('tiles-larger.tif', rgb[:20, :30], photometric='rgb', tile=(64, 64), compression='zlib')
write('bigtiff-be.tif', rgb, photometric='rgb', bigtiff=True, byteorder='>', compression='zlib')
write('float-rgb.tif', linear, photometric='rgb')  # input of logluv.tif, not kept
ink = np.dstack([255 - rgb, np.zeros(grey.shape)])  # libvips reads float ink as 0-255
write('cmyk-float.tif', ink.astype(np.float32), photometric='separated', compression='zlib')

# 2x2-subsampled YCbCr data units (four luma samples, then Cb and Cr), LZW-compressed.
f = rgb.astype(np.float64)
y = 0.299 * f[..., 0] + 0.587 * f[..., 1] + 0.114 * f[..., 2]
cb, cr = 128 + (f[..., 2] - y) / 1.772, 128 + (f[..., 0] - y) / 1.402
units = []
for by in range(0, y.shape[0], 2):
    for bx in range(0, y.shape[1], 2):
        units += list(y[by:by + 2, bx:bx + 2].reshape(-1))
        units += [cb[by:by + 2, bx:bx + 2].mean(), cr[by:by + 2, bx:bx + 2].mean()]
data = imagecodecs.lzw_encode(np.clip(np.round(units), 0, 255).astype(np.uint8).tobytes())
height, width = y.shape
tags = [(256, 3, 1, width), (257, 3, 1, height), (258, 3, 1, 8), (259, 3, 1, 5), (262, 3, 1, 6),
        (273, 4, 1, 0), (277, 3, 1, 3), (278, 3, 1, height), (279, 4, 1, len(data)), (530, 3, 2, 0)]
data_at = 8 + 2 + len(tags) * 12 + 4
out = bytearray(b'II*\0' + struct.pack('<I', 8) + struct.pack('<H', len(tags)))
for tag, kind, count, value in tags:
    if tag == 258:  # 8, 8, 8: three SHORTs do not fit; one value stands for all (libtiff reads it)
        out += struct.pack('<HHIHH', tag, kind, count, value, 0)
    elif tag == 273:
        out += struct.pack('<HHII', tag, kind, count, data_at)
    elif tag == 530:
        out += struct.pack('<HHIHH', tag, kind, count, 2, 2)
    elif kind == 3:
        out += struct.pack('<HHIHH', tag, kind, count, value, 0)
    else:
        out += struct.pack('<HHII', tag, kind, count, value)
out += struct.pack('<I', 0) + data
open('ycbcr-lzw.tif', 'wb').write(out)
