#!/usr/bin/env python3
"""The command and the standalone fake, driven the way a new user or a CI job drives them.

Only processes, files and HTTP: the site is judged by listing it over the API (and fetching
the hosted bytes), never by looking inside the fake. In-process tests can share a mistake with
the code they test; this cannot. Python's standard library only.

    cargo build -p webflow-fake -p webflow-assets-cli
    python3 tests/outsider.py target/debug
"""

import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
import urllib.error
import urllib.request
from pathlib import Path

from standalone_fake import StandaloneFake

BIN = Path(sys.argv[1] if len(sys.argv) > 1 else "target/debug").resolve()
MANIFEST = ".webflow-assets-manifest.json"


def check(condition, message):
    if not condition:
        raise AssertionError(message)


class Fake(StandaloneFake):
    """The standalone fake of the build under test."""

    def __init__(self, *args):
        super().__init__(BIN / "webflow-fake", *args)

    def env(self):
        return {
            "PATH": os.environ.get("PATH", ""),
            # Windows' sockets do not start in a process without it.
            **{k: v for k, v in os.environ.items() if k.upper() == "SYSTEMROOT"},
            "WEBFLOW_TOKEN": self.token,
            "WEBFLOW_SITE_ID": self.site,
        }

    def api(self, path):
        """GET an API path as any HTTP client would, waiting out a 429."""
        while True:
            request = urllib.request.Request(
                self.base + path, headers={"Authorization": f"Bearer {self.token}"}
            )
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    return json.load(response)
            except urllib.error.HTTPError as error:
                if error.code != 429:
                    raise
                time.sleep(min(float(error.headers.get("Retry-After", "1")), 5))

    def assets(self):
        """Every asset on the site, page by page, with its folder's path."""
        listed = self.api(f"/sites/{self.site}/asset_folders")["assetFolders"]
        folders = {f["id"]: f for f in listed}

        def path(folder_id):
            parts = []
            while folder_id:
                parts.append(folders[folder_id]["displayName"])
                folder_id = folders[folder_id].get("parentFolder")
            return "/".join(reversed(parts))

        assets, offset = [], 0
        while True:
            page = self.api(f"/sites/{self.site}/assets?offset={offset}&limit=100")
            for asset in page["assets"]:
                folder = path(asset.get("folderId"))
                asset["path"] = "/".join(p for p in (folder, asset["originalFileName"]) if p)
            assets += page["assets"]
            offset += len(page["assets"])
            if not page["assets"] or offset >= page["pagination"]["total"]:
                return assets


class Cli:
    def __init__(self, fake, *options):
        self.fake, self.options = fake, list(options)

    def command(self, *args):
        return [str(BIN / "webflow-assets"), "--base-url", self.fake.base, *self.options, *args]

    def run(self, *args, code=0):
        done = subprocess.run(
            self.command(*args), env=self.fake.env(), capture_output=True, text=True,
            stdin=subprocess.DEVNULL, timeout=600,
        )
        output = done.stdout + done.stderr
        check(self.fake.token not in output, f"the token is printed by {args}")
        check(done.returncode == code, f"{args}: exit {done.returncode}, not {code}\n{output}")
        return done

    def json(self, *args, code=0):
        output = self.run("--json", *args, code=code).stdout
        lines = [json.loads(line) for line in output.splitlines()]
        # A failed run ends with one error line, with a code, after its totals.
        if code == 1:
            check("code" in lines[-1], f"a failure ends with its error line: {lines[-1]}")
        totals = [l for l in lines if "status" not in l and "code" not in l]
        return [l for l in lines if "status" in l], totals[-1]


def write_tree(root, count):
    """`count` small files in nested folders; returns relative path -> bytes."""
    files = {}
    for i in range(count):
        relative = f"{('photos', 'photos/2026', 'docs')[i % 3]}/file-{i:03}.txt"
        files[relative] = f"file number {i}\n".encode()
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_bytes(files[relative])
    return files


def on_site(assets, folder):
    """The site's view under the target folder: relative path -> assets with that path."""
    mine = {}
    for asset in assets:
        if asset["path"].startswith(folder + "/"):
            mine.setdefault(asset["path"][len(folder) + 1:], []).append(asset)
    return mine


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


