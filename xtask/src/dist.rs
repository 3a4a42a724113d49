//! `cargo xtask dist`: the packages people install without Rust, made from release binaries.
//!
//! For each platform: an npm package holding its binary (`os`, `cpu` and, on Linux, `libc`
//! set, so npm installs only the one that fits) and a release archive with a `.sha256`
//! beside it; once: the main npm package, whose launcher picks the platform package, and,
//! for this machine, the wheel (maturin's `bin` bindings). Every version is the workspace's.
//!
//! The tarballs and archives are reproducible: fixed entry order, times, owners and modes,
//! and a gzip header without a time or name, so packing twice gives the same bytes.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail, ensure};
use serde_json::json;
use sha2::{Digest, Sha256};

/// The name of the command, its crate's binary and the main npm package.
pub const NAME: &str = "webflow-assets";

/// Where the releases are: the platform packages' fallback message names it.
const REPOSITORY: &str = "https://github.com/webflow-assets/webflow-assets";

/// The time every packed file carries: 1985-10-26T08:15:00Z, as `npm pack` uses, so a
/// package's bytes depend on its contents only.
const PACKED_AT: u64 = 499_162_500;

/// A platform with prebuilt binaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Platform {
    /// Rust's target triple.
    pub target: &'static str,
    /// Node's `process.platform`.
    pub os: &'static str,
    /// Node's `process.arch`.
    pub cpu: &'static str,
    /// npm's `libc` value (Linux only).
    pub libc: Option<&'static str>,
    /// For people.
    pub title: &'static str,
}

/// Every platform with a binary, in the order the packages are listed.
pub const PLATFORMS: &[Platform] = &[
    Platform {
        target: "x86_64-unknown-linux-gnu",
        os: "linux",
        cpu: "x64",
        libc: Some("glibc"),
        title: "Linux x64 (glibc)",
    },
    Platform {
        target: "aarch64-unknown-linux-gnu",
        os: "linux",
        cpu: "arm64",
        libc: Some("glibc"),
        title: "Linux arm64 (glibc)",
    },
    Platform {
        target: "x86_64-unknown-linux-musl",
        os: "linux",
        cpu: "x64",
        libc: Some("musl"),
        title: "Linux x64 (musl, static)",
    },
    Platform {
        target: "aarch64-unknown-linux-musl",
        os: "linux",
        cpu: "arm64",
        libc: Some("musl"),
        title: "Linux arm64 (musl, static)",
    },
    Platform {
        target: "x86_64-apple-darwin",
        os: "darwin",
        cpu: "x64",
        libc: None,
        title: "macOS x64",
    },
    Platform {
        target: "aarch64-apple-darwin",
        os: "darwin",
        cpu: "arm64",
        libc: None,
        title: "macOS arm64",
    },
    Platform {
        target: "x86_64-pc-windows-msvc",
        os: "win32",
        cpu: "x64",
        libc: None,
        title: "Windows x64",
    },
];

impl Platform {
    /// The platform of a Rust target, if it has binaries.
    pub fn of_target(target: &str) -> Option<&'static Platform> {
        PLATFORMS.iter().find(|p| p.target == target)
    }

    /// Its npm package: `webflow-assets-<os>-<cpu>`, and `-gnu` or `-musl` on Linux, as the
    /// launcher spells it from `process.platform`, `process.arch` and the C library.
    pub fn npm_name(&self) -> String {
        let libc = match self.libc {
            Some("glibc") => "-gnu",
            Some(_) => "-musl",
            None => "",
        };
        format!("{NAME}-{}-{}{libc}", self.os, self.cpu)
    }

    fn windows(&self) -> bool {
        self.os == "win32"
    }

    /// The binary's file name.
    pub fn exe(&self) -> String {
        match self.windows() {
            true => format!("{NAME}.exe"),
            false => NAME.to_string(),
        }
    }
}

