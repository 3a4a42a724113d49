"""The standalone fake Webflow as the scripts under tests/ start it: its banner read, its
output drained, and stopped by closing its standard input (`--exit-on-eof`), so it dies with
the script however that ends."""

import subprocess
import threading
from pathlib import Path


class StandaloneFake:
    """`binary --exit-on-eof ARGS`, with its base URL, token and site id."""

    def __init__(self, binary: Path, *args: str):
        self.process = subprocess.Popen(
            [str(binary), "--exit-on-eof", *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        banner = {}
        for _ in range(5):
            key, _, value = self.process.stdout.readline().partition(":")
            banner[key.strip()] = value.strip()
        self.base, self.token, self.site = banner["base url"], banner["token"], banner["site id"]
        if not self.base.startswith("http://127.0.0.1:"):
            raise AssertionError(f"banner: {banner}")
        # Keep reading, so that nothing the fake prints meets a closed pipe.
        threading.Thread(target=self.process.stdout.read, daemon=True).start()

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.close()

    def close(self):
        self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise AssertionError("the fake did not stop when its standard input closed")