def exactly_one_each(fake, folder, files):
    """The site holds one asset per local file, with the local bytes, and nothing else."""
    site = on_site(fake.assets(), folder)
    twice = {p: len(a) for p, a in site.items() if len(a) > 1}
    check(not twice, f"duplicates on the site: {twice}")
    check(set(site) == set(files), f"site {sorted(set(site) ^ set(files))[:5]} differ")
    for relative, body in files.items():
        check(fetch(site[relative][0]["hostedUrl"]) == body, f"hosted bytes of {relative}")


def new_user(work):
    """A lost manifest, refused and missing files, changes with --delete, a URL source."""
    with Fake("--rate-limit", "600") as fake:
        cli = Cli(fake, "--rate-limit", "600", "--concurrency", "4")
        root = work / "site"
        files = write_tree(root, 60)
        outside = work / "outside.txt"
        outside.write_text("at the root, outside the synced folder\n")
        cli.run("upload", str(outside))

        lines, _ = cli.json("sync", str(root), "--folder", "mirror")
        check(sum(l["status"] == "uploaded" for l in lines) == 60, "first sync uploads 60")
        (root / MANIFEST).unlink()
        lines, _ = cli.json("sync", str(root), "--folder", "mirror")
        check(not any(l["status"] == "uploaded" for l in lines), "no manifest, no upload")
        exactly_one_each(fake, "mirror", files)
        listed = cli.run("ls", "--folder", "mirror", "--json").stdout.splitlines()
        check(len(listed) == 60, f"ls shows {len(listed)} of 60")

        # A file the user names that is not on the site is a failure, whatever the reason.
        (work / "tool.exe").write_bytes(b"MZ")
        out = cli.run("upload", str(work / "tool.exe"), code=1).stdout
        check("failed" in out and ".exe" in out, out)
        cli.run("upload", str(work / "missing.png"), code=1)
        (root / "tool.exe").write_bytes(b"MZ")
        cli.run("sync", str(root), "--folder", "mirror", code=3)
        (root / "tool.exe").unlink()

        # Change 3 files (a new size), delete 2.
        changed = sorted(files)[:3]
        for relative in changed:
            files[relative] = f"{relative} changed, and longer than before\n".encode()
            (root / relative).write_bytes(files[relative])
        for relative in sorted(files)[-2:]:
            (root / relative).unlink()
            del files[relative]
        before = sorted(a["id"] for a in fake.assets())
        lines, last = cli.json("sync", str(root), "--folder", "mirror", "--delete", "--dry-run")
        planned = [l["status"] for l in lines]
        check(planned.count("planned_upload") == 3, f"dry run plans 3 uploads: {planned}")
        check(planned.count("planned_delete") == 5, f"dry run plans 5 deletes: {planned}")
        check("requests" in last["plan"], f"the plan states its cost: {last}")
        cli.run("sync", str(root), "--folder", "mirror", "--delete", "--max-delete", "4", code=1)
        check(sorted(a["id"] for a in fake.assets()) == before, "dry run, refusal: no change")
        lines, _ = cli.json("sync", str(root), "--folder", "mirror", "--delete")
        check(sum(l["status"] == "uploaded" for l in lines) == 3, "3 uploads")
        check(sum(l["status"] == "deleted" for l in lines) == 5, "5 deletes")
        exactly_one_each(fake, "mirror", files)
        check(any(a["path"] == "outside.txt" for a in fake.assets()),
              "the asset outside the target is untouched")

        url_source(fake, cli)

        # The judge can fail: a second asset for one path is seen as a duplicate.
        again = Path(changed[0])
        cli.run("upload", str(root / again), "--folder", f"mirror/{again.parent}")
        try:
            exactly_one_each(fake, "mirror", files)
        except AssertionError as error:
            check("duplicates" in str(error), str(error))
        else:
            raise AssertionError("a duplicate went unnoticed")