/// What to pack.
#[derive(Debug, Clone)]
pub struct Options {
    /// Where the packages go.
    pub out: PathBuf,
    /// Binaries built elsewhere, as `DIR/<target>/webflow-assets[.exe]`; else this
    /// machine's.
    pub binary_dir: Option<PathBuf>,
    /// This machine's binary, already built; else `cargo build --release` makes it.
    pub binary: Option<PathBuf>,
    /// Whether to make this machine's wheel (with maturin).
    pub wheel: bool,
    /// With `binary_dir`: pack the platforms whose binary is there and leave the others out
    /// of the main package's `optionalDependencies`, instead of failing with
    /// [`MissingBinaries`].
    pub allow_missing: bool,
}

/// `--binary-dir` lacks some platforms' binaries. Packing anyway would publish a main npm
/// package depending on platform packages that do not exist, so it fails unless
/// [`Options::allow_missing`] says to leave them out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingBinaries {
    /// The directory that was read.
    pub dir: PathBuf,
    /// The targets without a binary there, in [`PLATFORMS`] order.
    pub targets: Vec<&'static str>,
}

impl std::fmt::Display for MissingBinaries {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} has no binary for {} (expected DIR/<target>/{NAME}[.exe]); pass \
             --allow-missing to pack the others and leave these out of the main package",
            self.dir.display(),
            self.targets.join(", ")
        )
    }
}

impl std::error::Error for MissingBinaries {}

/// One file of a package or an archive.
struct Entry {
    path: String,
    executable: bool,
    data: Vec<u8>,
}

impl Entry {
    fn file(path: impl Into<String>, data: impl Into<Vec<u8>>) -> Self {
        Self {
            path: path.into(),
            executable: false,
            data: data.into(),
        }
    }

    fn executable(path: impl Into<String>, data: impl Into<Vec<u8>>) -> Self {
        Self {
            executable: true,
            ..Self::file(path, data)
        }
    }
}

/// The workspace's version, which every package takes.
pub fn version(root: &Path) -> Result<String> {
    let text = std::fs::read_to_string(root.join("Cargo.toml"))?;
    let manifest: toml::Table = toml::from_str(&text)?;
    manifest
        .get("workspace")
        .and_then(|w| w.get("package"))
        .and_then(|p| p.get("version"))
        .and_then(|v| v.as_str())
        .map(str::to_string)
        .context("Cargo.toml has no workspace.package.version")
}

/// This machine's Rust target.
pub fn host_target() -> Result<String> {
    let output = Command::new("rustc").arg("-vV").output()?;
    ensure!(output.status.success(), "`rustc -vV` failed");
    String::from_utf8(output.stdout)?
        .lines()
        .find_map(|line| line.strip_prefix("host: "))
        .map(str::to_string)
        .context("`rustc -vV` names no host")
}

