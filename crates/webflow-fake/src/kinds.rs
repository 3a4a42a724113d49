//! The file types Webflow accepts, their MIME types and size limits.
//!
//! Written here independently of the SDK's own table on purpose: the fake models Webflow, and
//! a rule shared by both sides could never catch a mistake in it.

/// A family of files that shares a size limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// PNG, JPEG, GIF, SVG, WebP, AVIF.
    Image,
    /// PDF, office documents, text and CSV.
    Document,
    /// Lottie animations (JSON or dotLottie).
    Lottie,
}

/// Size limits per kind, in bytes.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest image (Webflow: 4 MB).
    pub image: u64,
    /// Largest document (Webflow: 10 MB).
    pub document: u64,
    /// Largest Lottie file (Webflow names none; the document limit is used).
    pub lottie: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            image: 4 * 1024 * 1024,
            document: 10 * 1024 * 1024,
            lottie: 10 * 1024 * 1024,
        }
    }
}

impl Limits {
    /// The limit for one kind.
    pub fn for_kind(&self, kind: Kind) -> u64 {
        match kind {
            Kind::Image => self.image,
            Kind::Document => self.document,
            Kind::Lottie => self.lottie,
        }
    }
}

/// The kind and MIME type of a file name, by its extension (case-insensitive).
pub fn classify(file_name: &str) -> Option<(Kind, &'static str)> {
    let (_, ext) = file_name.rsplit_once('.')?;
    Some(match ext.to_ascii_lowercase().as_str() {
        "png" => (Kind::Image, "image/png"),
        "jpg" | "jpeg" => (Kind::Image, "image/jpeg"),
        "gif" => (Kind::Image, "image/gif"),
        "svg" => (Kind::Image, "image/svg+xml"),
        "webp" => (Kind::Image, "image/webp"),
        "avif" => (Kind::Image, "image/avif"),
        "pdf" => (Kind::Document, "application/pdf"),
        "doc" => (Kind::Document, "application/msword"),
        "docx" => (
            Kind::Document,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        "xls" => (Kind::Document, "application/vnd.ms-excel"),
        "xlsx" => (
            Kind::Document,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        "ppt" => (Kind::Document, "application/vnd.ms-powerpoint"),
        "pptx" => (
            Kind::Document,
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        "txt" => (Kind::Document, "text/plain"),
        "csv" => (Kind::Document, "text/csv"),
        "odt" => (Kind::Document, "application/vnd.oasis.opendocument.text"),
        "ods" => (
            Kind::Document,
            "application/vnd.oasis.opendocument.spreadsheet",
        ),
        "odp" => (
            Kind::Document,
            "application/vnd.oasis.opendocument.presentation",
        ),
        "json" => (Kind::Lottie, "application/json"),
        "lottie" => (Kind::Lottie, "application/zip"),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_are_classified_case_insensitively() {
        assert_eq!(classify("Logo.PNG"), Some((Kind::Image, "image/png")));
        assert_eq!(classify("a.b.pdf").map(|c| c.0), Some(Kind::Document));
        assert_eq!(classify("anim.lottie").map(|c| c.0), Some(Kind::Lottie));
        assert_eq!(classify("noext"), None);
        assert_eq!(classify("virus.exe"), None);
    }
}
