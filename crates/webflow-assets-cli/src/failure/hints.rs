//! The fix a failure names, when its words do not say it.

use webflow_assets::{Error, ErrorKind};

use super::{Code, Described, Needs};

/// The fix to name for a code, when the error's words do not say it.
pub(super) fn hint(code: Code, needs: Needs) -> Option<String> {
    let set = "set it in WEBFLOW_TOKEN or WEBFLOW_API_TOKEN (or a .env file), or name \
               another variable with --token-env";
    match code {
        Code::InvalidToken => Some(format!(
            "the token is invalid or expired: create a new one (site settings > Apps & \
             integrations > API access) and {set}"
        )),
        Code::MissingScope => Some(format!(
            "the token lacks a scope this command needs: create a token with {} and {set}",
            needs.scopes()
        )),
        Code::Forbidden => Some(
            "the token cannot reach this site or asset: check --site, or use a token made for \
             this site"
                .into(),
        ),
        Code::RateLimited => Some(
            "the token's requests per minute are used up: wait, or lower --rate-limit to \
             match the site's plan (60 or 120)"
                .into(),
        ),
        Code::Network => Some("check the connection and --base-url, then try again".into()),
        Code::StalePlan => Some("call plan_sync again and read the new plan".into()),
        Code::OutsideRoots => Some(
            "name a path inside the server's --root directories, or start it with another \
             --root"
                .into(),
        ),
        Code::ReadOnly => Some("start the server without --read-only to change things".into()),
        _ => None,
    }
}

/// The fix for a URL refused for its address, an upload source's or a hosted file's.
pub const PRIVATE_URL_HINT: &str = "a URL reached a loopback, private or link-local address, \
    which is fetched only when allowed: pass --allow-private-urls if you trust it (a local \
    test server, a CDN on a private network)";

/// Whether the error is a URL refused for its address (an upload source, or a hosted file
/// downloaded), which `--allow-private-urls` lets through.
pub fn is_private_url(error: &Error) -> bool {
    match error {
        Error::Validation {
            rule: webflow_assets::Rule::PrivateAddress { .. },
            ..
        } => true,
        Error::Unverified { source, .. } => is_private_url(source),
        _ => false,
    }
}

/// A pruning sync aimed elsewhere than its directory was synced to: both targets, and the
/// flag that confirms the new one.
pub(super) fn retargeted(retarget: &webflow_assets::sync::Retarget) -> Described {
    let to = &retarget.requested;
    let from = &retarget.recorded;
    let folder = match from.folder.is_root() {
        true => "no --folder".to_string(),
        false => format!("--folder {}", shell_word(&from.folder.to_string())),
    };
    let back = match to.site_id == from.site_id {
        true => format!("use {folder}"),
        false => format!("use --site {} and {folder}", from.site_id),
    };
    Described {
        message: format!(
            "{retarget}; --delete would delete there what the directory never held, so the sync \
             was refused and nothing was sent; --retarget confirms the new target"
        ),
        code: Code::Refused,
        kind: Some(ErrorKind::TargetChanged),
        hint: Some(format!(
            "to sync to {} from now on, run it again with --retarget (it deletes what the \
             directory lacks there; try --dry-run first); to sync where it went before, {back}",
            to.folder_words()
        )),
    }
}

/// `text` as one shell word, so a hint's command can be pasted whatever a folder's name holds
/// (spaces, quotes, `$`). A name with a NUL byte cannot be one; Webflow's names hold none.
fn shell_word(text: &str) -> std::borrow::Cow<'_, str> {
    shlex::try_quote(text).unwrap_or_else(|_| format!("{text:?}").into())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The folder a retarget hint names is one shell word, quoted only when it must be.
    #[test]
    fn a_retarget_hint_quotes_its_folder_for_the_shell() {
        use webflow_assets::sync::{Retarget, SyncTarget};
        use webflow_assets::{FolderPath, SiteId};
        let site: SiteId = "0123456789abcdef01234567".parse().unwrap();
        let hint = |folder: &str| {
            let recorded = SyncTarget::new(site.clone(), FolderPath::parse(folder).unwrap());
            let requested = SyncTarget::new(site.clone(), FolderPath::parse("other").unwrap());
            retargeted(&Retarget::new(recorded, requested))
                .hint
                .unwrap()
        };
        assert!(hint("plain/dir").ends_with("use --folder plain/dir"));
        let quoted = hint("Brand Assets/it's $HOME");
        let word = quoted.rsplit_once("use --folder ").unwrap().1;
        assert_ne!(word, "Brand Assets/it's $HOME", "{quoted}");
        // What a POSIX shell would pass: the folder's name, one argument.
        assert_eq!(
            shlex::split(word).unwrap(),
            ["Brand Assets/it's $HOME"],
            "{word}"
        );
    }
}
