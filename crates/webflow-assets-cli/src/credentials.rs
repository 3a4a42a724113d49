//! Where the token (and, failing `--site`, the site) comes from, in the order Webflow's own
//! tools and their users expect: a variable named by `--token-env`, then `WEBFLOW_TOKEN`,
//! then `WEBFLOW_API_TOKEN` (what `webflow auth login` writes), then the same names in a
//! `.env` file in the current directory or one above it, and last the token `auth login`
//! stored. The `.env` file is read, never loaded into the environment.

use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::failure::{Code, Failure};

/// The names a token is looked up by, in order.
const TOKEN_NAMES: [&str; 2] = ["WEBFLOW_TOKEN", "WEBFLOW_API_TOKEN"];

/// The name of the site variable in a `.env` file.
const SITE_NAME: &str = "WEBFLOW_SITE_ID";

/// Where a value was found; shown by `auth status`, never with the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The environment variable `--token-env` named.
    TokenEnv(String),
    /// An environment variable.
    Environment(&'static str),
    /// A `.env` file, under this name.
    DotEnv(PathBuf, &'static str),
    /// The token `auth login` stored, in this file.
    StoredLogin(PathBuf),
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::TokenEnv(name) => write!(f, "${name} (--token-env)"),
            Source::Environment(name) => write!(f, "${name}"),
            Source::DotEnv(path, name) => write!(f, "{name} in {}", path.display()),
            Source::StoredLogin(path) => write!(f, "stored login ({})", path.display()),
        }
    }
}

/// Where to make a new token, for the fixes below.
const NEW_TOKEN: &str = "create a new one (site settings > Apps & integrations > API access)";

impl Source {
    /// The fix for a token from here that Webflow refused (401): a stale variable outranks
    /// a `.env` file, and a stored login is replaced by logging in again.
    pub fn fix_refused(&self) -> String {
        let fix = match self {
            Source::TokenEnv(name) => format!("{NEW_TOKEN} and put it in ${name}"),
            Source::Environment(name) => format!(
                "{NEW_TOKEN} and put it in ${name}, or unset ${name} to use a .env file or \
                 the stored login, which it outranks"
            ),
            Source::DotEnv(path, name) => {
                format!("{NEW_TOKEN} and replace {name} in {}", path.display())
            }
            Source::StoredLogin(_) => format!(
                "{NEW_TOKEN} and run `webflow-assets auth login` again, or set WEBFLOW_TOKEN"
            ),
        };
        format!("the token from {self} is invalid or expired: {fix}")
    }
}

/// Names the token's source in the hint of a refused token (401); `target` is the copy's
/// target token, read from WEBFLOW_TARGET_TOKEN, which may be the refused one.
pub fn explain_refused(
    failure: &mut crate::failure::Described,
    source: Option<&Source>,
    target: bool,
) {
    let Some(source) = source else { return };
    if failure.code != Code::InvalidToken {
        return;
    }
    let mut hint = source.fix_refused();
    if target {
        hint.push_str(&format!(
            "; or the target's token is: {}",
            Source::Environment(TARGET_TOKEN_VAR).fix_refused()
        ));
    }
    failure.hint = Some(hint);
}

/// The token, and where it came from.
pub struct Found {
    pub token: String,
    pub source: Source,
}

impl fmt::Debug for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Found")
            .field("token", &"<redacted>")
            .field("source", &self.source)
            .finish()
    }
}

/// A `.env` file's path and its variables, in order.
type DotEnv = (PathBuf, Vec<(String, String)>);

/// What was found of the `.env` file.
enum Parsed {
    /// No `.env` file here or above.
    Missing,
    /// A file and its variables.
    Read(DotEnv),
    /// A file that does not parse: its path and the line (from 1) where the entry that fails
    /// starts. Never the text: it may hold a token, and an unclosed quote runs to the end.
    Broken(PathBuf, usize),
}