def url_source(fake, cli):
    """upload URL --alt through a redirect: the token stays home, the bytes arrive whole, the
    name comes from where the redirect led, alt text is set."""
    body = b"<svg xmlns='http://www.w3.org/2000/svg' width='1' height='1'/>\n"
    seen = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(dict(self.headers))
            if self.path == "/latest":
                self.send_response(302)
                self.send_header("Location", "/pics/dot.svg")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/latest"
        refused = cli.run("upload", url, code=1)
        check("loopback" in refused.stdout + refused.stderr,
              f"a loopback URL is refused by default: {refused}")
        check(not seen, "nothing was sent to the refused URL")
        lines, _ = cli.json("upload", url, "--alt", "A dot", "--folder", "web",
                            "--allow-private-urls")
    finally:
        server.shutdown()
        server.server_close()
    check(len(seen) == 2 and not any("authorization" in {k.lower() for k in h} for h in seen),
          "the download carried no token")
    asset_id = lines[0]["asset_id"]
    info = json.loads(cli.run("info", asset_id, "--json").stdout)
    check(info["altText"] == "A dot", f"alt text: {info}")
    check(info["originalFileName"] == "dot.svg", f"name: {info}")
    check(fetch(info["hostedUrl"]) == body, "the hosted bytes are the served bytes")


def killed_runs(work):
    """A crashing runner: SIGKILL a rate-limited 120-file sync three times, then rerun."""
    with Fake("--rate-limit", "20", "--rate-window", "1") as fake:
        cli = Cli(fake, "--rate-limit", "20", "--rate-window", "1", "--concurrency", "4")
        root = work / "killed"
        files = write_tree(root, 120)
        progress = []
        # Each run is killed once it has said it uploaded so many files, whatever the speed
        # of the machine: mid-run, with other files in flight.
        for round, uploads in enumerate([2, 15, 25]):
            if round == 1:
                (root / MANIFEST).unlink(missing_ok=True)  # a runner that also lost its disk
            process = subprocess.Popen(
                cli.command("sync", str(root), "--folder", "kill"), env=fake.env(),
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                text=True,
            )
            said = 0
            for line in process.stdout:
                said += line.startswith("uploaded")
                if said == uploads:
                    break
            process.kill()
            process.wait()
            process.stdout.close()
            progress.append(len(on_site(fake.assets(), "kill")))
        # The kills must land mid-run, or this proves nothing.
        check(any(0 < n < len(files) for n in progress), f"assets after each kill: {progress}")
        print(f"outsider: assets after each kill: {progress}")
        cli.run("sync", str(root), "--folder", "kill")
        exactly_one_each(fake, "kill", files)
        lines, _ = cli.json("sync", str(root), "--folder", "kill")
        check(not any(l["status"] == "uploaded" for l in lines), "then a rerun uploads nothing")


def statuses(lines, status):
    """The files of the lines with this status."""
    return sorted(l["file"] for l in lines if l["status"] == status)


def site_ids(fake):
    return {a["id"]: a["path"] for a in fake.assets()}


def write_files(root, files):
    for relative, body in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_bytes(body)


def linked_folder(work):
    """A synced folder replaced by a link to the same files is not gone: --delete keeps its
    assets, and -L follows the link and finds them unchanged."""
    with Fake("--rate-limit", "600") as fake:
        cli = Cli(fake, "--rate-limit", "600")
        root = work / "linked"
        brand = {f"brand/logo-{c}.png": b"\x89PNG\r\n\x1a\n" + f"logo {c}\n".encode()
                 for c in "abc"}
        files = {**brand, "index.txt": b"the page\n"}
        write_files(root, files)
        lines, _ = cli.json("sync", str(root), "--folder", "linked")
        check(statuses(lines, "uploaded") == sorted(files), f"first sync: {lines}")
        before = site_ids(fake)
        ids = {p: a[0]["id"] for p, a in on_site(fake.assets(), "linked").items()}

        # The folder moves out of the tree, and a link to it takes its place.
        real = work / "brand-files"
        (root / "brand").rename(real)
        (root / "brand").symlink_to(real, target_is_directory=True)
        lines, _ = cli.json("sync", str(root), "--folder", "linked", "--delete")
        check(not statuses(lines, "deleted"), f"a skipped link is not gone: {lines}")
        check(not statuses(lines, "uploaded"), f"nothing to upload: {lines}")
        check(any(l["file"] == "brand" and l.get("reason") == "symlink" for l in lines),
              f"the link is reported as skipped: {lines}")
        check(site_ids(fake) == before, "the site is as it was")

        for follow in ("-L", "--follow-links"):
            lines, _ = cli.json("sync", str(root), "--folder", "linked", "--delete", follow)
            unchanged = {l["file"]: l["asset_id"] for l in lines if l["status"] == "unchanged"}
            check(unchanged == ids, f"{follow}: every file unchanged, as the same asset: {lines}")
            check(not statuses(lines, "deleted") and not statuses(lines, "uploaded"),
                  f"{follow}: no change: {lines}")
        exactly_one_each(fake, "linked", files)
        check(site_ids(fake) == before, "the site is as it was")

        # The judge can fail: once the link is gone, so are the files, and --delete says so.
        (root / "brand").unlink()
        lines, _ = cli.json("sync", str(root), "--folder", "linked", "--delete")
        check(len(statuses(lines, "deleted")) == len(brand), f"3 deletes: {lines}")
        exactly_one_each(fake, "linked", {"index.txt": files["index.txt"]})


