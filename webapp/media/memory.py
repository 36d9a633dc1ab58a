"""Give decoded images' memory back to the system when they are freed.

Pillow stores a big image in blocks of several MB. glibc serves such blocks with mmap at
first, but after the first is freed it raises its mmap threshold (up to 32 MB) and serves
later ones from per-thread heaps that it keeps: every worker thread that ever processed a
photo then holds ~100 MB for good, 800 MB after 8 uploads on 8 threads (bench/media.py).
A fixed threshold of 4 MB keeps big blocks on mmap, returned at free: the peak then
follows only the images being processed now (MEDIA_PROCESSING_SLOTS), about 200 MB.
"""

import ctypes
import ctypes.util
import sys

M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter number
THRESHOLD = 4 * 1024 * 1024


def return_big_blocks() -> bool:
    """Set glibc's mmap threshold; False where there is no glibc (nothing to do)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return bool(libc.mallopt(M_MMAP_THRESHOLD, THRESHOLD))
    except (OSError, AttributeError):  # musl or another libc without mallopt
        return False