/// Packs as `options` say; returns the files written.
pub fn dist(root: &Path, options: &Options) -> Result<Vec<PathBuf>> {
    let version = version(root)?;
    let mut binaries = Vec::new();
    // The platform packages the main package depends on: every one, except those left out
    // with --binary-dir and --allow-missing. (This machine's packages alone are for testing:
    // the main package still names every platform, as the published one does.)
    let mut listed: Vec<&Platform> = PLATFORMS.iter().collect();
    match &options.binary_dir {
        Some(dir) => {
            let mut missing = Vec::new();
            for platform in PLATFORMS {
                let file = dir.join(platform.target).join(platform.exe());
                match file.is_file() {
                    true => binaries.push((platform, file)),
                    false => missing.push(platform.target),
                }
            }
            ensure!(
                !binaries.is_empty(),
                "{} holds no binary: expected DIR/<target>/{NAME}[.exe]",
                dir.display()
            );
            if !missing.is_empty() {
                let error = MissingBinaries {
                    dir: dir.clone(),
                    targets: missing,
                };
                if !options.allow_missing {
                    return Err(error.into());
                }
                eprintln!(
                    "warning: no binary for {}: left out of the main package",
                    error.targets.join(", ")
                );
                listed.retain(|p| !error.targets.contains(&p.target));
            }
        }
        None => {
            let host = host_target()?;
            let Some(platform) = Platform::of_target(&host) else {
                bail!("{host} is not a platform with packages");
            };
            let binary = match &options.binary {
                Some(binary) => binary.clone(),
                None => build_release(root, platform)?,
            };
            binaries.push((platform, binary));
        }
    }
    let host = host_target().ok();
    std::fs::create_dir_all(options.out.join("npm"))?;
    let mut written = vec![write_tgz(
        &options
            .out
            .join("npm")
            .join(format!("{NAME}-{version}.tgz")),
        &npm_main(root, &version, &listed)?,
    )?];
    for (platform, binary) in binaries {
        let bytes =
            std::fs::read(&binary).with_context(|| format!("reading {}", binary.display()))?;
        if host.as_deref() == Some(platform.target) {
            check_version(&binary, &version)?;
        }
        let npm = options
            .out
            .join("npm")
            .join(format!("{}-{version}.tgz", platform.npm_name()));
        written.push(write_tgz(
            &npm,
            &npm_platform(root, platform, &version, &bytes)?,
        )?);
        let stem = format!("{NAME}-{version}-{}", platform.target);
        let entries = archive(root, platform, &stem, &bytes)?;
        let archive = match platform.windows() {
            true => write_zip(&options.out.join(format!("{stem}.zip")), &entries)?,
            false => write_tgz(&options.out.join(format!("{stem}.tar.gz")), &entries)?,
        };
        written.push(write_sha256(&archive)?);
        written.push(archive);
    }
    if options.wheel && options.binary_dir.is_none() {
        written.push(wheel(root, &options.out)?);
    }
    Ok(written)
}

/// `cargo build --release` of the command, as `cargo install` builds it.
fn build_release(root: &Path, platform: &Platform) -> Result<PathBuf> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args(["build", "--release", "--locked", "-p", "webflow-assets-cli"])
        .current_dir(root)
        .status()?;
    ensure!(status.success(), "the release build failed");
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    Ok(target.join("release").join(platform.exe()))
}

/// The binary must say the version it is packed as.
fn check_version(binary: &Path, version: &str) -> Result<()> {
    let output = Command::new(binary)
        .arg("--version")
        .output()
        .with_context(|| format!("running {}", binary.display()))?;
    let said = String::from_utf8_lossy(&output.stdout);
    ensure!(
        said.trim() == format!("{NAME} {version}"),
        "{} says {:?}, but the packages are version {version}",
        binary.display(),
        said.trim()
    );
    Ok(())
}

fn read(root: &Path, path: &str) -> Result<Vec<u8>> {
    std::fs::read(root.join(path)).with_context(|| format!("reading {path}"))
}

/// The licence texts every package and archive carries.
fn licences(root: &Path, prefix: &str) -> Result<Vec<Entry>> {
    ["LICENSE-MIT", "LICENSE-APACHE"]
        .into_iter()
        .map(|name| Ok(Entry::file(format!("{prefix}{name}"), read(root, name)?)))
        .collect()
}

fn package_json(value: serde_json::Value) -> Result<Vec<u8>> {
    Ok((serde_json::to_string_pretty(&value)? + "\n").into_bytes())
}

