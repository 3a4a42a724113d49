//! Which paths of a synced directory take part: gitignore-style include and exclude globs.

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};

use crate::error::Error;

/// Include and exclude patterns for [`Client::sync_dir`](crate::Client::sync_dir), matched
/// against paths relative to the synced directory (`/`-separated), as in `.gitignore`: a
/// pattern without `/` matches a file or directory name at any depth (`*.psd`, `drafts`); one
/// with `/` matches from the top (`exports/*.png`, `raw/**`); `*` never crosses a `/`, `**`
/// does. A path is taken when it matches an include (or there are none) and no exclude;
/// excluding a directory excludes everything below it.
///
/// ```
/// use webflow_assets::sync::Filter;
///
/// let filter = Filter::new(["images/**", "*.pdf"], ["*.psd", "drafts"])?;
/// assert!(filter.is_included("images/2026/logo.png"));
/// assert!(!filter.is_included("images/drafts/logo.png"));
/// assert!(!filter.is_included("notes.txt"));
/// # Ok::<(), webflow_assets::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Filter {
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
}

impl Filter {
    /// A filter from include and exclude patterns; a pattern that does not parse is a
    /// configuration error.
    pub fn new<I, E>(include: I, exclude: E) -> Result<Self, Error>
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
        E: IntoIterator,
        E::Item: AsRef<str>,
    {
        Ok(Self {
            include: set(include)?,
            exclude: set(exclude)?,
        })
    }

    /// Whether a file at `relative` takes part.
    pub fn is_included(&self, relative: &str) -> bool {
        let included = self
            .include
            .as_ref()
            .is_none_or(|set| set.is_match(relative));
        included && !self.is_excluded_dir(relative)
    }

    /// Whether `relative` or any directory above it is excluded (so a walk need not enter an
    /// excluded directory).
    pub fn is_excluded_dir(&self, relative: &str) -> bool {
        let Some(exclude) = &self.exclude else {
            return false;
        };
        let mut prefix = relative;
        loop {
            if exclude.is_match(prefix) {
                return true;
            }
            match prefix.rsplit_once('/') {
                Some((parent, _)) => prefix = parent,
                None => return false,
            }
        }
    }
}

/// One set for many patterns; `None` when there are none.
fn set<P>(patterns: P) -> Result<Option<GlobSet>, Error>
where
    P: IntoIterator,
    P::Item: AsRef<str>,
{
    let mut builder = GlobSetBuilder::new();
    let mut any = false;
    for pattern in patterns {
        let pattern = pattern.as_ref().trim();
        if pattern.is_empty() {
            continue;
        }
        any = true;
        for glob in globs(pattern)? {
            builder.add(glob);
        }
    }
    if !any {
        return Ok(None);
    }
    let set = builder
        .build()
        .map_err(|e| Error::Config(format!("filter patterns: {e}")))?;
    Ok(Some(set))
}

/// The globs a gitignore-style pattern stands for: anchored when it has a `/`, else at any
/// depth.
fn globs(pattern: &str) -> Result<Vec<Glob>, Error> {
    let glob = |text: &str| {
        GlobBuilder::new(text)
            .literal_separator(true)
            .build()
            .map_err(|e| Error::Config(format!("filter pattern {pattern:?}: {e}")))
    };
    let trimmed = pattern.trim_end_matches('/');
    if trimmed.contains('/') {
        Ok(vec![glob(trimmed.trim_start_matches('/'))?])
    } else {
        Ok(vec![glob(trimmed)?, glob(&format!("**/{trimmed}"))?])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gitignore_style_patterns() {
        let filter = Filter::new(Vec::<&str>::new(), ["*.psd", "drafts/", "/raw/**"]).unwrap();
        assert!(filter.is_included("a.png"));
        assert!(!filter.is_included("deep/er/art.psd"));
        assert!(!filter.is_included("drafts/a.png"));
        assert!(!filter.is_included("x/drafts/y/a.png"));
        assert!(!filter.is_included("raw/a.png"));
        assert!(filter.is_included("x/raw/a.png"), "anchored at the top");
        assert!(filter.is_excluded_dir("x/drafts"));

        let only = Filter::new(["docs/*.pdf"], Vec::<&str>::new()).unwrap();
        assert!(only.is_included("docs/a.pdf"));
        assert!(!only.is_included("docs/sub/a.pdf"), "* does not cross /");
        assert!(!only.is_included("a.pdf"));
        assert!(Filter::new(["a[.png"], Vec::<&str>::new()).is_err());
        assert!(Filter::default().is_included("anything/at/all.png"));
    }
}
