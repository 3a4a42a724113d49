//! `pull` against the fake and its S3: the round trip with `sync`, hostile names, reruns,
//! `--dry-run`, and a pull killed with SIGKILL then rerun.

use crate::common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use common::{command, json_lines, run, text};
use webflow_fake::{FakeHandle, FakeWebflow, Side};

const LOCALE: &str = "65f0aa00bb11cc22dd33ee99";

/// Every file under `dir` that is not hidden, by `/`-separated path, with its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut found = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(at) = stack.pop() {
        for entry in std::fs::read_dir(&at).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().into_string().unwrap();
            if name.starts_with('.') {
                continue;
            }
            if entry.file_type().unwrap().is_dir() {
                stack.push(entry.path());
            } else {
                let relative = entry.path().strip_prefix(dir).unwrap().to_path_buf();
                let relative = relative.to_str().unwrap().replace('\\', "/");
                found.insert(relative, std::fs::read(entry.path()).unwrap());
            }
        }
    }
    found
}

/// How many files (not hidden) `dir` holds, without reading them.
fn count_files(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|entry| {
            let hidden = entry.file_name().to_string_lossy().starts_with('.');
            match (hidden, entry.file_type().map(|t| t.is_dir())) {
                (true, _) => 0,
                (false, Ok(true)) => count_files(&entry.path()),
                (false, _) => 1,
            }
        })
        .sum()
}

/// Requests of one method whose path contains `part`.
fn count(fake: &FakeHandle, method: &str, part: &str) -> usize {
    fake.requests()
        .iter()
        .filter(|r| r.side == Side::Webflow && r.method == method && r.path.contains(part))
        .count()
}

/// Files served from the CDN; none of those requests may carry the token.
fn downloads(fake: &FakeHandle) -> usize {
    let hosted: Vec<_> = fake
        .requests()
        .into_iter()
        .filter(|r| r.side == Side::Hosted)
        .collect();
    assert!(
        hosted.iter().all(|r| r.header("authorization").is_none()),
        "the token never goes to the CDN"
    );
    hosted.len()
}

/// What a sync of `dir` sent that changes the site: creates, patches, deletes.
fn changes(fake: &FakeHandle) -> usize {
    count(fake, "POST", "/assets") + count(fake, "PATCH", "/") + count(fake, "DELETE", "/")
}

