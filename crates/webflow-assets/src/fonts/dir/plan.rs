//! The plan: the font files and the site's fonts as they were when planned.

use std::collections::BTreeMap;
use std::path::PathBuf;

use webflow_assets_raw::types::CustomFont;

use crate::error::{Error, IoOperation};
use crate::fonts::dir::files::{FontSource, font_files};
use crate::fonts::dir::options::FontDirOptions;
use crate::fonts::dir::report::FontDirReport;
use crate::fonts::dir::run::FontDirRun;
use crate::http::client::Client;
use crate::ids::{FontId, SiteId};

/// The font files to put on a site and the site's fonts as they were when planned: read it,
/// then [`execute`](Self::execute) it, or [`start`](Self::start) it to see each file as it is
/// done.
#[derive(Debug)]
#[non_exhaustive]
pub struct FontDirPlan {
    /// The site.
    pub site: SiteId,
    /// The options the plan was made with.
    pub options: FontDirOptions,
    /// The font files, in order: named files as given, each directory's font files by name.
    pub files: Vec<FontSource>,
    /// The site's fonts when the plan was made.
    pub site_fonts: Vec<CustomFont>,
}

impl FontDirPlan {
    /// Starts the run: each [`FontDirRun::next`] does one file. [`Error::NoRuntime`] outside
    /// a Tokio runtime (the files are read and the manifests written on its blocking
    /// threads); nothing is sent or written then.
    pub async fn start(self, client: &Client) -> Result<FontDirRun<'_>, Error> {
        crate::runtime::current()?;
        let on_site = self
            .site_fonts
            .iter()
            .filter_map(|f| Some((f.file_name.clone()?, (font_id(f)?, f.hosted_url.clone()))))
            .collect();
        let by_id = self
            .site_fonts
            .iter()
            .filter_map(|f| Some((font_id(f)?, f.hosted_url.clone())))
            .collect();
        let mut files = self.files;
        files.reverse();
        Ok(FontDirRun {
            client,
            site: self.site,
            options: self.options,
            pending: files,
            listed: self.site_fonts,
            on_site,
            by_id,
            manifests: BTreeMap::new(),
            done: Vec::new(),
        })
    }

    /// Puts every file on the site, one at a time, and reports what became of each (a file
    /// that cannot be read, or compared with the site, is reported failed with its reason).
    /// `Err` when a manifest cannot be written (the files done before it are on the site,
    /// and a rerun skips them), and [`Error::NoRuntime`] outside a Tokio runtime, as
    /// [`Self::start`].
    pub async fn execute(self, client: &Client) -> Result<FontDirReport, Error> {
        let mut run = self.start(client).await?;
        while let Some(file) = run.next().await {
            if let Some(error) = file.manifest_error.take() {
                return Err(error);
            }
        }
        Ok(run.finish())
    }
}

impl Client {
    /// Plans putting font files on a site: `paths` are font files (sent as they are named)
    /// and directories (whose font files, by name, are sent, and whose manifest is read and
    /// written). Reads the site's fonts: the site is the source of truth. See
    /// [`font_dir`](crate::font_dir).
    pub async fn font_dir_plan(
        &self,
        site: &SiteId,
        paths: impl IntoIterator<Item = impl Into<PathBuf>>,
        options: FontDirOptions,
    ) -> Result<FontDirPlan, Error> {
        crate::runtime::current()?;
        let paths: Vec<PathBuf> = paths.into_iter().map(Into::into).collect();
        let files = tokio::task::spawn_blocking(move || font_files(&paths))
            .await
            .map_err(|e| Error::Io {
                operation: IoOperation::Reading,
                path: PathBuf::new(),
                source: std::io::Error::other(e.to_string()),
            })??;
        let listed = self.list_fonts(site).await?;
        Ok(FontDirPlan {
            site: site.clone(),
            options,
            files,
            site_fonts: listed,
        })
    }
}

/// A listed font's id, when it is one (a malformed one matches no file, so the file goes up
/// and Webflow's 409 names the font it clashes with).
pub(super) fn font_id(font: &CustomFont) -> Option<FontId> {
    font.id.as_deref()?.parse().ok()
}
