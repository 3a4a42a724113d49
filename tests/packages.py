#!/usr/bin/env python3
"""The packages people install without Rust, installed and run as they would run them.

`cargo xtask dist` packs this machine's release binary (npm tarballs, the wheel, the release
archive); the npm tarballs are installed offline into a scratch project, the wheel into a
venv, and the installed command is driven against the standalone fake: its version, an
upload, exit statuses 2, 3 and 4 and Ctrl-C's 130 through the npm launcher, the launcher's
message when no platform package is installed, `python -m webflow_assets`. Packing again
must write the same bytes. Python's standard library only; nothing reaches the network.

    cargo build --release -p webflow-assets-cli && cargo build -p webflow-fake
    python3 tests/packages.py target            # what CI runs
    python3 tests/packages.py target --bench    # BENCHMARKS.md: launcher overhead, sizes
    python3 tests/packages.py target --smoke BINARY   # a release runner's own build
"""

import hashlib
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
import zipfile
import zlib
import struct
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = Path(sys.argv[1] if len(sys.argv) > 1 else "target").resolve()
BENCH = "--bench" in sys.argv[2:]
SMOKE = sys.argv[sys.argv.index("--smoke") + 1] if "--smoke" in sys.argv[2:] else None
EXE = ".exe" if os.name == "nt" else ""
RELEASE = TARGET / "release" / f"webflow-assets{EXE}"
FAKE = TARGET / "debug" / f"webflow-fake{EXE}"
VERSION = tomllib.loads((ROOT / "Cargo.toml").read_text())["workspace"]["package"]["version"]
TIMEOUT = 120


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def timed(label, started):
    print(f"  {label}: {time.monotonic() - started:.1f} s", flush=True)


def run(args, code=0, timeout=TIMEOUT, **kwargs):
    """Runs a command to its end; its status must be `code`."""
    done = subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, timeout=timeout, **kwargs
    )
    check(
        done.returncode == code,
        f"{args}: exit {done.returncode}, expected {code}\n{done.stdout}\n{done.stderr}",
    )
    return done


