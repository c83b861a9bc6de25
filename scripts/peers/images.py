#!/usr/bin/python3
"""The photo pipeline of the threads-vs-processes tutorial, with Pillow:
bench's images workload measured against the program it stands for.

For each .jpg/.jpeg/.png in IMAGE_DIR, in name order:

    Image.open(path).filter(ImageFilter.GaussianBlur(15)), then
    .thumbnail((1200, 1200)), then .save(OUT/name)

save() picks the format from the name and uses Pillow's defaults (JPEG
quality 75).  --mode seq runs them in a loop, thread and process map them
over a ThreadPoolExecutor or ProcessPoolExecutor of --workers workers.
The clock runs from before the pool is made to after it is shut down, as
in the tutorial (the interpreter's start and the imports are outside).

    /usr/bin/python3 scripts/peers/images.py --mode seq|thread|process \\
        [--workers N] [--out DIR] IMAGE_DIR

The last line is for scripts:
    RESULT mode=M workers=N images=N seconds=S
"""
import argparse
import concurrent.futures
import os
import sys
import time

from PIL import Image, ImageFilter

BLUR_RADIUS = 15
BOX = (1200, 1200)


def one_image(path, out):
    """The tutorial's three calls on one file; returns its name."""
    with Image.open(path) as original:
        blurred = original.filter(ImageFilter.GaussianBlur(BLUR_RADIUS))
    blurred.thumbnail(BOX)
    name = os.path.basename(path)
    blurred.save(os.path.join(out, name))
    return name


def images_in(folder):
    names = sorted(n for n in os.listdir(folder)
                   if n.lower().endswith(('.jpg', '.jpeg', '.png')) and not n.startswith('.'))
    return [os.path.join(folder, n) for n in names]


def pool_for(mode, workers):
    if mode == 'thread':
        return concurrent.futures.ThreadPoolExecutor(max_workers=workers)
    return concurrent.futures.ProcessPoolExecutor(max_workers=workers)


def timed(mode, workers, paths, out):
    start = time.perf_counter()
    if mode == 'seq':
        done = [one_image(p, out) for p in paths]
    else:
        with pool_for(mode, workers) as pool:
            done = list(pool.map(one_image, paths, [out] * len(paths)))
    return time.perf_counter() - start, done


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--mode', choices=('seq', 'thread', 'process'), required=True)
    ap.add_argument('--workers', type=int, default=1)
    ap.add_argument('--out', default='processed')
    ap.add_argument('folder')
    args = ap.parse_args()
    if args.workers < 1:
        sys.exit('images.py: --workers must be at least 1')
    paths = images_in(args.folder)
    if not paths:
        sys.exit(f'images.py: no .jpg, .jpeg or .png in {args.folder}')
    os.makedirs(args.out, exist_ok=True)
    workers = 1 if args.mode == 'seq' else args.workers
    seconds, done = timed(args.mode, workers, paths, args.out)
    for name in done:
        print(f'{name} was processed')
    print(f'RESULT mode={args.mode} workers={workers} images={len(done)} seconds={seconds:.4f}')


if __name__ == '__main__':
    main()
