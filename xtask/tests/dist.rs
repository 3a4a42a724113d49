//! `cargo xtask dist --binary-dir`: what each package holds, and packing twice writes the same
//! bytes. (The packages of this machine's real binary are installed and run by
//! tests/packages.py.)
#![cfg(unix)]

use std::collections::BTreeMap;
use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use sha2::Digest;
use xtask::dist::{self, Options, PLATFORMS};

/// Every platform's "binary": for this machine's target a script that says the version, as
/// the packing checks; for the others, bytes that name their target.
fn binaries(dir: &Path, version: &str) {
    let host = dist::host_target().unwrap();
    for platform in PLATFORMS {
        let file = dir.join(platform.target).join(platform.exe());
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        let body = match platform.target == host {
            true => format!("#!/bin/sh\necho 'webflow-assets {version}'\n"),
            false => format!("binary for {}", platform.target),
        };
        std::fs::write(&file, body).unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

/// Every file under `dir`, by relative path, with its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut found = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            for (name, bytes) in files(&path) {
                let sub = path.file_name().unwrap().to_str().unwrap();
                found.insert(format!("{sub}/{name}"), bytes);
            }
        } else {
            let name = path.file_name().unwrap().to_str().unwrap().to_string();
            found.insert(name, std::fs::read(&path).unwrap());
        }
    }
    found
}

/// The entries of a gzipped tar: path, mode and bytes.
fn untar(bytes: &[u8]) -> BTreeMap<String, (u32, Vec<u8>)> {
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(bytes));
    archive
        .entries()
        .unwrap()
        .map(|entry| {
            let mut entry = entry.unwrap();
            let path = entry.path().unwrap().to_str().unwrap().to_string();
            let mode = entry.header().mode().unwrap();
            let mut data = Vec::new();
            entry.read_to_end(&mut data).unwrap();
            (path, (mode, data))
        })
        .collect()
}

/// The archive's README links the pages under `docs/`: each of them is in the archive too.
fn readme_links_resolve(stem: &str, entries: &BTreeMap<String, (u32, Vec<u8>)>) {
    let readme = String::from_utf8(entries[&format!("{stem}/README.md")].1.clone()).unwrap();
    let pages: Vec<&str> = readme
        .split("](")
        .skip(1)
        .filter_map(|rest| rest.split([')', '#']).next())
        .filter(|target| target.starts_with("docs/"))
        .collect();
    assert!(!pages.is_empty(), "the README links its pages under docs/");
    for page in pages {
        let archived = entries.get(&format!("{stem}/{page}"));
        let source = std::fs::read(xtask::workspace_root().join(page)).unwrap();
        assert_eq!(archived.map(|(_, bytes)| bytes), Some(&source), "{page}");
    }
}

fn package_json(tgz: &[u8]) -> serde_json::Value {
    serde_json::from_slice(&untar(tgz)["package/package.json"].1).unwrap()
}

#[test]
fn packs_every_platform_the_same_way_twice() {
    let root = xtask::workspace_root();
    let version = dist::version(&root).unwrap();
    let bins = tempfile::tempdir().unwrap();
    binaries(bins.path(), &version);
    let out = tempfile::tempdir().unwrap();
    let options = Options {
        out: out.path().to_path_buf(),
        binary_dir: Some(bins.path().to_path_buf()),
        binary: None,
        wheel: true,
        allow_missing: false,
    };
    dist::dist(&root, &options).unwrap();
    let first = files(out.path());
    dist::dist(&root, &options).unwrap();
    assert_eq!(
        first,
        files(out.path()),
        "a second run writes the same bytes"
    );
    // 1 main npm package + 7 × (npm package, archive, checksum); no wheel with --binary-dir.
    assert_eq!(first.len(), 1 + 3 * PLATFORMS.len(), "{:?}", first.keys());

    let main = package_json(&first[&format!("npm/webflow-assets-{version}.tgz")]);
    assert_eq!(main["version"], version.as_str());
    assert_eq!(main["bin"]["webflow-assets"], "bin/webflow-assets");
    assert!(main.get("scripts").is_none(), "no install scripts");
    let optional = main["optionalDependencies"].as_object().unwrap();
    assert_eq!(optional.len(), PLATFORMS.len());
    let main_files = untar(&first[&format!("npm/webflow-assets-{version}.tgz")]);
    assert_eq!(main_files["package/bin/webflow-assets"].0, 0o755);

    for platform in PLATFORMS {
        let name = platform.npm_name();
        assert_eq!(optional[&name], version.as_str(), "lockstep: {name}");
        let tgz = &first[&format!("npm/{name}-{version}.tgz")];
        let manifest = package_json(tgz);
        assert_eq!(manifest["name"], name.as_str());
        assert_eq!(manifest["version"], version.as_str());
        assert_eq!(manifest["os"], serde_json::json!([platform.os]));
        assert_eq!(manifest["cpu"], serde_json::json!([platform.cpu]));
        match platform.libc {
            Some(libc) => assert_eq!(manifest["libc"], serde_json::json!([libc])),
            None => assert!(manifest.get("libc").is_none()),
        }
        let (mode, binary) = &untar(tgz)[&format!("package/bin/{}", platform.exe())];
        assert_eq!(*mode, 0o755);
        let expected = std::fs::read(bins.path().join(platform.target).join(platform.exe()));
        assert_eq!(binary, &expected.unwrap());

        let ext = if platform.os == "win32" {
            "zip"
        } else {
            "tar.gz"
        };
        let archive = format!("webflow-assets-{version}-{}.{ext}", platform.target);
        let digest: String = sha2::Sha256::digest(&first[&archive])
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            String::from_utf8(first[&format!("{archive}.sha256")].clone()).unwrap(),
            format!("{digest}  {archive}\n")
        );
        if ext == "tar.gz" {
            let stem = archive.trim_end_matches(".tar.gz");
            let entries = untar(&first[&archive]);
            assert_eq!(entries[&format!("{stem}/webflow-assets")].0, 0o755);
            assert!(entries.contains_key(&format!("{stem}/LICENSE-MIT")));
            readme_links_resolve(stem, &entries);
        } else {
            let zip = zip::ZipArchive::new(std::io::Cursor::new(&first[&archive])).unwrap();
            let names: Vec<String> = zip.file_names().map(|n| n.unwrap().into_owned()).collect();
            assert!(
                names.iter().any(|n| n.ends_with("/webflow-assets.exe")),
                "{names:?}"
            );
        }
    }
}

