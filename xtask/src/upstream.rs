//! What Webflow's full description offers that this workspace does not track: the upstream
//! operations outside `spec/selection.toml`, which of them are new since the last import, and
//! the fingerprint that remembers which operations an import saw.
//!
//! An operation is *tracked* when the selection keeps it or another file in `spec/` describes it
//! (`POST /sites/{site_id}/assets` comes from the vendored `upload-asset.yaml`). An untracked
//! operation is *related* when its first tag is a tracked one's first tag, or it sits on the same path up to
//! its last literal segment (`DELETE /asset_folders/{asset_folder_id}` beside
//! `GET /asset_folders/{asset_folder_id}`): those are listed, each with the `selection.toml`
//! line that would keep it; the others are counted per tag.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Write};

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::selection::{METHODS, Selection};

/// One operation, by lowercase method and path template as Webflow writes it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OperationKey {
    /// Lowercase HTTP method, as in `selection.toml`.
    pub method: String,
    /// Path template, e.g. `/asset_folders/{asset_folder_id}`.
    pub path: String,
}

impl OperationKey {
    /// The key of `method path`; the method is lowercased.
    pub fn new(method: &str, path: &str) -> Self {
        Self {
            method: method.to_ascii_lowercase(),
            path: path.to_string(),
        }
    }

    /// The path up to its last literal segment: `/asset_folders/{asset_folder_id}` gives
    /// `/asset_folders`, `/sites/{site_id}/assets` stays itself.
    pub fn path_prefix(&self) -> &str {
        let mut prefix = self.path.as_str();
        while let Some((head, last)) = prefix.rsplit_once('/') {
            if !(last.starts_with('{') && last.ends_with('}')) {
                break;
            }
            prefix = head;
        }
        prefix
    }

    /// This operation's entry in the fingerprint: the first 32 bits of the sha256 of
    /// `METHOD /path`.
    fn short_hash(&self) -> u32 {
        let digest = Sha256::digest(self.to_string().as_bytes());
        u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]])
    }
}

impl fmt::Display for OperationKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method.to_ascii_uppercase(), self.path)
    }
}

/// One operation of the upstream description, with what the report shows of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpstreamOperation {
    /// Method and path.
    pub key: OperationKey,
    /// Its `summary`, if it has one.
    pub summary: Option<String>,
    /// Its tags, in the description's order (empty when it has none).
    pub tags: Vec<String>,
}

impl UpstreamOperation {
    /// The tag it is reported under: its first one.
    pub fn group(&self) -> &str {
        self.tags.first().map_or(UNTAGGED, String::as_str)
    }
}

/// The group of operations without a tag.
pub const UNTAGGED: &str = "(untagged)";

/// Every operation of a description, sorted by path then method.
pub fn operations(doc: &Value) -> Vec<UpstreamOperation> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            out.push(UpstreamOperation {
                key: OperationKey::new(method, path),
                summary: op["summary"].as_str().map(|s| s.trim().to_string()),
                tags: tag_names(&op["tags"]),
            });
        }
    }
    out.sort_by(|a, b| (&a.key.path, &a.key.method).cmp(&(&b.key.path, &b.key.method)));
    out
}

/// An operation's tag names, flattened: Webflow's reference pages nest them in lists.
fn tag_names(tags: &Value) -> Vec<String> {
    match tags {
        Value::String(name) => vec![name.clone()],
        Value::Array(items) => items.iter().flat_map(tag_names).collect(),
        _ => Vec::new(),
    }
}

/// The operations an import saw upstream, one short hash each: enough to tell which operations
/// of the next description are new, at a few bytes per operation. Two operations sharing a hash
/// (about one chance in ten thousand for 1,000 operations) would make the second look seen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fingerprint(BTreeSet<u32>);

const FINGERPRINT_LINE: &str = "# Upstream operations seen: ";
const FINGERPRINT_LEGEND: &str =
    " (the first 8 hex digits of the sha256 of each \"METHOD /path\"):";
const HASHES_PER_LINE: usize = 8;

