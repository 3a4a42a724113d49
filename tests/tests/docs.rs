//! The README and the pages under `docs/`: every relative link leads somewhere, the README
//! links every page and keeps the commands CI runs, and the scripting contract names every
//! error code the command can print, and the versioning page lists every feature.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use xtask::workspace_root;

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// The pages under `docs/`, by file name.
fn pages() -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = std::fs::read_dir(workspace_root().join("docs"))
        .expect("docs/")
        .map(|entry| entry.expect("a docs/ entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    pages.sort();
    pages
}

/// The Markdown files people read in the repository.
fn markdown_files() -> Vec<PathBuf> {
    let root = workspace_root();
    let mut files: Vec<PathBuf> = [
        "README.md",
        "CHANGELOG.md",
        "BENCHMARKS.md",
        "spec/README.md",
    ]
    .iter()
    .map(|name| root.join(name))
    .collect();
    files.extend(pages());
    for entry in std::fs::read_dir(root.join("crates")).expect("crates/") {
        let readme = entry.expect("a crate").path().join("README.md");
        if readme.is_file() {
            files.push(readme);
        }
    }
    files
}

/// The lines outside fenced code blocks, with their numbers.
fn prose(text: &str) -> Vec<(usize, &str)> {
    let mut fenced = false;
    let mut lines = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        } else if !fenced {
            lines.push((index + 1, line));
        }
    }
    lines
}

/// Every inline link target (`[text](target)`) outside code blocks, with its line number.
fn links(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (number, line) in prose(text) {
        let mut rest = line;
        while let Some(at) = rest.find("](") {
            rest = &rest[at + 2..];
            let end = rest.find([')', ' ']).unwrap_or(rest.len());
            found.push((number, rest[..end].to_string()));
            rest = &rest[end..];
        }
    }
    found
}

/// GitHub's anchor for a heading: lower case, spaces to hyphens, other punctuation dropped;
/// a repeated heading gets `-1`, `-2`...
fn anchors(text: &str) -> BTreeSet<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut anchors = BTreeSet::new();
    for (_, line) in prose(text) {
        let Some(heading) = line.strip_prefix('#') else {
            continue;
        };
        let slug: String = heading
            .trim_start_matches('#')
            .trim()
            .to_lowercase()
            .chars()
            .filter_map(|c| match c {
                ' ' => Some('-'),
                c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
                _ => None,
            })
            .collect();
        let count = seen.entry(slug.clone()).or_default();
        anchors.insert(match *count {
            0 => slug.clone(),
            n => format!("{slug}-{n}"),
        });
        *count += 1;
    }
    anchors
}