class Fake:
    """The standalone fake. With --exit-on-eof it dies with this script, however that ends."""

    def __init__(self):
        self.process = subprocess.Popen(
            [str(FAKE), "--exit-on-eof", "--rate-limit", "1000"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        banner = {}
        for _ in range(5):
            key, _, value = self.process.stdout.readline().partition(":")
            banner[key.strip()] = value.strip()
        self.base, self.token, self.site = banner["base url"], banner["token"], banner["site id"]
        check(self.base.startswith("http://127.0.0.1:"), f"banner: {banner}")
        threading.Thread(target=self.process.stdout.read, daemon=True).start()

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise AssertionError("the fake did not stop when its standard input closed")

    def env(self, **extra):
        """An environment with the fake's token and site, and nothing of GitHub's."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "WEBFLOW_"))}
        env.update(WEBFLOW_TOKEN=self.token, WEBFLOW_SITE_ID=self.site, **extra)
        return env

    def args(self):
        return ["--base-url", self.base]


def png(width=1, height=1):
    """A valid PNG image."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\0" + b"\xff\x00\x00" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def host_target():
    out = run(["rustc", "-vV"]).stdout
    return next(line[6:] for line in out.splitlines() if line.startswith("host: "))


def dist(out):
    """`cargo xtask dist` of the release binary already built (maturin reuses its build)."""
    started = time.monotonic()
    run(
        ["cargo", "xtask", "dist", "--binary", RELEASE, "--out", out],
        cwd=ROOT,
        env={**os.environ, "CARGO_TARGET_DIR": str(TARGET)},
        # Sources newer than the release binary cost maturin a release build.
        timeout=1800,
    )
    timed("cargo xtask dist", started)
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def npm_platform_name(target):
    os_, cpu = {
        "x86_64-unknown-linux-gnu": ("linux", "x64-gnu"),
        "aarch64-unknown-linux-gnu": ("linux", "arm64-gnu"),
        "x86_64-unknown-linux-musl": ("linux", "x64-musl"),
        "aarch64-unknown-linux-musl": ("linux", "arm64-musl"),
        "x86_64-apple-darwin": ("darwin", "x64"),
        "aarch64-apple-darwin": ("darwin", "arm64"),
        "x86_64-pc-windows-msvc": ("win32", "x64"),
    }[target]
    return f"webflow-assets-{os_}-{cpu}"


def npm_install(project, *tarballs, omit_optional=False):
    """An offline install of local tarballs into a new project, without install scripts, from
    an empty cache: anything it needed from the registry would fail it."""
    project.mkdir()
    (project / "package.json").write_text(json.dumps({"name": "scratch", "private": True}))
    started = time.monotonic()
    args = ["npm", "install", "--offline", "--ignore-scripts", "--no-audit", "--no-fund"]
    args += ["--cache", project / ".npm-cache"]
    if omit_optional:
        args.append("--omit=optional")
    run([*args, *tarballs], cwd=project)
    timed(f"npm install into {project.name}", started)
    return project / "node_modules" / ".bin" / f"webflow-assets{'.cmd' if os.name == 'nt' else ''}"


def drive(name, command, fake, work):
    """The installed `command` (an argument list) against the fake, as a user runs it."""
    env = fake.env()
    base = [*command, *fake.args()]
    version = run([*command, "--version"], env=env).stdout.strip()
    check(version == f"webflow-assets {VERSION}", f"{name}: --version says {version!r}")

    files = work / f"{name}-files"
    files.mkdir()
    (files / f"{name}.txt").write_text(f"uploaded through {name}\n")
    run([*base, "upload", files / f"{name}.txt", "--folder", name], env=env)
    listing = run([*base, "ls", "--folder", name, "--json"], env=env).stdout
    names = [json.loads(line).get("name") for line in listing.splitlines()]
    check(names == [f"{name}.txt"], f"{name}: the site lists {names}")

    # 2: a usage error. 3: a sync whose tree holds a file Webflow refuses.
    run([*base, "upload"], code=2, env=env)
    (files / "tool.exe").write_bytes(b"MZ")
    run([*base, "sync", files, "--folder", name], code=3, env=env)
    print(f"  {name}: --version, an upload, exit statuses 2 and 3", flush=True)


def audit_finds(command, fake, work):
    """4: an audit finds an image without alt text."""
    images = work / "images"
    images.mkdir()
    (images / "no-alt.png").write_bytes(png())
    env = fake.env()
    run([*command, *fake.args(), "upload", images / "no-alt.png", "--folder", "audit"], env=env)
    run([*command, *fake.args(), "audit", "--folder", "audit"], code=4, env=env)
    print("  npm: exit status 4 (an audit's finding)", flush=True)


def interrupted(command, fake, work):
    """Ctrl-C at a terminal, as the terminal sends it: SIGINT to the whole foreground process
    group, launcher and binary alike. The binary lets its file in flight finish and exits 130,
    and so does the launcher."""
    many = work / "many"
    many.mkdir()
    for i in range(200):
        (many / f"f{i:03}.txt").write_text(f"file {i}\n")
    process = subprocess.Popen(
        [*command, *fake.args(), "sync", many, "--folder", "interrupted", "--concurrency", "1"],
        env=fake.env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    first = process.stdout.readline()
    check(first.startswith("uploaded"), f"first line: {first!r}")
    os.killpg(process.pid, signal.SIGINT)
    try:
        rest, errors = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        raise
    check(process.returncode == 130, f"Ctrl-C: exit {process.returncode}\n{rest}\n{errors}")
    check("interrupted" in errors, f"the binary saw one Ctrl-C: {errors}")
    check("interrupted again" not in errors, f"only one Ctrl-C reached the binary: {errors}")
    uploaded = 1 + sum(line.startswith("uploaded ") for line in rest.splitlines())
    check(uploaded < 200, "the run stopped before its end")
    print(f"  npm: Ctrl-C to the process group: exit 130 after {uploaded} of 200 files", flush=True)


def missing_platform(launcher, fake):
    done = run([launcher, "--version"], code=1, env=fake.env())
    lines = done.stderr.strip().splitlines()
    check(len(lines) == 1, f"one line, no stack trace: {done.stderr}")
    check("no binary for" in lines[0] and "pipx install webflow-assets" in lines[0], lines[0])
    check("cargo install webflow-assets-cli" in lines[0], lines[0])
    print(f"  npm, the main package alone: {lines[0]}", flush=True)
    # WEBFLOW_ASSETS_BINARY names a binary to run instead.
    done = run([launcher, "--version"], env=fake.env(WEBFLOW_ASSETS_BINARY=str(RELEASE)))
    check(done.stdout.strip() == f"webflow-assets {VERSION}", done.stdout)
    done = run([launcher, "--version"], code=1, env=fake.env(WEBFLOW_ASSETS_BINARY="/nonexistent"))
    check(len(done.stderr.strip().splitlines()) == 1, done.stderr)


def action_script(work):
    """The composite Action's script, run as the runner runs it, with a stand-in `npx` that
    records its arguments: inputs are data, never shell, and `args` splits into words."""
    lines = (ROOT / "action.yml").read_text().splitlines()
    start = lines.index("      run: |") + 1
    script = "\n".join(line[8:] for line in lines[start:] if line.startswith("        ") or not line)
    bin_dir = work / "action-bin"
    bin_dir.mkdir()
    npx = bin_dir / "npx"
    npx.write_text('#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done > "$RUNNER_TEMP/npx-args"\n')
    npx.chmod(0o755)
    pwned = work / "pwned"
    words = f"sync './my assets' --folder \"a b\" $(touch {pwned}) `touch {pwned}` * ~ ${{HOME}}"
    env = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "RUNNER_TEMP": str(work),
        "WEBFLOW_TOKEN": "secret-token",
        "WEBFLOW_SITE_ID": "",
        "WEBFLOW_ASSETS_ARGS": words,
        "WEBFLOW_ASSETS_VERSION": VERSION,
    }
    done = run(["bash", "-c", script], env=env, cwd=work)
    check(done.stdout.splitlines()[0] == "::add-mask::secret-token", done.stdout)
    recorded = (work / "npx-args").read_text().splitlines()
    expected = ["--yes", f"webflow-assets@{VERSION}", "sync", "./my assets", "--folder", "a b",
                "$(touch", f"{pwned})", "`touch", f"{pwned}`", "*", "~", "${HOME}"]
    check(recorded == expected, f"npx got {recorded}")
    check(not pwned.exists(), "an input ran as shell")
    for version in ["1.0.0 && touch x", "$(id)", ""]:
        run(["bash", "-c", script], code=2, env={**env, "WEBFLOW_ASSETS_VERSION": version}, cwd=work)
    run(["bash", "-c", script], code=1, env={**env, "WEBFLOW_ASSETS_ARGS": "sync 'unclosed"},
        cwd=work)
    print("  action.yml: inputs stay data, args split into words, the token masked", flush=True)


def median_ms(command, runs=20):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def bench(launcher, packed):
    bare = median_ms([str(RELEASE), "--version"])
    through = median_ms([str(launcher), "--version"])
    node = median_ms(["node", "-e", "0"])
    print(f"--version, median of 20: bare binary {bare:.1f} ms, through the npm launcher "
          f"{through:.1f} ms: {through - bare:.1f} ms added (goal: at most 60); "
          f"of which Node's own start (`node -e 0`) {node:.1f} ms, the launcher's work "
          f"{through - bare - node:.1f} ms")
    for name, data in sorted(packed.items()):
        if not name.endswith(".sha256"):
            print(f"{name}: {len(data) / 1e6:.2f} MB")


def smoke(binary):
    """A binary built by a release runner: its version, an upload, statuses 2 and 3."""
    with tempfile.TemporaryDirectory() as temporary, Fake() as fake:
        drive("release", [str(Path(binary).resolve())], fake, Path(temporary))


def main():
    check(FAKE.is_file(), f"no fake at {FAKE}")
    if SMOKE:
        smoke(SMOKE)
        return
    check(RELEASE.is_file(), f"no release binary at {RELEASE}")
    target = host_target()
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        out = work / "dist"
        packed = dist(out)
        main_tgz = out / "npm" / f"webflow-assets-{VERSION}.tgz"
        platform_tgz = out / "npm" / f"{npm_platform_name(target)}-{VERSION}.tgz"
        archive = f"webflow-assets-{VERSION}-{target}.{'zip' if os.name == 'nt' else 'tar.gz'}"
        wheels = [n for n in packed if n.endswith(".whl")]
        check(main_tgz.is_file() and platform_tgz.is_file(), f"npm packages: {sorted(packed)}")
        check(len(wheels) == 1, f"one wheel: {sorted(packed)}")
        with zipfile.ZipFile(out / wheels[0]) as wheel:
            inside = wheel.read(f"webflow_assets-{VERSION}.data/scripts/webflow-assets{EXE}")
        check(inside == RELEASE.read_bytes(), "the wheel holds the binary the npm package does")
        digest = hashlib.sha256(packed[archive]).hexdigest()
        check(packed[archive + ".sha256"].decode() == f"{digest}  {archive}\n", "the checksum")

        launcher = npm_install(work / "npm-project", main_tgz, platform_tgz)
        alone = npm_install(work / "npm-main-alone", main_tgz, omit_optional=True)
        if BENCH:
            bench(launcher, packed)
            return

        started = time.monotonic()
        venv = work / "venv"
        # The venv without a pip of its own (making one takes seconds); this Python's pip
        # installs into it.
        run([sys.executable, "-m", "venv", "--without-pip", venv])
        scripts = venv / ("Scripts" if os.name == "nt" else "bin")
        run([sys.executable, "-m", "pip", "--python", scripts / "python", "install",
             "--no-index", "--no-deps", "--quiet", "--disable-pip-version-check",
             out / wheels[0]])
        timed("the wheel into a venv", started)

        started = time.monotonic()
        with Fake() as fake:
            drive("npm", [str(launcher)], fake, work)
            audit_finds([str(launcher)], fake, work)
            if os.name != "nt":
                interrupted([str(launcher)], fake, work)
            missing_platform(alone, fake)
            drive("pypi", [str(scripts / f"webflow-assets{EXE}")], fake, work)
            drive("python-m", [str(scripts / "python"), "-m", "webflow_assets"], fake, work)
        timed("the installed commands against the fake", started)

        if os.name != "nt":
            action_script(work)

        # Packing again writes the same bytes.
        again = dist(work / "dist-again")
        check(again == packed, f"a second dist differs: "
              f"{[n for n in packed if again.get(n) != packed[n]]}")
    print("packages: npm (launcher, exit statuses 2, 3, 4 and 130, no platform package), "
          "wheel (script and python -m), archive and checksum, a second dist identical")


if __name__ == "__main__":
    main()
