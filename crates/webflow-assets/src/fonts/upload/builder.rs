//! A font upload being set up, and the check it makes before anything is sent.

use webflow_assets_raw::types::{FontAxis, FontDisplay};

use crate::error::Error;
use crate::font_rules::{FontRule, check_axes, check_family, check_weight};
use crate::fonts::upload::file::FontFile;
use crate::fonts::upload::plan::{FontPlan, PreparedFont};
use crate::fonts::upload::result::UploadedFont;
use crate::http::client::Client;
use crate::ids::SiteId;
use crate::upload::UploadSource;
use crate::validate::Rule;

/// A font upload being set up; see [`Client::upload_font`].
#[derive(Debug)]
#[must_use = "an upload does nothing until `send` is awaited"]
pub struct UploadFontBuilder<'a> {
    client: &'a Client,
    site_id: SiteId,
    source: UploadSource,
    file_name: Option<String>,
    family: Option<String>,
    weight: Option<u16>,
    italic: Option<bool>,
    display: FontDisplay,
    axes: Option<Vec<FontAxis>>,
    confirm: bool,
    woff2: bool,
}

impl Client {
    /// Uploads a font file (`.woff2 .woff .ttf .otf .eot`) to a site. Its family name
    /// (typographic, else legacy), weight class, italic flag and variable axes are read from
    /// the file, whatever its format; what the builder sets wins, and what neither gives is
    /// asked for with a [`FontRule::MetadataUnreadable`] error before anything is sent. A
    /// file that is not a readable font of its format is refused with
    /// [`FontRule::Unreadable`]. [`UploadFontBuilder::woff2`] compresses a TTF or OTF file
    /// first. `font-display` defaults to `swap`.
    ///
    /// ```no_run
    /// # async fn example(client: webflow_assets::Client) -> Result<(), webflow_assets::Error> {
    /// let site = "580e63e98c9a982ac9b8b741".parse()?;
    /// let font = client.upload_font(&site, "fonts/Inter-Bold.woff2").send().await?;
    /// // Sent as Inter-Variable.woff2, its family, weight and axes read from the TTF.
    /// let small = client
    ///     .upload_font(&site, "fonts/Inter-Variable.ttf")
    ///     .woff2(true)
    ///     .send()
    ///     .await?;
    /// println!("{} {} {} -> {} bytes", font.id, small.file_name, small.source_size, small.size);
    /// # Ok(())
    /// # }
    /// ```
    pub fn upload_font(
        &self,
        site_id: &SiteId,
        source: impl Into<UploadSource>,
    ) -> UploadFontBuilder<'_> {
        UploadFontBuilder {
            client: self,
            site_id: site_id.clone(),
            source: source.into(),
            file_name: None,
            family: None,
            weight: None,
            italic: None,
            display: FontDisplay::Swap,
            axes: None,
            confirm: true,
            woff2: false,
        }
    }
}

impl<'a> UploadFontBuilder<'a> {
    /// The name to give the file on Webflow (default: the source's own).
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// The CSS `font-family` name (default: the file's typographic family name).
    pub fn family(self, family: impl Into<String>) -> Self {
        self.maybe_family(Some(family.into()))
    }

    /// [`family`](Self::family) for a caller holding an `Option`: `None` is the file's.
    pub fn maybe_family(mut self, family: Option<String>) -> Self {
        self.family = family;
        self
    }

    /// The CSS `font-weight`, 1-1000 (default: the file's weight class).
    pub fn weight(self, weight: u16) -> Self {
        self.maybe_weight(Some(weight))
    }

    /// [`weight`](Self::weight) for a caller holding an `Option`: `None` is the file's.
    pub fn maybe_weight(mut self, weight: Option<u16>) -> Self {
        self.weight = weight;
        self
    }

    /// Whether the font is italic (default: the file's italic flag).
    pub fn italic(self, italic: bool) -> Self {
        self.maybe_italic(Some(italic))
    }

    /// [`italic`](Self::italic) for a caller holding an `Option`: `None` is the file's.
    pub fn maybe_italic(mut self, italic: Option<bool>) -> Self {
        self.italic = italic;
        self
    }

    /// The CSS `font-display` (default `swap`).
    pub fn display(mut self, display: FontDisplay) -> Self {
        self.display = display;
        self
    }

    /// The variable axes (default: the file's; none when it has none or cannot be read).
    pub fn axes(mut self, axes: Vec<FontAxis>) -> Self {
        self.axes = Some(axes);
        self
    }

    /// Whether to read the font back once S3 has stored it (default `true`).
    pub fn confirm(mut self, confirm: bool) -> Self {
        self.confirm = confirm;
        self
    }

    /// Whether to compress a TTF or OTF file to WOFF2 before upload (default `false`), the
    /// format browsers load fastest: it is sent as `<stem>.woff2`, its metadata read from
    /// the source. Other formats are sent as they are. See [`crate::fonts::woff2::compress`].
    pub fn woff2(mut self, woff2: bool) -> Self {
        self.woff2 = woff2;
        self
    }

    /// Reads, checks and (with [`UploadFontBuilder::woff2`]) compresses the file, sending
    /// nothing: the [`FontPlan`] says what [`PreparedFont::send`] would upload.
    ///
    /// ```no_run
    /// # async fn example(client: webflow_assets::Client) -> Result<(), webflow_assets::Error> {
    /// let site = "580e63e98c9a982ac9b8b741".parse()?;
    /// let prepared = client.upload_font(&site, "Inter.ttf").woff2(true).prepare().await?;
    /// let plan = prepared.plan();
    /// println!("{} {} -> {} bytes", plan.file_name, plan.source_size, plan.size);
    /// prepared.send().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn prepare(self) -> Result<PreparedFont<'a>, Error> {
        let file = FontFile::load(self.client, self.source, self.file_name, self.woff2).await?;
        let label = file.source_name.clone();
        let meta = file.meta.clone();
        let family = self.family.or(meta.family);
        let weight = self.weight.map(i64::from).or(meta.weight);
        let italic = self.italic.or(meta.italic);
        let (Some(family), Some(weight), Some(italic)) = (family.clone(), weight, italic) else {
            let missing = [
                ("family", family.is_none()),
                ("weight", weight.is_none()),
                ("italic", italic.is_none()),
            ]
            .into_iter()
            .filter_map(|(name, missing)| missing.then_some(name))
            .collect();
            let reason = "the file does not say".to_string();
            return Err(
                Error::from(Rule::Font(FontRule::MetadataUnreadable { missing, reason }))
                    .for_file(&label),
            );
        };
        let axes = self.axes.unwrap_or(meta.axes);
        let checked = check_family(&family)
            .and_then(|()| check_weight(weight))
            .and_then(|()| check_axes(&axes));
        checked.map_err(|rule| Error::from(Rule::Font(rule)).for_file(&label))?;
        let plan = FontPlan {
            file_name: file.name.clone(),
            size: file.bytes.len() as u64,
            md5: file.md5.clone(),
            source_size: file.source_size,
            source_md5: file.source_md5.clone(),
            compressed: file.compressed,
            family,
            // check_weight holds it to 1-1000.
            weight: u16::try_from(weight).unwrap_or(u16::MAX),
            italic,
            axes,
        };
        Ok(PreparedFont {
            client: self.client,
            site_id: self.site_id,
            file,
            plan,
            display: self.display,
            confirm: self.confirm,
        })
    }

    /// Runs the upload: [`UploadFontBuilder::prepare`], then [`PreparedFont::send`].
    pub async fn send(self) -> Result<UploadedFont, Error> {
        self.prepare().await?.send().await
    }
}