impl Fingerprint {
    /// The fingerprint of these operations.
    pub fn of<'a>(keys: impl IntoIterator<Item = &'a OperationKey>) -> Self {
        Self(keys.into_iter().map(OperationKey::short_hash).collect())
    }

    /// Whether `key` was among the operations seen.
    pub fn contains(&self, key: &OperationKey) -> bool {
        self.0.contains(&key.short_hash())
    }

    /// How many distinct hashes it holds.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The comment lines that record it in a trimmed file's header.
    pub fn header(&self) -> String {
        let mut out = format!("{FINGERPRINT_LINE}{}{FINGERPRINT_LEGEND}\n", self.0.len());
        let hashes: Vec<String> = self.0.iter().map(|h| format!("{h:08x}")).collect();
        for line in hashes.chunks(HASHES_PER_LINE) {
            let _ = writeln!(out, "#   {}", line.join(" "));
        }
        out
    }

    /// The fingerprint recorded in a trimmed file's header, if the file has one and it is whole.
    pub fn read(text: &str) -> Option<Self> {
        let mut lines = text.lines().take_while(|l| l.starts_with('#'));
        let count: usize = lines
            .by_ref()
            .find_map(|l| l.strip_prefix(FINGERPRINT_LINE))?
            .strip_suffix(FINGERPRINT_LEGEND)?
            .parse()
            .ok()?;
        let mut hashes = BTreeSet::new();
        for line in lines.take(count.div_ceil(HASHES_PER_LINE)) {
            for word in line.strip_prefix("#   ")?.split(' ') {
                if word.len() != 8 {
                    return None;
                }
                hashes.insert(u32::from_str_radix(word, 16).ok()?);
            }
        }
        (hashes.len() == count).then_some(Self(hashes))
    }
}

/// Whether an untracked operation appeared since the last import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Novelty {
    /// Not in the previous import's fingerprint.
    New,
    /// The previous import recorded no fingerprint, so it cannot be told.
    Unknown,
    /// Seen by the previous import.
    Seen,
}

/// Why an untracked operation is listed rather than counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// Its first tag is the first tag of a tracked operation.
    Tag,
    /// It has no tracked tag, but the path prefix of a tracked operation.
    PathPrefix,
}

/// The `selection.toml` line that keeps an operation: its path with the methods already kept
/// on it and this one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectionLine {
    /// The path, the line's key.
    pub path: String,
    /// The methods, those already selected first.
    pub methods: Vec<String>,
    /// Whether the selection already has a line for this path, which this one replaces (a TOML
    /// table cannot name a key twice).
    pub replaces: bool,
}

impl SelectionLine {
    fn keeping(selection: &Selection, key: &OperationKey) -> Self {
        let existing = selection.paths.get(&key.path);
        let mut methods = existing.cloned().unwrap_or_default();
        if !methods.contains(&key.method) {
            methods.push(key.method.clone());
        }
        Self {
            path: key.path.clone(),
            methods,
            replaces: existing.is_some(),
        }
    }
}

impl fmt::Display for SelectionLine {
    /// The line as TOML, keys and strings quoted and escaped by the `toml` crate.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let key = toml::Value::String(self.path.clone());
        let methods = toml::Value::Array(
            self.methods
                .iter()
                .map(|m| toml::Value::String(m.clone()))
                .collect(),
        );
        write!(f, "{key} = {methods}")
    }
}

/// An untracked operation the report lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The operation.
    pub operation: UpstreamOperation,
    /// New since the last import, or not.
    pub novelty: Novelty,
    /// Why it is listed.
    pub relation: Relation,
    /// The line that would keep it.
    pub line: SelectionLine,
}

impl Candidate {
    /// Whether `--strict` stops on it: it is related and new, or may be (no fingerprint).
    pub fn fails_strict(&self) -> bool {
        self.novelty != Novelty::Seen
    }
}

/// The untracked operations of one tag.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TagGroup {
    /// Related operations, new ones first.
    pub listed: Vec<Candidate>,
    /// How many unrelated operations it has.
    pub counted: usize,
    /// How many of those are new.
    pub counted_new: usize,
}

/// Everything upstream outside the tracked operations.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Untracked {
    /// By tag (an operation's first one).
    pub groups: BTreeMap<String, TagGroup>,
    /// Whether the previous import recorded a fingerprint to compare with.
    pub had_fingerprint: bool,
    /// How many operations the description has in all.
    pub upstream_total: usize,
}