def unfetchable_hosted(work):
    """--checksum --delete when the CDN has lost one hosted file: that file fails (exit 1);
    nothing is uploaded again and nothing is deleted."""
    lost = "docs/unfetchable.txt"
    with Fake("--rate-limit", "600", "--hide-hosted", "unfetchable") as fake:
        cli = Cli(fake, "--rate-limit", "600")
        root = work / "checksum"
        files = write_tree(root, 9)
        files[lost] = b"the CDN will lose this one\n"
        write_files(root, {lost: files[lost]})
        cli.run("sync", str(root), "--folder", "sums")
        site = on_site(fake.assets(), "sums")
        try:
            fetch(site[lost][0]["hostedUrl"])
        except urllib.error.HTTPError as error:
            check(error.code == 404, f"the lost file answers {error.code}")
        else:
            raise AssertionError("the fake's CDN served the file it was told to lose")
        check(fetch(site["docs/file-002.txt"][0]["hostedUrl"]) == files["docs/file-002.txt"],
              "the other files are served")
        before = site_ids(fake)

        # A runner without its cache, and one file deleted locally: --checksum must fetch
        # every hosted file, and --delete would remove the deleted file's asset.
        (root / MANIFEST).unlink()
        gone = "photos/file-003.txt"
        (root / gone).unlink()
        # The fake's CDN is on loopback, which hosted-file checks reach only when allowed.
        lines, last = cli.json("sync", str(root), "--folder", "sums", "--checksum", "--delete",
                               "--allow-private-urls", code=1)
        check(statuses(lines, "failed") == [lost], f"the lost file fails: {lines}")
        check(not statuses(lines, "uploaded"), f"nothing is uploaded again: {lines}")
        check(not statuses(lines, "deleted"), f"nothing is deleted: {lines}")
        check(len(statuses(lines, "unchanged")) == 8, f"the rest are unchanged: {lines}")
        check(last["report"]["failed"] == 1, f"totals: {last}")
        check(site_ids(fake) == before, "the site is as it was")

        # The judge can fail: with the lost file left out, verification succeeds and the
        # deleted file's asset goes.
        lines, _ = cli.json("sync", str(root), "--folder", "sums", "--checksum", "--delete",
                            "--exclude", "unfetchable.txt", "--allow-private-urls")
        check(statuses(lines, "deleted") == [gone], f"then the deleted file goes: {lines}")
        check(not statuses(lines, "uploaded"), f"and nothing is uploaded: {lines}")
        del files[gone]
        check(set(on_site(fake.assets(), "sums")) == set(files), "the rest stay")