#[test]
fn every_relative_link_leads_to_a_file_and_heading() {
    let mut broken = Vec::new();
    for file in markdown_files() {
        let text = read(&file);
        for (line, target) in links(&text) {
            if target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let (path, anchor) = match target.split_once('#') {
                Some((path, anchor)) => (path, Some(anchor)),
                None => (target.as_str(), None),
            };
            let resolved = match path {
                "" => file.clone(),
                path => file.parent().expect("a file's folder").join(path),
            };
            let shown = file.strip_prefix(workspace_root()).unwrap_or(&file);
            let at = format!("{}:{line}: {target}", shown.display());
            if !resolved.exists() {
                broken.push(format!("{at} (no such file)"));
            } else if let Some(anchor) = anchor
                && resolved.extension().is_some_and(|ext| ext == "md")
                && !anchors(&read(&resolved)).contains(anchor)
            {
                broken.push(format!("{at} (no such heading)"));
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn anchors_follow_githubs_rules() {
    let text = "# Sync, and what `--delete` will never do\n## The command's token and site\n\
                ```sh\n# a comment, not a heading\n```\n## Exit codes\n## Exit codes\n";
    let expected: BTreeSet<String> = [
        "sync-and-what---delete-will-never-do",
        "the-commands-token-and-site",
        "exit-codes",
        "exit-codes-1",
    ]
    .map(String::from)
    .into();
    assert_eq!(anchors(text), expected);
    assert_eq!(
        links("[a](docs/a.md#x) and [`b`](b.md)\n```\n[c](c.md)\n```\n"),
        [(1, "docs/a.md#x".to_string()), (1, "b.md".to_string())]
    );
}

#[test]
fn the_readme_links_every_page_under_docs() {
    let readme = read(&workspace_root().join("README.md"));
    let linked: BTreeSet<String> = links(&readme)
        .into_iter()
        .map(|(_, target)| target.split('#').next().unwrap_or_default().to_string())
        .collect();
    let pages = pages();
    assert!(!pages.is_empty(), "docs/ holds the reference pages");
    for page in pages {
        let name = format!(
            "docs/{}",
            page.file_name().expect("a name").to_string_lossy()
        );
        assert!(
            linked.contains(&name),
            "the README's Documentation list does not link {name}"
        );
    }
}

/// CI calls the README's commands: they stay in the README, word for word, and in `.ci/run`.
#[test]
fn the_readme_keeps_the_two_commands_ci_runs() {
    let root = workspace_root();
    let readme = read(&root.join("README.md"));
    let ci = read(&root.join(".ci/run"));
    for (heading, command) in [
        (
            "## Run the main job",
            "cargo run -p webflow-assets --example quickstart",
        ),
        ("## Run the tests", "cargo test --workspace --locked"),
    ] {
        let section = readme
            .split_once(heading)
            .unwrap_or_else(|| panic!("the README has no {heading:?}"))
            .1;
        let section = section.split("\n## ").next().unwrap_or_default();
        assert!(
            section.contains(&format!("```sh\n{command}\n```")),
            "{heading:?} shows `{command}` in a sh block"
        );
        assert!(ci.contains(command), ".ci/run runs `{command}`");
    }
}

/// The README is the first five minutes; reference material goes under `docs/`.
#[test]
fn the_readme_stays_short() {
    let lines = read(&workspace_root().join("README.md")).lines().count();
    assert!(
        lines <= 200,
        "README.md has {lines} lines: move reference material to a page under docs/"
    );
}

/// Every `code` an error line can carry, as the schema of the `--json` lines lists them.
fn error_codes() -> Vec<String> {
    let path = workspace_root().join("crates/webflow-assets-cli/schema/lines.schema.json");
    let schema: serde_json::Value = serde_json::from_str(&read(&path)).expect("the schema");
    let code = &schema["definitions"]["Code"];
    let mut codes = Vec::new();
    let mut pending = vec![code];
    while let Some(node) = pending.pop() {
        for value in node["enum"].as_array().into_iter().flatten() {
            codes.extend(value.as_str().map(String::from));
        }
        codes.extend(node["const"].as_str().map(String::from));
        for key in ["oneOf", "anyOf"] {
            pending.extend(node[key].as_array().into_iter().flatten());
        }
    }
    codes
}

#[test]
fn the_scripting_contract_names_every_error_code() {
    let codes = error_codes();
    assert!(
        codes.len() > 10 && codes.iter().any(|c| c == "missing_token"),
        "the schema's codes were read: {codes:?}"
    );
    let contract = read(&workspace_root().join("docs/scripting.md"));
    let missing: Vec<&String> = codes
        .iter()
        .filter(|code| !contract.contains(&format!("`{code}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/scripting.md does not name these error codes: {missing:?}"
    );
}

/// A published crate's features, each with whether `default` turns it on.
fn features(krate: &str) -> Vec<(String, bool)> {
    let path = workspace_root()
        .join("crates")
        .join(krate)
        .join("Cargo.toml");
    let manifest: toml::Table = read(&path).parse().expect("a Cargo.toml");
    let Some(table) = manifest.get("features").and_then(toml::Value::as_table) else {
        return Vec::new();
    };
    let default: Vec<&str> = table
        .get("default")
        .and_then(toml::Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(toml::Value::as_str)
        .collect();
    table
        .keys()
        .filter(|name| *name != "default")
        .map(|name| (name.clone(), default.contains(&name.as_str())))
        .collect()
}

/// The features table a user chooses from says what each published crate's `Cargo.toml`
/// says: every feature is listed, and on or off by default as `default` has it.
#[test]
fn the_versioning_page_lists_every_feature_and_its_default() {
    let page = read(&workspace_root().join("docs/versioning.md"));
    let mut rows = 0;
    for krate in ["webflow-assets", "webflow-assets-raw", "webflow-assets-cli"] {
        for (feature, on) in features(krate) {
            let state = if on { "on" } else { "off" };
            let row = format!("| `{krate}` | `{feature}` | {state} |");
            assert!(
                page.contains(&row),
                "docs/versioning.md lacks the row starting `{row}`"
            );
            rows += 1;
        }
    }
    let listed = page
        .lines()
        .filter(|line| line.starts_with("| `webflow-"))
        .count();
    assert_eq!(
        listed, rows,
        "docs/versioning.md lists features no Cargo.toml has"
    );
    assert!(rows >= 5, "the features were read: {rows}");
}