/// Sorts the upstream operations outside `tracked` into listed and counted, comparing with the
/// previous import's fingerprint (`None` when it recorded none).
pub fn untracked(
    upstream: &[UpstreamOperation],
    tracked: &BTreeSet<OperationKey>,
    selection: &Selection,
    previous: Option<&Fingerprint>,
) -> Untracked {
    // First tags only: Webflow files most operations under "Sites" as well (collections,
    // comments, custom code), so any tag would list nearly the whole description.
    let tracked_tags: BTreeSet<&str> = upstream
        .iter()
        .filter(|op| tracked.contains(&op.key))
        .map(UpstreamOperation::group)
        .collect();
    let tracked_prefixes: BTreeSet<&str> = tracked.iter().map(OperationKey::path_prefix).collect();
    let mut groups: BTreeMap<String, TagGroup> = BTreeMap::new();
    for op in upstream.iter().filter(|op| !tracked.contains(&op.key)) {
        let novelty = match previous {
            None => Novelty::Unknown,
            Some(seen) if seen.contains(&op.key) => Novelty::Seen,
            Some(_) => Novelty::New,
        };
        let relation = if tracked_tags.contains(op.group()) {
            Some(Relation::Tag)
        } else if tracked_prefixes.contains(op.key.path_prefix()) {
            Some(Relation::PathPrefix)
        } else {
            None
        };
        let group = groups.entry(op.group().to_string()).or_default();
        match relation {
            Some(relation) => group.listed.push(Candidate {
                operation: op.clone(),
                novelty,
                relation,
                line: SelectionLine::keeping(selection, &op.key),
            }),
            None => {
                group.counted += 1;
                group.counted_new += usize::from(novelty == Novelty::New);
            }
        }
    }
    for group in groups.values_mut() {
        group.listed.sort_by_key(|c| c.novelty);
    }
    Untracked {
        groups,
        had_fingerprint: previous.is_some(),
        upstream_total: upstream.len(),
    }
}

impl Untracked {
    /// Every listed operation.
    pub fn listed(&self) -> impl Iterator<Item = &Candidate> {
        self.groups.values().flat_map(|g| &g.listed)
    }

    /// The listed operations new since the last import.
    pub fn new_listed(&self) -> impl Iterator<Item = &Candidate> {
        self.listed().filter(|c| c.novelty == Novelty::New)
    }

    /// How many untracked operations are new since the last import, listed or counted.
    pub fn new_count(&self) -> usize {
        self.new_listed().count() + self.groups.values().map(|g| g.counted_new).sum::<usize>()
    }

    /// The operations `--strict` stops on: listed ones that are new, or may be.
    pub fn strict_failures(&self) -> Vec<&Candidate> {
        self.listed().filter(|c| c.fails_strict()).collect()
    }

    /// `--strict`: an error naming each listed operation that is new (or may be, when the
    /// previous import recorded no fingerprint) and left out of the selection.
    pub fn check_strict(&self) -> Result<(), StrictError> {
        let left_out: Vec<OperationKey> = self
            .strict_failures()
            .into_iter()
            .map(|c| c.operation.key.clone())
            .collect();
        if left_out.is_empty() {
            Ok(())
        } else {
            Err(StrictError {
                left_out,
                had_fingerprint: self.had_fingerprint,
            })
        }
    }

    /// The report's section on untracked operations.
    pub fn markdown(&self) -> String {
        let mut out = String::from("### Upstream operations not in spec/selection.toml\n\n");
        let _ = writeln!(out, "{}\n", self.summary());
        let (listed, counted): (Vec<_>, Vec<_>) = self
            .groups
            .iter()
            .partition(|(_, group)| !group.listed.is_empty());
        let mut listed = listed;
        listed.sort_by_key(|(tag, group)| {
            (
                !group.listed.iter().any(|c| c.novelty == Novelty::New),
                *tag,
            )
        });
        for (tag, group) in listed {
            let _ = writeln!(out, "#### {tag}\n");
            for candidate in &group.listed {
                let _ = writeln!(out, "{}", entry(candidate));
            }
            if group.counted > 0 {
                let _ = writeln!(
                    out,
                    "- and {} other operation{} under no tracked tag or path{}",
                    group.counted,
                    plural(group.counted),
                    new_suffix(group.counted_new)
                );
            }
            out.push('\n');
        }
        if !counted.is_empty() {
            let counts: Vec<String> = counted
                .iter()
                .map(|(tag, group)| {
                    format!("{tag} {}{}", group.counted, new_suffix(group.counted_new))
                })
                .collect();
            let _ = writeln!(
                out,
                "Counted, not listed (no tracked tag or path): {}.\n",
                counts.join(", ")
            );
        }
        out.truncate(out.trim_end().len());
        out.push('\n');
        out
    }

