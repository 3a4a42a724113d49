//! A font whose face the site has under another file name (Webflow answers 409 to a second
//! one): skipped when the hosted bytes are this run's, failed when not.

use webflow_assets_raw::types::CustomFont;

use crate::fonts::dir::plan::font_id;
use crate::fonts::dir::report::{AlreadyHosted, Differs, FontFailure, FontOutcome, failed};
use crate::fonts::upload::FontPlan;
use crate::http::client::Client;

/// What to do with a font whose family, weight and style a font of `fonts` has (Webflow
/// answers 409 to a second one): skip it when the hosted bytes are those this run would
/// send, fail it when they differ or cannot be compared. `None` when no font has the face.
pub(super) async fn same_face(
    client: &Client,
    fonts: &[CustomFont],
    plan: &FontPlan,
) -> Option<FontOutcome> {
    // Webflow strips commas from family names and compares them without regard to case.
    let family = plan.family.replace(',', "");
    let font = fonts.iter().find(|f| {
        f.font_family
            .as_deref()
            .is_some_and(|other| other.eq_ignore_ascii_case(&family))
            && f.weight == Some(i64::from(plan.weight))
            && f.italic == Some(plan.italic)
    })?;
    let id = font_id(font)?;
    let hosted_name = font.file_name.clone().unwrap_or_default();
    let face = format!(
        "{} {}{}",
        family,
        plan.weight,
        if plan.italic { " italic" } else { "" }
    );
    let differs = match font.hosted_url.as_deref() {
        None => Differs::Unknown,
        Some(url) => match client.hosted_md5(url).await {
            Ok(hosted) if hosted == plan.md5 => {
                let hosted = AlreadyHosted::SameFace { hosted_name };
                return Some(FontOutcome::Skipped { id, hosted });
            }
            Ok(_) => Differs::Bytes,
            Err(e) => Differs::Unreadable(e),
        },
    };
    let reason = FontFailure::SameFace {
        face,
        hosted_name,
        differs,
    };
    Some(failed(Some(id), reason))
}
