//! The directories an agent may touch: `--root DIR`, each resolved once at start. Every
//! local path a tool is given is resolved (links, `..`, relative parts) before it is
//! checked against them, so a link inside a root that points elsewhere is outside.

use std::path::{Component, Path, PathBuf};

use crate::failure::{Code, Failure};

/// The roots, resolved. Empty: no tool may touch a local file.
#[derive(Debug, Clone, Default)]
pub struct Roots(Vec<PathBuf>);

/// What a tool expects a path to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// An existing regular file (once links are followed).
    File,
    /// An existing directory.
    Dir,
    /// An existing file or directory.
    Any,
    /// A directory that may not exist yet (created by the tool).
    NewDir,
}

impl Roots {
    /// Resolves each root once: a root that is a link stands for where it points at start.
    pub fn new(dirs: &[PathBuf]) -> anyhow::Result<Self> {
        let mut roots = Vec::new();
        for dir in dirs {
            let resolved = std::fs::canonicalize(dir)
                .map_err(|e| Failure::new(Code::Usage, format!("--root {}: {e}", dir.display())))?;
            if !resolved.is_dir() {
                anyhow::bail!(Failure::new(
                    Code::Usage,
                    format!("--root {}: not a directory", dir.display())
                ));
            }
            roots.push(resolved);
        }
        Ok(Self(roots))
    }

    /// Whether no root was given.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The path `given` names, resolved, when it is inside a root and is what `expect` asks.
    /// A relative path is taken from the first root.
    pub fn resolve(&self, given: &str, expect: Expect) -> Result<PathBuf, Failure> {
        let Some(first) = self.0.first() else {
            return Err(no_roots());
        };
        if given.is_empty() {
            return Err(Failure::new(Code::InvalidInput, "an empty path"));
        }
        let path = first.join(given);
        let resolved = match std::fs::canonicalize(&path) {
            Ok(resolved) => resolved,
            Err(e) if expect == Expect::NewDir && e.kind() == std::io::ErrorKind::NotFound => {
                self.not_yet(&path)?
            }
            Err(e) => return Err(Failure::new(Code::Io, format!("{given}: {e}"))),
        };
        self.check(given, &resolved)?;
        let is_dir = resolved.is_dir();
        match expect {
            Expect::File if is_dir => Err(Failure::new(
                Code::InvalidInput,
                format!("{given} is a directory; this tool takes files"),
            )),
            Expect::File if !resolved.is_file() => Err(Failure::new(
                Code::InvalidInput,
                format!("{given} is not a regular file"),
            )),
            Expect::Dir | Expect::NewDir if resolved.exists() && !is_dir => Err(Failure::new(
                Code::InvalidInput,
                format!("{given} is not a directory"),
            )),
            _ => Ok(resolved),
        }
    }

    /// A path the tool is about to write (a manifest, a downloaded file): allowed when
    /// where it resolves to (through any link on its way) is inside a root.
    pub fn check_write(&self, path: &Path) -> Result<(), Failure> {
        let resolved = match std::fs::canonicalize(path) {
            Ok(resolved) => resolved,
            Err(_) => self.not_yet(path)?,
        };
        self.check(&path.display().to_string(), &resolved)
    }

    /// A path that does not exist yet: its nearest existing ancestor, resolved, and the
    /// rest, which may hold no `..` (it would be resolved against a directory that is not
    /// there).
    fn not_yet(&self, path: &Path) -> Result<PathBuf, Failure> {
        let mut rest = Vec::new();
        let mut at = path;
        loop {
            match std::fs::canonicalize(at) {
                Ok(base) => {
                    let mut resolved = base;
                    for part in rest.iter().rev() {
                        resolved.push(part);
                    }
                    return Ok(resolved);
                }
                // Something is there that cannot be resolved: a link to nowhere, which a
                // write would follow wherever it points.
                Err(_) if std::fs::symlink_metadata(at).is_ok() => {
                    return Err(Failure::new(
                        Code::OutsideRoots,
                        format!(
                            "{} is a link to a path that does not exist, so where it leads \
                             cannot be checked",
                            at.display()
                        ),
                    ));
                }
                Err(_) => {
                    let (Some(parent), Some(Component::Normal(name))) =
                        (at.parent(), at.components().next_back())
                    else {
                        return Err(Failure::new(
                            Code::OutsideRoots,
                            format!("{} cannot be resolved", path.display()),
                        ));
                    };
                    rest.push(name.to_os_string());
                    at = parent;
                }
            }
        }
    }

    /// Whether a resolved path is a root or inside one.
    fn check(&self, given: &str, resolved: &Path) -> Result<(), Failure> {
        match self.0.iter().any(|root| resolved.starts_with(root)) {
            true => Ok(()),
            false => Err(Failure::new(
                Code::OutsideRoots,
                format!(
                    "{given} resolves to {}, outside the roots ({})",
                    resolved.display(),
                    self.describe()
                ),
            )),
        }
    }

    /// The roots, for messages.
    pub fn describe(&self) -> String {
        let dirs: Vec<String> = self.0.iter().map(|d| d.display().to_string()).collect();
        dirs.join(", ")
    }
}

/// The refusal of a local path when the server has no root.
pub fn no_roots() -> Failure {
    Failure::new(
        Code::OutsideRoots,
        "this server was started without --root, so no tool may touch local files",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_resolved_before_they_are_checked() {
        let outside = tempfile::tempdir().unwrap();
        let root = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), "x").unwrap();
        std::fs::write(root.path().join("a.png"), "x").unwrap();
        std::fs::create_dir(root.path().join("sub")).unwrap();
        let roots = Roots::new(&[root.path().to_path_buf()]).unwrap();
        let code = |given: &str, expect| roots.resolve(given, expect).err().map(|f| f.code());
        assert_eq!(code("a.png", Expect::File), None);
        assert_eq!(code("sub/../a.png", Expect::File), None);
        assert_eq!(code("../", Expect::Dir), Some(Code::OutsideRoots));
        let elsewhere = outside.path().join("secret.txt");
        assert_eq!(
            code(elsewhere.to_str().unwrap(), Expect::File),
            Some(Code::OutsideRoots)
        );
        assert_eq!(code("sub", Expect::File), Some(Code::InvalidInput));
        assert_eq!(code("new/dir", Expect::NewDir), None);
        assert_eq!(
            code("new/../../x", Expect::NewDir),
            Some(Code::OutsideRoots)
        );
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(outside.path(), root.path().join("link")).unwrap();
            assert_eq!(
                code("link/secret.txt", Expect::File),
                Some(Code::OutsideRoots)
            );
            assert_eq!(
                roots
                    .check_write(&root.path().join("link/new.txt"))
                    .err()
                    .map(|f| f.code()),
                Some(Code::OutsideRoots)
            );
        }
        assert!(Roots::default().resolve("a.png", Expect::File).is_err());
    }
}