/// The main npm package: the launcher, and the `platforms`' packages as optional
/// dependencies of the same version.
fn npm_main(root: &Path, version: &str, platforms: &[&Platform]) -> Result<Vec<Entry>> {
    let optional: serde_json::Map<String, serde_json::Value> = platforms
        .iter()
        .map(|p| (p.npm_name(), json!(version)))
        .collect();
    let manifest = json!({
        "name": NAME,
        "version": version,
        "description": "Upload, sync, list and remove Webflow assets from the command line.",
        "keywords": ["webflow", "assets", "upload", "sync", "cli"],
        "license": "MIT OR Apache-2.0",
        "repository": { "type": "git", "url": format!("git+{REPOSITORY}.git") },
        "homepage": REPOSITORY,
        "bin": { NAME: format!("bin/{NAME}") },
        "files": ["bin", "README.md", "LICENSE-MIT", "LICENSE-APACHE"],
        "engines": { "node": ">=18" },
        "optionalDependencies": optional,
    });
    let mut entries = vec![
        Entry::file("package/package.json", package_json(manifest)?),
        Entry::file(
            "package/README.md",
            read(root, "crates/webflow-assets-cli/README.md")?,
        ),
        Entry::executable(
            format!("package/bin/{NAME}"),
            read(root, &format!("npm/{NAME}/bin/{NAME}"))?,
        ),
    ];
    entries.extend(licences(root, "package/")?);
    Ok(entries)
}

/// One platform's npm package: its binary, for npm to install where `os`, `cpu` and
/// `libc` fit.
fn npm_platform(
    root: &Path,
    platform: &Platform,
    version: &str,
    binary: &[u8],
) -> Result<Vec<Entry>> {
    let mut manifest = json!({
        "name": platform.npm_name(),
        "version": version,
        "description": format!("The {NAME} binary for {}.", platform.title),
        "license": "MIT OR Apache-2.0",
        "repository": { "type": "git", "url": format!("git+{REPOSITORY}.git") },
        "homepage": REPOSITORY,
        "files": ["bin", "README.md", "LICENSE-MIT", "LICENSE-APACHE"],
        "os": [platform.os],
        "cpu": [platform.cpu],
        "preferUnplugged": true,
    });
    if let Some(libc) = platform.libc {
        manifest["libc"] = json!([libc]);
    }
    let readme = format!(
        "# {}\n\nThe `{NAME}` binary for {}. Install [`{NAME}`](https://www.npmjs.com/package/{NAME}) \
         instead: it depends on this package where it fits and runs the binary.\n",
        platform.npm_name(),
        platform.title
    );
    let mut entries = vec![
        Entry::file("package/package.json", package_json(manifest)?),
        Entry::file("package/README.md", readme),
        Entry::executable(format!("package/bin/{}", platform.exe()), binary),
    ];
    entries.extend(licences(root, "package/")?);
    Ok(entries)
}

/// A release archive: one directory with the binary, the README, the pages under `docs/` it
/// links to, and the licences.
fn archive(root: &Path, platform: &Platform, stem: &str, binary: &[u8]) -> Result<Vec<Entry>> {
    let mut entries = vec![
        Entry::executable(format!("{stem}/{}", platform.exe()), binary),
        Entry::file(format!("{stem}/README.md"), read(root, "README.md")?),
    ];
    entries.extend(docs(root, &format!("{stem}/"))?);
    entries.extend(licences(root, &format!("{stem}/"))?);
    Ok(entries)
}

/// The Markdown pages under `docs/`, by name so the archive is reproducible: the README holds
/// the first steps and links these for the rest, so an archive without them has dead links.
fn docs(root: &Path, prefix: &str) -> Result<Vec<Entry>> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(root.join("docs")).context("reading docs/")? {
        let name = entry?.file_name();
        let name = name
            .to_str()
            .with_context(|| format!("a page name that is not UTF-8: {name:?}"))?;
        if name.ends_with(".md") {
            names.push(name.to_string());
        }
    }
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let path = format!("docs/{name}");
            Ok(Entry::file(format!("{prefix}{path}"), read(root, &path)?))
        })
        .collect()
}

/// Writes `bytes` to `path` through a temporary file beside it, so a reader never sees half
/// a package.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<PathBuf> {
    let temporary = path.with_extension("partial");
    std::fs::write(&temporary, bytes)?;
    std::fs::rename(&temporary, path)?;
    Ok(path.to_path_buf())
}

