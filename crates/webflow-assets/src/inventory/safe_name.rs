//! Names from a site made safe to write to disk: a pure mapping from an asset's folder names
//! and file name to a path inside the target directory on every common file system, and the
//! same on every run, so a rerun finds what the last one wrote.

use std::collections::{HashMap, HashSet};

use crate::path::{FolderPath, RelPath, nfc};

/// Names Windows reserves for devices, whatever their extension.
const RESERVED: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// The longest name written, in bytes: most file systems take 255, and a suffix may be added.
const MAX_NAME_BYTES: usize = 200;

/// One name made safe: in NFC; no control character, path separator or character Windows
/// refuses (`<>:"|?*`); no trailing dot or space; not `.` or `..`; not hidden (a leading
/// `.`, which a sync would skip); not a Windows device name; at most [`MAX_NAME_BYTES`].
pub(crate) fn segment(name: &str) -> String {
    let mut safe: String = nfc(name)
        .chars()
        .map(|c| match c {
            c if c.is_control() => '_',
            '/' | '\\' | '<' | '>' | ':' | '"' | '|' | '?' | '*' => '_',
            c => c,
        })
        .collect();
    let kept = safe.trim_end_matches(['.', ' ']).len();
    let trailing = safe.len() - kept;
    safe.truncate(kept);
    safe.push_str(&"_".repeat(trailing));
    if safe.starts_with('.') {
        safe.replace_range(..1, "_");
    }
    if safe.trim().is_empty() {
        safe = "_".to_string();
    }
    let stem = safe.split('.').next().unwrap_or_default().trim_end();
    if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(stem)) {
        safe.insert(0, '_');
    }
    shorten(&safe, MAX_NAME_BYTES)
}

/// `name` cut to at most `max` bytes at a character boundary, keeping its extension.
fn shorten(name: &str, max: usize) -> String {
    if name.len() <= max {
        return name.to_string();
    }
    let (stem, ext) = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && ext.len() < 16 => (stem, format!(".{ext}")),
        _ => (name, String::new()),
    };
    let mut cut = max.saturating_sub(ext.len());
    while !stem.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}{ext}", &stem[..cut])
}

/// `name` with ` (n)` before its extension.
fn numbered(name: &str, n: usize) -> String {
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!("{stem} ({n}).{ext}"),
        _ => format!("{name} ({n})"),
    }
}

/// The local paths of a set of assets, each given as (folder relative to the target, file
/// name as on the site), in the order given: earlier assets keep their names, so callers
/// pass them in a stable order (by id). Two names that would be one file (the same name, or
/// names equal but for case, which some file systems do not tell apart) get ` (2)`, ` (3)`...
/// A file never takes the name of a folder beside it.
pub(crate) fn map_all(assets: &[(FolderPath, String)]) -> Vec<RelPath> {
    let mut taken: HashMap<Vec<String>, HashSet<String>> = HashMap::new();
    // The sidecar files a sync reads are not content: no asset takes their names.
    taken.insert(
        Vec::new(),
        crate::inventory::sidecar::FILES
            .iter()
            .map(|f| f.to_string())
            .collect(),
    );
    let dirs: Vec<Vec<String>> = assets
        .iter()
        .map(|(dir, _)| dir.segments().map(segment).collect())
        .collect();
    for dir in &dirs {
        for depth in 0..dir.len() {
            taken
                .entry(dir[..depth].to_vec())
                .or_default()
                .insert(dir[depth].to_lowercase());
        }
    }
    assets
        .iter()
        .zip(dirs)
        .map(|((_, name), dir)| {
            let used = taken.entry(dir.clone()).or_default();
            let base = segment(name);
            let mut candidate = base.clone();
            let mut n = 1;
            while !used.insert(candidate.to_lowercase()) {
                n += 1;
                candidate = numbered(&base, n);
            }
            RelPath::from_names(dir.iter().map(String::as_str).chain([candidate.as_str()]))
                .expect("safe names are never empty, `.` or `..`, and hold no `/`")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_names_become_safe_ones() {
        for (hostile, safe) in [
            ("../../etc/passwd", "_._.._etc_passwd"),
            ("..", "__"),
            (".", "_"),
            ("", "_"),
            ("a/b.png", "a_b.png"),
            ("a\\b.png", "a_b.png"),
            ("CON", "_CON"),
            ("nul.txt", "_nul.txt"),
            ("com1.tar.gz", "_com1.tar.gz"),
            ("report. ", "report__"),
            ("bell\u{7}.png", "bell_.png"),
            ("what?<>:\"|*.png", "what_______.png"),
            (".hidden.png", "_hidden.png"),
            ("cafe\u{301}.png", "café.png"),
            ("plain name.png", "plain name.png"),
        ] {
            assert_eq!(segment(hostile), safe, "{hostile:?}");
        }
        let long = format!("{}.png", "é".repeat(300));
        let cut = segment(&long);
        assert!(
            cut.len() <= MAX_NAME_BYTES && cut.ends_with(".png"),
            "{cut}"
        );
    }

    #[test]
    fn collisions_are_numbered_in_order() {
        let root = FolderPath::root;
        let sub = || FolderPath::parse("sub").unwrap();
        let paths = map_all(&[
            (root(), "a.png".into()),
            (root(), "a.png".into()),
            (root(), "A.PNG".into()),
            (root(), "sub".into()),
            (sub(), "a.png".into()),
            (root(), "a:b".into()),
            (root(), "a_b".into()),
        ]);
        let paths: Vec<&str> = paths.iter().map(RelPath::as_str).collect();
        assert_eq!(
            paths,
            [
                "a.png",
                "a (2).png",
                "A (3).PNG",
                "sub (2)",
                "sub/a.png",
                "a_b",
                "a_b (2)"
            ]
        );
    }
}