/// The `.env` file of a directory: found and read at most once, and only if a value is
/// looked up in it.
///
/// A file that does not parse is an error when the token is looked up in it: it ranks
/// above the stored login, and skipping it could quietly use another account's token. When
/// only the site is looked up in it (the token came from elsewhere), it is skipped with a
/// warning: the site then falls back to the token's only site, which is the site a working
/// file would have had to name anyway, or an error asking for `--site`.
pub struct Local {
    cwd: PathBuf,
    file: std::cell::OnceCell<Parsed>,
}

impl Local {
    /// The `.env` file for `cwd`: there, or in the nearest directory above it.
    pub fn new(cwd: PathBuf) -> Self {
        Self {
            cwd,
            file: std::cell::OnceCell::new(),
        }
    }

    fn file(&self) -> Result<&Parsed> {
        if self.file.get().is_none() {
            let _ = self.file.set(find(&self.cwd)?);
        }
        Ok(self.file.get().expect("set just above"))
    }

    /// The first of `names` the file sets to something other than blanks, with the name and
    /// the file's path.
    fn lookup(&self, names: &[&'static str]) -> Result<Option<(String, PathBuf, &'static str)>> {
        let (path, pairs) = match self.file()? {
            Parsed::Missing => return Ok(None),
            Parsed::Read((path, pairs)) => (path, pairs),
            Parsed::Broken(path, line) => bail!(
                "{}, line {line}, cannot be parsed (an unclosed quote?); fix it, or give the \
                 token another way (WEBFLOW_TOKEN, --token-env)",
                path.display()
            ),
        };
        Ok(names.iter().find_map(|name| {
            let (_, value) = pairs
                .iter()
                .find(|(k, v)| k == name && !v.trim().is_empty())?;
            Some((value.clone(), path.clone(), *name))
        }))
    }
}

/// The first `.env` file in `dir` or a directory above it, with its variables.
fn find(dir: &Path) -> Result<Parsed> {
    for at in dir.ancestors() {
        let path = at.join(".env");
        if !path.is_file() {
            continue;
        }
        // The error's text is kept out: dotenvy's parse errors quote the failing entry.
        let text = std::fs::read_to_string(&path)
            .map_err(|e| anyhow::anyhow!("{}", e.kind()))
            .with_context(|| format!("reading {}", path.display()))?;
        let mut pairs = Vec::new();
        for item in dotenvy::from_read_iter(text.as_bytes()) {
            match item {
                Ok(pair) => pairs.push(pair),
                Err(dotenvy::Error::LineParse(entry, _)) => {
                    let line = broken_line(&text, &entry);
                    return Ok(Parsed::Broken(path, line));
                }
                Err(e) => {
                    let e = match e {
                        dotenvy::Error::Io(e) => e.kind().to_string(),
                        _ => "not a valid .env file".to_string(),
                    };
                    bail!("reading {}: {e}", path.display())
                }
            }
        }
        return Ok(Parsed::Read((path, pairs)));
    }
    Ok(Parsed::Missing)
}

/// The line (from 1) of `text` where the entry dotenvy could not parse starts.
fn broken_line(text: &str, entry: &str) -> usize {
    let entry = entry.trim();
    let at = match entry.is_empty() {
        true => None,
        false => text.find(entry),
    };
    // Not found (dotenvy reshaped it): the last line, where an unclosed quote ends.
    let at = at.unwrap_or(text.trim_end().len());
    text[..at].matches('\n').count() + 1
}

/// The process's environment, in the form the look-ups here take (tests pass their own).
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// The copy target's token, from `WEBFLOW_TARGET_TOKEN`; blanks count as unset, as for every
/// other token variable, so the target then uses the source's token.
pub fn target_token(env: &impl Fn(&str) -> Option<String>) -> Option<String> {
    from_env(env, TARGET_TOKEN_VAR)
}

/// The variable that holds the copy target's token.
pub const TARGET_TOKEN_VAR: &str = "WEBFLOW_TARGET_TOKEN";

/// Looks `name` up in an environment given as a function (the process's, in production).
fn from_env(env: &impl Fn(&str) -> Option<String>, name: &str) -> Option<String> {
    env(name).filter(|value| !value.trim().is_empty())
}

/// The token: see the module's documentation for the order. `login` is where `auth login`
/// stores one.
pub fn token(
    token_env: Option<&str>,
    env: &impl Fn(&str) -> Option<String>,
    local: &Local,
    login: Option<&Path>,
) -> Result<Found> {
    if let Some(name) = token_env {
        return match from_env(env, name) {
            Some(token) => Ok(Found {
                token,
                source: Source::TokenEnv(name.to_string()),
            }),
            None => bail!(Failure::new(
                Code::MissingToken,
                format!("--token-env names ${name}, which is not set")
            )),
        };
    }
    for name in TOKEN_NAMES {
        if let Some(token) = from_env(env, name) {
            return Ok(Found {
                token,
                source: Source::Environment(name),
            });
        }
    }
    if let Some((token, path, name)) = local.lookup(&TOKEN_NAMES)? {
        return Ok(Found {
            token,
            source: Source::DotEnv(path, name),
        });
    }
    if let Some(path) = login
        && let Some(token) = crate::login::read(path)?
    {
        return Ok(Found {
            token,
            source: Source::StoredLogin(path.to_path_buf()),
        });
    }
    bail!(Failure::new(
        Code::MissingToken,
        "no Webflow API token: run `webflow-assets auth login`, set WEBFLOW_TOKEN or \
         WEBFLOW_API_TOKEN, put one in a .env file, or name a variable with --token-env"
    ))
}

/// The site from the `.env` file, when `--site` and `WEBFLOW_SITE_ID` give none. A file
/// that does not parse is skipped with a warning (see [`Local`]).
pub fn site(local: &Local) -> Result<Option<String>> {
    match local.file()? {
        Parsed::Broken(path, line) => {
            crate::stderr::line(&format!(
                "warning: {}, line {line}, cannot be parsed; WEBFLOW_SITE_ID is not read \
                 from it",
                path.display()
            ));
            Ok(None)
        }
        _ => Ok(local.lookup(&[SITE_NAME])?.map(|(site, _, _)| site)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_stored_login_is_fixed_by_logging_in_again() {
        let hint = Source::StoredLogin("/home/me/.config/token".into()).fix_refused();
        assert!(hint.contains("stored login"), "{hint}");
        assert!(hint.contains("auth login"), "{hint}");
        let hint = Source::TokenEnv("CI_TOKEN".into()).fix_refused();
        assert!(hint.contains("put it in $CI_TOKEN"), "{hint}");
    }

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn a_blank_target_token_is_unset() {
        let target = |value: &str| target_token(&env(&[(TARGET_TOKEN_VAR, value)]));
        assert_eq!(target("tok"), Some("tok".to_string()));
        assert_eq!(target(" \t"), None);
        assert_eq!(target_token(&env(&[])), None);
    }

    #[test]
    fn sources_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join("a/b");
        std::fs::create_dir_all(&nested).unwrap();
        std::fs::write(
            dir.path().join(".env"),
            "# written by webflow auth login\nexport WEBFLOW_API_TOKEN=\"from file\"\nWEBFLOW_SITE_ID='580e63e98c9a982ac9b8b741' # the site\n",
        )
        .unwrap();
        let found = |flag: Option<&str>, pairs: &[(&str, &str)]| {
            token(flag, &env(pairs), &Local::new(nested.clone()), None).map(|f| (f.token, f.source))
        };
        assert_eq!(
            found(Some("MINE"), &[("MINE", "m"), ("WEBFLOW_TOKEN", "w")]).unwrap(),
            ("m".into(), Source::TokenEnv("MINE".into()))
        );
        assert!(found(Some("MINE"), &[("WEBFLOW_TOKEN", "w")]).is_err());
        assert_eq!(
            found(None, &[("WEBFLOW_API_TOKEN", "a"), ("WEBFLOW_TOKEN", "w")]).unwrap(),
            ("w".into(), Source::Environment("WEBFLOW_TOKEN"))
        );
        assert_eq!(
            found(None, &[("WEBFLOW_API_TOKEN", "a")]).unwrap(),
            ("a".into(), Source::Environment("WEBFLOW_API_TOKEN"))
        );
        let (read, source) = found(None, &[]).unwrap();
        assert_eq!(read, "from file", "quotes and export prefixes are read");
        assert_eq!(
            source,
            Source::DotEnv(dir.path().join(".env"), "WEBFLOW_API_TOKEN")
        );
        assert!(!source.to_string().contains("from file"), "never the token");
        assert_eq!(
            site(&Local::new(nested.clone())).unwrap().as_deref(),
            Some("580e63e98c9a982ac9b8b741"),
            "comments after a value are not part of it"
        );
        let empty = tempfile::tempdir().unwrap();
        let none = token(
            None,
            &env(&[]),
            &Local::new(empty.path().to_path_buf()),
            None,
        );
        assert!(none.unwrap_err().to_string().contains("WEBFLOW_API_TOKEN"));
    }

    #[test]
    fn a_broken_env_file_is_named_by_line_never_quoted() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(".env"),
            "# secrets\nOTHER=1\nWEBFLOW_TOKEN='wf-secret-value\nWEBFLOW_SITE_ID=580e63e98c9a982ac9b8b741\n",
        )
        .unwrap();
        let local = Local::new(dir.path().to_path_buf());
        let error = token(None, &env(&[]), &local, None).unwrap_err();
        let message = format!("{error:#}");
        assert!(message.contains("line 3"), "{message}");
        assert!(message.contains(".env"), "{message}");
        assert!(!message.contains("wf-secret-value"), "{message}");
        assert!(!message.contains("580e63e98c9a982ac9b8b741"), "{message}");
        // Not needed for the token: skipped, not an error.
        let local = Local::new(dir.path().to_path_buf());
        let found = token(None, &env(&[("WEBFLOW_TOKEN", "t")]), &local, None).unwrap();
        assert_eq!(found.source, Source::Environment("WEBFLOW_TOKEN"));
        assert_eq!(site(&local).unwrap(), None);
    }