def unicode_names(work):
    """A file and its folder synced under NFD names (as macOS writes them), then renamed to
    NFC (as Linux and git write them): the same file, so no upload and no delete."""
    nfd_dir, nfd_name = "cre\u0300me", "cafe\u0301-menu\u0308.txt"
    nfc_dir, nfc_name = (unicodedata.normalize("NFC", n) for n in (nfd_dir, nfd_name))
    check((nfd_dir, nfd_name) != (nfc_dir, nfc_name), "the two forms differ")
    with Fake("--rate-limit", "600") as fake:
        cli = Cli(fake, "--rate-limit", "600")
        root = work / "names"
        body = b"soupe du jour\n"
        write_files(root, {f"{nfd_dir}/{nfd_name}": body, "plain.txt": b"plain\n"})
        lines, _ = cli.json("sync", str(root), "--folder", "names")
        check(len(statuses(lines, "uploaded")) == 2, f"first sync: {lines}")
        before = site_ids(fake)
        folders = len(fake.api(f"/sites/{fake.site}/asset_folders")["assetFolders"])

        (root / nfd_dir / nfd_name).rename(root / nfd_dir / nfc_name)
        (root / nfd_dir).rename(root / nfc_dir)
        check(sorted(os.listdir(root / nfc_dir)) == [nfc_name], "the disk holds the NFC name")
        for lost_manifest in (False, True):
            if lost_manifest:
                (root / MANIFEST).unlink()
            lines, _ = cli.json("sync", str(root), "--folder", "names", "--delete")
            check(not statuses(lines, "uploaded") and not statuses(lines, "deleted"),
                  f"manifest lost: {lost_manifest}: no upload, no delete: {lines}")
            check(len(statuses(lines, "unchanged")) == 2, f"both unchanged: {lines}")
        check(site_ids(fake) == before, "the site is as it was")
        now = len(fake.api(f"/sites/{fake.site}/asset_folders")["assetFolders"])
        check(now == folders, f"{now - folders} folders created for the same name")
        # The site keeps the name it was given; compared in NFC, it is the file's.
        site = {unicodedata.normalize("NFC", path): assets
                for path, assets in on_site(fake.assets(), "names").items()}
        check(len(site) == 2 and fetch(site[f"{nfc_dir}/{nfc_name}"][0]["hostedUrl"]) == body,
              f"the site still serves the file: {sorted(site)}")

        # The judge can fail: a name that really differs is a new file, and the old one goes.
        (root / nfc_dir / nfc_name).rename(root / nfc_dir / "cafe-menu.txt")
        lines, _ = cli.json("sync", str(root), "--folder", "names", "--delete")
        check(len(statuses(lines, "uploaded")) == 1 and len(statuses(lines, "deleted")) == 1,
              f"a real rename: 1 upload, 1 delete: {lines}")


def bad_numbers(work):
    """Out-of-range numbers are usage errors (exit 2) that name the option, never a panic."""
    with Fake() as fake:
        for option, value in [("--rate-window", "1e30"), ("--concurrency", "0"),
                              ("--rate-window", "0"), ("--rate-window", "-1"),
                              ("--rate-window", "NaN"), ("--rate-window", "inf"),
                              ("--rate-limit", "0"), ("--concurrency", "100000")]:
            for command in (["folders"], ["sync", str(work), "--dry-run"]):
                done = Cli(fake, f"{option}={value}").run(*command, code=2)
                check("panicked" not in done.stderr, f"{option} {value}: {done.stderr}")
                check(f"invalid value '{value}' for '{option}" in done.stderr
                      and "--help" in done.stderr and not done.stdout,
                      f"{option} {value}: a usage message naming the option: {done.stderr}")
        done = Cli(fake).run("sync", str(work), "--max-delete=-1", code=2)
        check("'--max-delete" in done.stderr and "panicked" not in done.stderr, done.stderr)
        # The judge can fail: the ends of each range are accepted, and work. (A window of a
        # day allows many requests, so that nothing here waits for it.)
        for options in (["--rate-window", "0.001", "--rate-limit", "1", "--concurrency", "256"],
                        ["--rate-window", "86400", "--rate-limit", "1000000",
                         "--concurrency", "1"]):
            Cli(fake, *options).run("folders")


def reader_gone(work):
    """`| head -1` and `| head -0`: the output stops, the run does not. A sync whose reader
    left after one line uploads every file and exits 3 for the refused one; audit and folders
    exit with their own status, and nothing panics."""
    with Fake("--rate-limit", "600") as fake:
        cli = Cli(fake, "--rate-limit", "600", "--concurrency", "2")
        root = work / "head"
        files = write_tree(root, 12)
        (root / "tool.exe").write_bytes(b"MZ")

        def piped(*args, lines):
            process = subprocess.Popen(
                cli.command(*args), env=fake.env(), stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
            )
            first = process.stdout.readline() if lines else b""
            process.stdout.close()
            error = process.stderr.read().decode()
            process.wait(timeout=600)
            check("panicked" not in error, f"{args} | head -{lines}: {error}")
            return process.returncode, first.decode()

        for lines, mode in ((1, ()), (0, ()), (1, ("--json",)), (0, ("--json",))):
            folder = f"head-{lines}{''.join(mode)}"
            code, first = piped("sync", str(root), "--folder", folder, *mode, lines=lines)
            check(code == 3, f"sync | head -{lines} {mode}: exit {code}, not 3")
            exactly_one_each(fake, folder, files)
            check(lines == 0 or first.endswith("\n"), f"a whole first line: {first!r}")
            if lines and mode:
                json.loads(first)
            (root / MANIFEST).unlink()
            for args, code_wanted in ((("audit",), None), (("folders",), 0), (("ls",), 0)):
                wanted = code_wanted
                if wanted is None:
                    wanted = subprocess.run(cli.command(*args, *mode), env=fake.env(),
                                            capture_output=True).returncode
                code, _ = piped(*args, *mode, lines=lines)
                check(code == wanted, f"{args} | head -{lines} {mode}: exit {code}, not {wanted}")


