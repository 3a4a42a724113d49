//! Custom fonts: the font endpoints, reading a font file (TTF, OTF, WOFF, WOFF2, EOT) for its
//! family, weight and style, the limits Webflow puts on fonts, compressing to WOFF2, and the
//! upload handshake, which is an asset's with a font's form.

pub mod dir;
mod dir_manifest;
pub(crate) mod endpoints;
pub(crate) mod eot;
pub(crate) mod meta;

pub(crate) mod sfnt;
pub(crate) mod upload;
pub mod woff2;