    #[test]
    fn a_blank_value_is_no_value() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(".env"),
            "WEBFLOW_TOKEN=\"   \"\nWEBFLOW_API_TOKEN=from-file\nWEBFLOW_SITE_ID=' '\n",
        )
        .unwrap();
        let local = Local::new(dir.path().to_path_buf());
        let found = token(None, &env(&[("WEBFLOW_TOKEN", " \t")]), &local, None).unwrap();
        assert_eq!(found.token, "from-file");
        assert_eq!(
            found.source,
            Source::DotEnv(dir.path().join(".env"), "WEBFLOW_API_TOKEN")
        );
        assert_eq!(site(&local).unwrap(), None);
    }

    #[test]
    fn the_stored_login_comes_last() {
        let dir = tempfile::tempdir().unwrap();
        let login = dir.path().join("config/token");
        crate::login::store(&login, "stored").unwrap();
        let project = dir.path().join("project");
        std::fs::create_dir(&project).unwrap();
        let found = |pairs: &[(&str, &str)]| {
            let found = token(
                None,
                &env(pairs),
                &Local::new(project.clone()),
                Some(&login),
            );
            found.map(|f| (f.token, f.source)).unwrap()
        };
        assert_eq!(
            found(&[]),
            ("stored".into(), Source::StoredLogin(login.clone()))
        );
        assert_eq!(
            Source::StoredLogin(login.clone()).to_string(),
            format!("stored login ({})", login.display())
        );
        assert_eq!(found(&[("WEBFLOW_API_TOKEN", "a")]).0, "a");
        std::fs::write(project.join(".env"), "WEBFLOW_TOKEN=from-file\n").unwrap();
        assert_eq!(found(&[]).0, "from-file");
        std::fs::remove_file(project.join(".env")).unwrap();
        crate::login::remove(&login).unwrap();
        let none = token(None, &env(&[]), &Local::new(project.clone()), Some(&login));
        assert!(none.unwrap_err().to_string().contains("auth login"));
    }
}