/// Two platforms other than this machine's, whose binaries a test takes away.
fn two_others() -> Vec<&'static dist::Platform> {
    let host = dist::host_target().unwrap();
    let others: Vec<_> = PLATFORMS.iter().filter(|p| p.target != host).collect();
    vec![others[1], others[4]]
}

#[test]
fn a_missing_platform_binary_fails_and_writes_nothing() {
    let root = xtask::workspace_root();
    let version = dist::version(&root).unwrap();
    let bins = tempfile::tempdir().unwrap();
    binaries(bins.path(), &version);
    let gone = two_others();
    for platform in &gone {
        std::fs::remove_dir_all(bins.path().join(platform.target)).unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let options = Options {
        out: out.path().to_path_buf(),
        binary_dir: Some(bins.path().to_path_buf()),
        binary: None,
        wheel: false,
        allow_missing: false,
    };
    let error = dist::dist(&root, &options).unwrap_err();
    let missing = error
        .downcast_ref::<dist::MissingBinaries>()
        .unwrap_or_else(|| panic!("not MissingBinaries: {error:#}"));
    let expected: Vec<&str> = gone.iter().map(|p| p.target).collect();
    assert_eq!(missing.targets, expected);
    let message = error.to_string();
    for target in &expected {
        assert!(message.contains(target), "{message}");
    }
    assert!(message.contains("--allow-missing"), "{message}");
    assert!(
        files(out.path()).is_empty(),
        "nothing is packed: {:?}",
        files(out.path()).keys()
    );
}

#[test]
fn allow_missing_leaves_the_missing_platforms_out_of_the_main_package() {
    let root = xtask::workspace_root();
    let version = dist::version(&root).unwrap();
    let bins = tempfile::tempdir().unwrap();
    binaries(bins.path(), &version);
    let gone = two_others();
    for platform in &gone {
        std::fs::remove_dir_all(bins.path().join(platform.target)).unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let options = Options {
        out: out.path().to_path_buf(),
        binary_dir: Some(bins.path().to_path_buf()),
        binary: None,
        wheel: false,
        allow_missing: true,
    };
    dist::dist(&root, &options).unwrap();
    let packed = files(out.path());
    let present = PLATFORMS.len() - gone.len();
    assert_eq!(packed.len(), 1 + 3 * present, "{:?}", packed.keys());
    let main = package_json(&packed[&format!("npm/webflow-assets-{version}.tgz")]);
    let optional = main["optionalDependencies"].as_object().unwrap();
    assert_eq!(optional.len(), present, "{optional:?}");
    for platform in PLATFORMS {
        let name = platform.npm_name();
        let tgz = format!("npm/{name}-{version}.tgz");
        let is_gone = gone.contains(&platform);
        assert_eq!(
            optional.contains_key(&name),
            !is_gone,
            "{name} in {optional:?}"
        );
        assert_eq!(packed.contains_key(&tgz), !is_gone, "{tgz}");
    }
}

#[test]
fn the_launcher_names_platform_packages_as_dist_does() {
    // The launcher builds the name from process.platform, process.arch and the C library;
    // every package dist makes must be a name it can build.
    let launcher = std::fs::read_to_string(
        xtask::workspace_root().join("npm/webflow-assets/bin/webflow-assets"),
    )
    .unwrap();
    assert!(launcher.contains("`webflow-assets-${process.platform}-${process.arch}`"));
    assert!(launcher.contains("`${base}-gnu`") && launcher.contains("`${base}-musl`"));
    for platform in PLATFORMS {
        let suffix = match platform.libc {
            Some("glibc") => "-gnu",
            Some(_) => "-musl",
            None => "",
        };
        assert_eq!(
            platform.npm_name(),
            format!("webflow-assets-{}-{}{suffix}", platform.os, platform.cpu)
        );
    }
}

#[test]
fn the_action_runs_its_own_release_by_default() {
    let root = xtask::workspace_root();
    let action = std::fs::read_to_string(root.join("action.yml")).unwrap();
    let version = dist::version(&root).unwrap();
    let default = action
        .split("\n  version:\n")
        .nth(1)
        .and_then(|input| {
            input
                .lines()
                .find_map(|l| l.trim().strip_prefix("default: "))
        })
        .unwrap();
    assert_eq!(
        default,
        format!("{version:?}"),
        "action.yml's version input"
    );
}
