"""The image pipeline's cost (issue 16): one 12-megapixel JPEG, and 8 uploads at once.

    .venv/bin/python -m bench.media [--runs 5]

Makes a 4000x3000 photo-like JPEG (smooth gradients, fine noise and EXIF, about 3-5 MB, as
a phone takes), then:
- times webapp.media.pipeline.process_post_image on it (decode, upright, re-encode the
  original, the 640 px preview and the blurhash): the median and the worst of --runs;
- runs 8 of them at once on 8 threads, as 8 concurrent uploads in one worker would (Pillow
  releases the GIL while it decodes and encodes), and samples the process's resident
  memory every 5 ms for the peak above the baseline. The pipeline lets
  MEDIA_PROCESSING_SLOTS of them work at once (2 by default); the rest wait.
Wall-clock times depend on the machine's load: run it on a quiet machine, and say if not.
"""

import argparse
import io
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from PIL import Image, ImageFilter

from webapp.config import settings
from webapp.media import pipeline

LIMIT = 10 * 1024 * 1024
SIZE = (4000, 3000)


def photo() -> bytes:
    """A 12 MP JPEG that compresses like a photo, not like a flat colour."""
    noise = Image.effect_noise(SIZE, 40).convert("RGB")
    gradient = Image.linear_gradient("L").resize(SIZE).convert("RGB")
    image = Image.blend(gradient, noise, 0.35).filter(ImageFilter.SMOOTH)
    exif = Image.Exif()
    exif[0x0112] = 6  # taken sideways: the pipeline rotates it
    exif[0x010F] = "Bench camera"
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=92, exif=exif)
    return buffer.getvalue()


def rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096


class PeakMemory:
    """Samples resident memory on a thread until stopped; keeps the highest."""

    def __init__(self) -> None:
        self.peak = rss_bytes()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, rss_bytes())

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def time_one(data: bytes, runs: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds per run; CPU time barely moves with the machine's load."""
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        pipeline.process_post_image(data, LIMIT)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return times, cpu


def eight_at_once(data: bytes) -> tuple[float, int]:
    baseline = rss_bytes()
    with PeakMemory() as memory, ThreadPoolExecutor(8) as pool:
        start = time.perf_counter()
        list(pool.map(lambda _: pipeline.process_post_image(data, LIMIT), range(8)))
        wall = time.perf_counter() - start
    return wall, memory.peak - baseline


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    data = photo()
    print(f"input: {SIZE[0]}x{SIZE[1]} JPEG, {len(data) / 1e6:.1f} MB")
    pipeline.process_post_image(data, LIMIT)  # warm-up: imports, codec tables
    times, cpu = time_one(data, args.runs)
    print(
        f"one 12 MP JPEG: median {statistics.median(times) * 1000:.0f} ms, "
        f"worst {max(times) * 1000:.0f} ms over {args.runs} runs; "
        f"CPU median {statistics.median(cpu) * 1000:.0f} ms"
    )
    wall, peak = eight_at_once(data)
    slots = settings.media_processing_slots
    print(f"8 at once ({slots} processed at a time, MEDIA_PROCESSING_SLOTS): {wall * 1000:.0f} ms")
    print(f"  peak resident memory: +{peak / 2**20:.0f} MiB over the baseline")


if __name__ == "__main__":
    main()
