"""Uploading a large file with a progress bar: ``on_progress(sent, total)`` drives tqdm.

    UPLOADCARE_PUBLIC_KEY=... UPLOADCARE_SECRET_KEY=... python upload_progress.py big.bin

(``pip install tqdm``; UPLOADCARE_API_BASE and UPLOADCARE_UPLOAD_BASE point it at the emulator.)
"""

from __future__ import annotations

import os
import sys

from tqdm import tqdm

import ucare


def main(path: str) -> None:
    client = ucare.Client.from_env()
    with tqdm(total=os.path.getsize(path), unit="B", unit_scale=True, desc=os.path.basename(path)) as bar:

        def on_progress(sent: int, total: int) -> None:
            bar.update(sent - bar.n)  # parts may finish out of order; `sent` only grows

        f = client.upload(path, store=True, on_progress=on_progress)
    print(f"{f.uuid} {f.original_filename} {f.size} bytes")


if __name__ == "__main__":
    main(sys.argv[1])