    fn summary(&self) -> String {
        let listed = self.listed().count();
        let untracked = listed + self.groups.values().map(|g| g.counted).sum::<usize>();
        if untracked == 0 {
            return format!(
                "All {} operations of the description are tracked.",
                self.upstream_total
            );
        }
        let mut out = format!(
            "{untracked} of the description's {} operations {} not tracked.",
            self.upstream_total,
            if untracked == 1 { "is" } else { "are" }
        );
        if !self.had_fingerprint {
            out.push_str(
                " The previous import recorded no fingerprint of the operations it saw, so none \
                 is marked new (this import records one), and `--strict` stops on every listed \
                 operation.",
            );
        } else {
            match self.new_count() {
                0 => out.push_str(" Nothing is new since the last import."),
                1 => out.push_str(" 1 operation is new since the last import."),
                n => {
                    let _ = write!(out, " {n} operations are new since the last import.");
                }
            }
        }
        if listed > 0 {
            out.push_str(
                " Listed: those under a tracked tag or path, new ones first, each with the line \
                 that keeps it (then name it in `xtask/src/normalise/names.rs` and import again).",
            );
        }
        out
    }
}

fn entry(c: &Candidate) -> String {
    let marker = match c.novelty {
        Novelty::New => "**new** ",
        Novelty::Unknown | Novelty::Seen => "",
    };
    let summary = c.operation.summary.as_deref().unwrap_or("(no summary)");
    let place = match c.relation {
        Relation::Tag => String::new(),
        Relation::PathPrefix => format!(" (beside tracked `{}`)", c.operation.key.path_prefix()),
    };
    let verb = if c.line.replaces {
        "replace its path's line in spec/selection.toml with"
    } else {
        "add to spec/selection.toml"
    };
    format!(
        "- {marker}`{}`: {summary}{place}; {verb}: `{}`",
        c.operation.key, c.line
    )
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn new_suffix(new: usize) -> String {
    match new {
        0 => String::new(),
        n => format!(" ({n} new)"),
    }
}

/// `--strict` found operations under tracked tags or paths that the selection leaves out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StrictError {
    /// Those operations.
    pub left_out: Vec<OperationKey>,
    /// Whether they are known to be new (else the previous import recorded no fingerprint).
    pub had_fingerprint: bool,
}

impl fmt::Display for StrictError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<String> = self.left_out.iter().map(ToString::to_string).collect();
        let one = names.len() == 1;
        let (is, it) = if one { ("is", "it") } else { ("are", "them") };
        write!(
            f,
            "--strict: {}, under a tracked tag or path, {is} not in spec/selection.toml",
            names.join(", ")
        )?;
        if self.had_fingerprint {
            write!(f, " and {is} new upstream")?;
        } else {
            write!(
                f,
                ", and the previous import recorded no fingerprint to tell whether {it} {is} new"
            )?;
        }
        write!(
            f,
            ". The import was written and records {it} as seen: add {it} to the selection and \
             import again, or commit the import to leave {it} out"
        )
    }
}