/// A gzipped tar of `entries`, reproducible.
fn write_tgz(path: &Path, entries: &[Entry]) -> Result<PathBuf> {
    let gzip = flate2::GzBuilder::new()
        .mtime(0)
        .operating_system(255)
        .write(Vec::new(), flate2::Compression::default());
    let mut tar = tar::Builder::new(gzip);
    tar.mode(tar::HeaderMode::Deterministic);
    for entry in entries {
        let mut header = tar::Header::new_ustar();
        header.set_size(entry.data.len() as u64);
        header.set_mode(if entry.executable { 0o755 } else { 0o644 });
        header.set_mtime(PACKED_AT);
        header.set_uid(0);
        header.set_gid(0);
        header.set_entry_type(tar::EntryType::Regular);
        tar.append_data(&mut header, &entry.path, entry.data.as_slice())?;
    }
    let bytes = tar.into_inner()?.finish()?;
    write_atomically(path, &bytes)
}

/// A zip of `entries` (Windows' archive), reproducible.
fn write_zip(path: &Path, entries: &[Entry]) -> Result<PathBuf> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let time = zip::DateTime::from_date_and_time(1985, 10, 26, 8, 15, 0)?;
    for entry in entries {
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(time)
            .unix_permissions(if entry.executable { 0o755 } else { 0o644 });
        zip.start_file(entry.path.as_str(), options)?;
        zip.write_all(&entry.data)?;
    }
    let bytes = zip.finish()?.into_inner();
    write_atomically(path, &bytes)
}

/// `<archive>.sha256`, in the form `sha256sum --check` reads.
fn write_sha256(archive: &Path) -> Result<PathBuf> {
    let digest = Sha256::digest(std::fs::read(archive)?);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    let name = archive
        .file_name()
        .and_then(|n| n.to_str())
        .context("an archive name")?;
    let mut path = archive.as_os_str().to_owned();
    path.push(".sha256");
    write_atomically(Path::new(&path), format!("{hex}  {name}\n").as_bytes())
}

/// This machine's wheel, with maturin (`pip install maturin`). Its cargo build is the
/// release build's, so with that built it only links again if anything.
fn wheel(root: &Path, out: &Path) -> Result<PathBuf> {
    let wheels = out.join("wheels.partial");
    let _ = std::fs::remove_dir_all(&wheels);
    let status = Command::new("maturin")
        .args(["build", "--release", "--locked", "--quiet", "--out"])
        .arg(&wheels)
        .current_dir(root)
        .status()
        .context("running maturin (install it with `pip install maturin`, or pass --no-wheel)")?;
    ensure!(status.success(), "maturin could not build the wheel");
    let mut built: Vec<PathBuf> = std::fs::read_dir(&wheels)?
        .map(|e| Ok(e?.path()))
        .collect::<Result<_>>()?;
    ensure!(built.len() == 1, "maturin wrote {built:?}, not one wheel");
    let wheel = built.remove(0);
    let name = wheel.file_name().context("a wheel's name")?;
    let path = out.join(name);
    let bytes = with_fixed_times(&std::fs::read(&wheel)?)?;
    write_atomically(&path, &bytes)?;
    std::fs::remove_dir_all(&wheels)?;
    Ok(path)
}

/// A zip with every entry's time set to [`PACKED_AT`], in the same order with the same modes.
/// maturin stamps a wheel's files with the build's time unless `SOURCE_DATE_EPOCH` is set, and
/// setting that makes cargo build aws-lc-sys (whose build script watches it) and so the whole
/// release binary again; a wheel's RECORD holds hashes of contents, never times.
fn with_fixed_times(zip_bytes: &[u8]) -> Result<Vec<u8>> {
    let mut input = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes))?;
    let mut output = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let time = zip::DateTime::from_date_and_time(1985, 10, 26, 8, 15, 0)?;
    for i in 0..input.len() {
        let mut file = input.by_index(i)?;
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(time)
            .unix_permissions(file.unix_mode().unwrap_or(0o644) & 0o777);
        let name = file.name()?.into_owned();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut file, &mut data)?;
        output.start_file(name, options)?;
        output.write_all(&data)?;
    }
    Ok(output.finish()?.into_inner())
}
