"""``python -m webflow_assets ARGS``: the installed binary, with the same arguments, standard
streams and exit status."""

import os
import sys

from webflow_assets import find_webflow_assets_bin


def main() -> None:
    try:
        binary = find_webflow_assets_bin()
    except FileNotFoundError as missing:
        sys.stderr.write(f"webflow-assets: the binary is not installed where expected ({missing})\n")
        sys.exit(1)
    if sys.platform == "win32":
        import subprocess

        # No exec on Windows: run it and pass its status on. Ctrl-C reaches the binary
        # through the shared console; Python only waits for it.
        try:
            completed = subprocess.run([binary, *sys.argv[1:]])
        except KeyboardInterrupt:
            sys.exit(130)
        sys.exit(completed.returncode)
    # The binary takes over this process: signals and the exit status are its own.
    os.execv(binary, [binary, *sys.argv[1:]])


if __name__ == "__main__":
    main()