impl std::error::Error for StrictError {}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn key(method: &str, path: &str) -> OperationKey {
        OperationKey::new(method, path)
    }

    #[test]
    fn the_path_prefix_drops_trailing_parameters_only() {
        assert_eq!(
            key("get", "/asset_folders/{asset_folder_id}").path_prefix(),
            "/asset_folders"
        );
        assert_eq!(
            key("get", "/sites/{site_id}/assets").path_prefix(),
            "/sites/{site_id}/assets"
        );
        assert_eq!(key("get", "/a/{b}/{c}").path_prefix(), "/a");
        assert_eq!(key("get", "/{id}").path_prefix(), "");
        assert_eq!(key("GET", "/x").to_string(), "GET /x");
    }

    #[test]
    fn the_fingerprint_survives_its_header_and_a_damaged_one_is_none() {
        let keys: Vec<OperationKey> = (0..19).map(|i| key("get", &format!("/p{i}"))).collect();
        let fingerprint = Fingerprint::of(&keys);
        let header = fingerprint.header();
        assert_eq!(header.lines().count(), 1 + 3, "{header}");
        let file = format!("# Source: x\n{header}#\nopenapi: 3.1.0\n");
        let read = Fingerprint::read(&file).unwrap();
        assert_eq!(read, fingerprint);
        assert!(read.contains(&keys[7]) && !read.contains(&key("post", "/p7")));
        assert_eq!(Fingerprint::read("# Source: x\nopenapi: 3.1.0\n"), None);
        let truncated: String = file.lines().take(3).map(|l| format!("{l}\n")).collect();
        assert_eq!(Fingerprint::read(&truncated), None, "a line short");
        assert_eq!(
            Fingerprint::read(&file.replacen("#   ", "#   zz", 1)),
            None,
            "not hex"
        );
        assert!(Fingerprint::of([]).is_empty());
        assert!(Fingerprint::read(&Fingerprint::default().header()).is_some());
    }

    #[test]
    fn the_selection_line_is_toml_that_keeps_the_methods_already_there() {
        let selection =
            Selection::parse("output = \"w.yaml\"\n[paths]\n\"/a/{id}\" = [\"get\", \"patch\"]\n")
                .unwrap();
        let merged = SelectionLine::keeping(&selection, &key("delete", "/a/{id}"));
        assert!(merged.replaces);
        assert_eq!(
            merged.to_string(),
            r#""/a/{id}" = ["get", "patch", "delete"]"#
        );
        let fresh = SelectionLine::keeping(&selection, &key("get", "/b/\"q\""));
        assert!(!fresh.replaces);
        let line = fresh.to_string();
        let parsed: toml::Table = toml::from_str(&line).unwrap();
        assert_eq!(parsed["/b/\"q\""], toml::Value::Array(vec!["get".into()]));
    }

    #[test]
    fn untracked_operations_are_listed_by_tag_or_path_and_counted_otherwise() {
        let doc = json!({"paths": {
            "/things/{id}": {
                "get": {"summary": "Get", "tags": [["Things"]]},
                "delete": {"summary": "Delete", "tags": ["Other"]},
                "parameters": []
            },
            "/things/{id}/parts": {"get": {"tags": ["Things"]}},
            "/cms": {"get": {"tags": ["CMS"]}, "post": {"tags": ["CMS"]}},
            "/bare": {"get": {}}
        }});
        let upstream = operations(&doc);
        assert_eq!(upstream.len(), 6, "{upstream:#?}");
        let selection =
            Selection::parse("output = \"w.yaml\"\n[paths]\n\"/things/{id}\" = [\"get\"]\n")
                .unwrap();
        let tracked = [key("get", "/things/{id}")].into_iter().collect();
        let previous = Fingerprint::of([
            &key("get", "/things/{id}"),
            &key("delete", "/things/{id}"),
            &key("get", "/cms"),
        ]);
        let found = untracked(&upstream, &tracked, &selection, Some(&previous));
        let things = &found.groups["Things"];
        assert_eq!(things.listed.len(), 1);
        assert_eq!(
            things.listed[0].operation.key,
            key("get", "/things/{id}/parts")
        );
        assert_eq!(
            (things.listed[0].novelty, things.listed[0].relation),
            (Novelty::New, Relation::Tag)
        );
        let other = &found.groups["Other"].listed[0];
        assert_eq!(
            (other.novelty, other.relation),
            (Novelty::Seen, Relation::PathPrefix)
        );
        assert_eq!(
            (found.groups["CMS"].counted, found.groups["CMS"].counted_new),
            (2, 1)
        );
        assert_eq!(found.groups[UNTAGGED].counted, 1);
        assert_eq!(found.new_count(), 3);
        let err = found.check_strict().unwrap_err();
        assert_eq!(err.left_out, [key("get", "/things/{id}/parts")]);

        let markdown = found.markdown();
        let things_at = markdown.find("#### Things").unwrap();
        let other_at = markdown.find("#### Other").unwrap();
        assert!(
            things_at < other_at,
            "tags with new operations first: {markdown}"
        );
        assert!(
            markdown.contains("(beside tracked `/things`)")
                && markdown.contains("Counted, not listed (no tracked tag or path): (untagged) 1 (1 new), CMS 2 (1 new)."),
            "{markdown}"
        );
    }
}