def retargeted(work):
    """A pull of the whole site, then `sync DIR --folder pipe --delete`: refused before any
    change, naming both folders and --retarget; a dry run says what changed."""
    with Fake("--rate-limit", "600") as fake:
        cli = Cli(fake, "--rate-limit", "600", "--allow-private-urls")
        seeded = work / "seeded"
        pipe = write_tree(seeded, 6)
        cli.run("sync", str(seeded), "--folder", "pipe")
        cli.run("upload", str(seeded / "docs" / "file-002.txt"))
        root = work / "pulled"
        cli.run("pull", str(root))
        before = site_ids(fake)
        refused = cli.run("sync", str(root), "--folder", "pipe", "--delete", code=1)
        said = refused.stdout + refused.stderr
        for words in ("the site root", 'folder "pipe"', "--retarget", "nothing was sent"):
            check(words in said, f"the refusal names {words!r}: {said}")
        check(site_ids(fake) == before, "the refusal changes nothing")
        _, last = cli.json("sync", str(root), "--folder", "pipe", "--dry-run")
        check(last["plan"]["retarget"]["requested"]["folder"] == "pipe", f"the plan says so: {last}")
        check(site_ids(fake) == before, "the dry run changes nothing")
        # Synced where it came from, the pulled directory changes nothing.
        lines, _ = cli.json("sync", str(root), "--delete")
        check(not statuses(lines, "uploaded") and not statuses(lines, "deleted"), f"{lines}")
        exactly_one_each(fake, "pipe", pipe)


def what_runs_say(work):
    """A dry run exits as the run would; a hosted file refused for its loopback address is a
    refused download, whose hint names the flag; fonts upload ends with the report line."""
    with Fake("--rate-limit", "600") as fake:
        cli = Cli(fake, "--rate-limit", "600")
        root = work / "say"
        write_files(root, {"a.txt": b"same size A\n", "b.txt": b"same size B\n",
                           "tool.exe": b"MZ"})
        cli.run("sync", str(root), "--dry-run", code=3)
        cli.json("sync", str(root), "--dry-run", code=3)
        cli.run("sync", str(root), code=3)
        (root / MANIFEST).unlink()
        # The fake's CDN is on loopback, which downloads reach only when allowed.
        for args in (("pull", str(work / "say-pull")), ("audit",),
                     ("sync", str(root), "--checksum")):
            done = cli.run(*args, code=1)
            said = done.stdout + done.stderr
            check("cannot download" in said and "upload from" not in said, f"{args}: {said}")
            check("hint: " in said and "--allow-private-urls" in said, f"{args}: {said}")
        (work / "broken.ttf").write_bytes(b"not a font")
        output = cli.run("fonts", "upload", str(work / "broken.ttf"), "--json", code=1).stdout
        lines = [json.loads(line) for line in output.splitlines()]
        check(list(lines[-2]) == ["report"] and lines[-2]["report"]["failed"] == 1,
              f"fonts upload ends with the report line, then its error: {lines}")


def main():
    check((BIN / "webflow-fake").exists() and (BIN / "webflow-assets").exists(),
          f"build the binaries into {BIN} first")
    with tempfile.TemporaryDirectory() as work:
        for scenario in (new_user, killed_runs, linked_folder, unfetchable_hosted, unicode_names,
                         bad_numbers, reader_gone, retargeted, what_runs_say):
            started = time.monotonic()
            scenario(Path(work))
            print(f"outsider: {scenario.__name__} passed in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