#[tokio::test(flavor = "multi_thread")]
async fn pull_then_sync_back_changes_nothing() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let source = tempfile::tempdir().unwrap();
    let src = source.path();
    std::fs::create_dir_all(src.join("brand/logos")).unwrap();
    std::fs::write(src.join("top.txt"), "top\n").unwrap();
    std::fs::write(src.join("brand/a.txt"), "alpha\n").unwrap();
    std::fs::write(src.join("brand/logos/b.csv"), "x,y\n").unwrap();
    std::fs::write(src.join("brand/logos/c.txt"), "c").unwrap();
    std::fs::write(
        src.join("alt-text.csv"),
        "path,alt_text\nbrand/a.txt,\"Alpha, first\"\n",
    )
    .unwrap();
    let synced = run(&fake, &["sync", src.to_str().unwrap(), "--folder", "site"]).await;
    assert_eq!(synced.status.code(), Some(0), "{}", text(&synced));
    let assets = fake.state().uploaded_assets();
    let b = assets.iter().find(|a| a.file_name == "b.csv").unwrap();
    let renamed = run(&fake, &["rename", &b.id, "The B table"]).await;
    assert_eq!(renamed.status.code(), Some(0), "{}", text(&renamed));
    let localized = run(&fake, &["alt", &b.id, "La table B", "--locale", LOCALE]).await;
    assert_eq!(localized.status.code(), Some(0), "{}", text(&localized));

    let target = tempfile::tempdir().unwrap();
    let dir = target.path().join("backup");
    let dir_text = dir.to_str().unwrap();

    fake.log().clear();
    let dry = run(&fake, &["pull", dir_text, "--dry-run", "--json"]).await;
    assert_eq!(dry.status.code(), Some(0), "{}", text(&dry));
    let lines = json_lines(&dry);
    assert_eq!(
        lines
            .iter()
            .filter(|l| l["status"] == "planned_download")
            .count(),
        4
    );
    assert_eq!(lines.last().unwrap()["pull_plan"]["requests"], 2);
    assert!(!dir.exists(), "a dry run writes nothing");
    assert_eq!(downloads(&fake), 0);

    fake.log().clear();
    let pulled = run(&fake, &["pull", dir_text, "--json", "--locales", LOCALE]).await;
    assert_eq!(pulled.status.code(), Some(0), "{}", text(&pulled));
    // One folder listing, one page of assets, one page for the extra locale.
    let api: Vec<_> = fake
        .requests()
        .into_iter()
        .filter(|r| r.side == Side::Webflow)
        .collect();
    assert_eq!(api.len(), 3, "{api:?}");
    assert_eq!(downloads(&fake), 4);
    let expected: BTreeMap<String, Vec<u8>> = [
        ("site/top.txt", "top\n"),
        ("site/brand/a.txt", "alpha\n"),
        ("site/brand/logos/b.csv", "x,y\n"),
        ("site/brand/logos/c.txt", "c"),
    ]
    .into_iter()
    .map(|(p, b)| (p.to_string(), b.as_bytes().to_vec()))
    .collect();
    let mut got = files(&dir);
    let sidecar: serde_json::Value =
        serde_json::from_slice(&got.remove("alt-text.json").unwrap()).unwrap();
    assert_eq!(got, expected);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        let ordinary = dir.join("ordinary");
        std::fs::write(&ordinary, "x").unwrap();
        assert_eq!(
            mode(&dir.join("site/top.txt")),
            mode(&ordinary),
            "not left private"
        );
        std::fs::remove_file(ordinary).unwrap();
    }
    assert_eq!(sidecar["site/brand/a.txt"]["alt_text"], "Alpha, first");
    assert_eq!(
        sidecar["site/brand/logos/b.csv"]["display_name"],
        "The B table"
    );
    assert_eq!(
        sidecar["site/brand/logos/b.csv"]["locales"][LOCALE],
        "La table B"
    );
    assert!(
        sidecar.get("site/top.txt").is_none(),
        "nothing to say of it"
    );

    fake.log().clear();
    let rerun = run(&fake, &["pull", dir_text]).await;
    assert_eq!(rerun.status.code(), Some(0), "{}", text(&rerun));
    assert!(text(&rerun).contains("0 downloaded"), "{}", text(&rerun));
    assert_eq!(downloads(&fake), 0, "a rerun downloads nothing");

    // The round trip: syncing the pulled directory back sends nothing that changes the site.
    fake.log().clear();
    let back = run(&fake, &["sync", dir_text]).await;
    assert_eq!(back.status.code(), Some(0), "{}", text(&back));
    assert_eq!(changes(&fake), 0, "{}", text(&back));
    // A pulled file touched since (its MD5 was never recorded) is still matched by name and
    // size, as with no manifest: touched is not changed.
    let touched = std::fs::File::options()
        .write(true)
        .open(dir.join("site/top.txt"))
        .unwrap();
    touched
        .set_modified(std::time::SystemTime::now() + Duration::from_secs(5))
        .unwrap();
    drop(touched);
    fake.log().clear();
    let back = run(&fake, &["sync", dir_text]).await;
    assert_eq!(back.status.code(), Some(0), "{}", text(&back));
    assert_eq!(changes(&fake), 0, "{}", text(&back));
    fake.log().clear();
    let pruning = run(
        &fake,
        &["sync", dir_text, "--delete", "--dry-run", "--json"],
    )
    .await;
    let plan = json_lines(&pruning).last().unwrap().clone();
    assert_eq!(plan["plan"]["uploads"], 0, "{}", text(&pruning));
    assert_eq!(plan["plan"]["deletes"], 0, "{}", text(&pruning));

    // One folder's subtree, as the directory's top.
    let sub = target.path().join("logos");
    let logos = run(
        &fake,
        &[
            "pull",
            sub.to_str().unwrap(),
            "--folder",
            "site/brand/logos",
        ],
    )
    .await;
    assert_eq!(logos.status.code(), Some(0), "{}", text(&logos));
    assert_eq!(
        files(&sub).keys().cloned().collect::<Vec<_>>(),
        ["alt-text.json", "b.csv", "c.txt"]
    );
    fake.log().clear();
    let back = run(
        &fake,
        &[
            "sync",
            sub.to_str().unwrap(),
            "--folder",
            "site/brand/logos",
        ],
    )
    .await;
    assert_eq!(back.status.code(), Some(0), "{}", text(&back));
    assert_eq!(changes(&fake), 0, "{}", text(&back));
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_names_stay_inside_the_directory() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let site = fake.site_id().to_string();
    let dots = fake.seed_folder(&site, None, "..");
    let con = fake.seed_folder(&site, None, "CON");
    let hostile: Vec<(Option<&str>, &str, &str)> = vec![
        (None, "../../escape.txt", "escape"),
        (None, "/etc/passwd.txt", "absolute"),
        (None, "a/b.txt", "slash"),
        (None, "..\\..\\win.txt", "backslash"),
        (None, "CON.txt", "device"),
        (None, "nul", "bare device"),
        (None, "what?<>.txt", "windows characters"),
        (None, "bell\u{7}.txt", "control"),
        (None, "trailing. ", "trailing"),
        (None, ".hidden.txt", "hidden"),
        (None, "alt-text.json", "not the sidecar"),
        (None, "dup.txt", "first"),
        (None, "dup.txt", "second"),
        (None, "DUP.txt", "third"),
        (None, "cafe\u{301}.txt", "nfd"),
        (Some(&dots), "inside.txt", "in a folder named .."),
        (Some(&con), "..", "dot-dot in CON"),
    ];
    let mut ids = Vec::new();
    for (folder, name, body) in &hostile {
        ids.push(
            fake.seed_asset(&site, *folder, name, body.as_bytes())
                .unwrap(),
        );
    }
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("mirror");
    let dir_text = dir.to_str().unwrap();
    let pulled = run(&fake, &["pull", dir_text, "--json"]).await;
    assert_eq!(pulled.status.code(), Some(0), "{}", text(&pulled));
    let lines = json_lines(&pulled);
    let renamed = lines
        .iter()
        .filter(|l| l["status"] == "downloaded" && !l["renamed_from"].is_null())
        .count();
    assert_eq!(renamed, hostile.len() - 2, "{}", text(&pulled));

    // Nothing outside the directory; every asset is one file inside it, with its bytes.
    let outside: Vec<_> = std::fs::read_dir(parent.path()).unwrap().collect();
    assert_eq!(outside.len(), 1, "only the directory itself");
    let got = files(&dir);
    let mut bodies: Vec<&[u8]> = got.values().map(|bytes| bytes.as_slice()).collect();
    bodies.sort();
    let mut wanted: Vec<&[u8]> = hostile.iter().map(|(_, _, b)| b.as_bytes()).collect();
    wanted.sort();
    assert_eq!(bodies, wanted, "{:?}", got.keys().collect::<Vec<_>>());
    for path in got.keys() {
        for part in path.split('/') {
            assert!(
                !part.starts_with('.') && !part.ends_with(['.', ' ']),
                "{path:?}"
            );
            assert!(
                !part
                    .chars()
                    .any(|c| c.is_control() || "<>:\"|?*\\".contains(c)),
                "{path:?}"
            );
            let stem = part.split('.').next().unwrap().to_ascii_uppercase();
            assert!(!["CON", "NUL"].contains(&stem.as_str()), "{path:?}");
        }
    }
    assert!(
        got.contains_key("café.txt"),
        "names in NFC: {:?}",
        got.keys()
    );
    assert_eq!(got["dup.txt"], b"first");
    assert_eq!(got["dup (2).txt"], b"second");
    assert_eq!(got["DUP (3).txt"], b"third");
    assert!(
        got.contains_key("alt-text (2).json") && !got.contains_key("alt-text.json"),
        "an asset never takes the sidecar's name, and no alt text means no sidecar"
    );

    fake.log().clear();
    let rerun = run(&fake, &["pull", dir_text]).await;
    assert_eq!(rerun.status.code(), Some(0), "{}", text(&rerun));
    assert_eq!(downloads(&fake), 0, "{}", text(&rerun));

    // Sync reads the renamed files as the assets they came from: nothing is created.
    fake.log().clear();
    let back = run(&fake, &["sync", dir_text]).await;
    assert!(matches!(back.status.code(), Some(0 | 3)), "{}", text(&back));
    assert_eq!(changes(&fake), 0, "{}", text(&back));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pull_killed_at_any_instant_leaves_only_whole_files_and_the_rerun_finishes() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let site = fake.site_id().to_string();
    let folders = [
        fake.seed_folder(&site, None, "one"),
        fake.seed_folder(&site, None, "two"),
    ];
    let mut wanted = BTreeMap::new();
    for i in 0..40 {
        let size = if i % 2 == 0 { 1_200_000u32 } else { 300_000 };
        let body: Vec<u8> = (0..size).map(|n| (n * 7 + i) as u8).collect();
        let folder = &folders[i as usize % 2];
        let name = format!("f{i:02}.txt");
        fake.seed_asset(&site, Some(folder), &name, &body).unwrap();
        let dir = if i % 2 == 0 { "one" } else { "two" };
        wanted.insert(format!("{dir}/{name}"), body);
    }
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("mirror");
    let dir_text = dir.to_str().unwrap().to_string();
    let args = ["pull", &dir_text, "--concurrency", "2"];
    // Each run is killed once it has written some files (more each time), mid-download.
    for (round, written) in [1usize, 6, 14, 24].into_iter().enumerate() {
        let mut child = command(&fake, &args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        while child.try_wait().unwrap().is_none() && count_files(&dir) < written {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        let _ = child.kill(); // SIGKILL: no handler runs
        tokio::task::spawn_blocking(move || child.wait().unwrap())
            .await
            .unwrap();
        if dir.exists() {
            let found = files(&dir);
            eprintln!(
                "killed in round {round}: {} of {} files",
                found.len(),
                wanted.len()
            );
            for (path, bytes) in found {
                assert_eq!(Some(&bytes), wanted.get(&path), "{path} is whole or absent");
            }
        }
    }
    let finish = run(&fake, &args).await;
    assert_eq!(finish.status.code(), Some(0), "{}", text(&finish));
    assert_eq!(files(&dir), wanted);
    let mut leftovers = Vec::new();
    for sub in ["", "one", "two"] {
        for entry in std::fs::read_dir(dir.join(sub)).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            if name.ends_with(".part") {
                leftovers.push(name);
            }
        }
    }
    assert!(
        leftovers.is_empty(),
        "the rerun removes what killed runs left: {leftovers:?}"
    );
    fake.log().clear();
    let rerun = run(&fake, &args).await;
    assert!(text(&rerun).contains("0 downloaded"), "{}", text(&rerun));
    assert_eq!(downloads(&fake), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_download_whose_md5_the_manifest_knows_is_checked() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("tree");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("a.txt"), "alpha\n").unwrap();
    std::fs::write(dir.join("b.txt"), "bravo\n").unwrap();
    let dir_text = dir.to_str().unwrap();
    let synced = run(&fake, &["sync", dir_text]).await;
    assert_eq!(synced.status.code(), Some(0), "{}", text(&synced));

    // The manifest knows a.txt's MD5 from its upload; the CDN now serves other bytes of the
    // same size, and the local copy is gone.
    let asset = fake
        .state()
        .uploaded_assets()
        .into_iter()
        .find(|a| a.file_name == "a.txt")
        .unwrap();
    let object = fake
        .storage_dir()
        .join("webflow-fake-assets")
        .join(&asset.key);
    assert!(object.exists(), "{object:?}");
    std::fs::write(&object, "ALPHA\n").unwrap();
    std::fs::remove_file(dir.join("a.txt")).unwrap();
    let pulled = run(&fake, &["pull", dir_text, "--json"]).await;
    assert_eq!(pulled.status.code(), Some(1), "{}", text(&pulled));
    let failed = json_lines(&pulled)
        .into_iter()
        .find(|l| l["file"] == "a.txt")
        .unwrap();
    assert_eq!(failed["status"], "failed", "{failed}");
    assert!(
        !dir.join("a.txt").exists(),
        "a file that fails its check never gets its name"
    );

    std::fs::write(&object, "alpha\n").unwrap();
    let pulled = run(&fake, &["pull", dir_text]).await;
    assert_eq!(pulled.status.code(), Some(0), "{}", text(&pulled));
    assert_eq!(std::fs::read(dir.join("a.txt")).unwrap(), b"alpha\n");
}
