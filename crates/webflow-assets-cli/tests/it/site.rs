//! Choosing the site: `--site` or `WEBFLOW_SITE_ID` as an id (no request), a short name or
//! a display name (one request listing the sites), and the token's only site when none is
//! named.

use crate::common;

use std::process::Output;

use common::text;
use webflow_fake::{FakeHandle, FakeWebflow, Side};

/// `folders` on the site `site` names (none: `WEBFLOW_SITE_ID` unset).
async fn folders(fake: &FakeHandle, site: Option<&str>) -> Output {
    let mut command = common::command(fake, &["folders"]);
    command.env_remove("WEBFLOW_SITE_ID");
    if let Some(site) = site {
        command.arg("--site").arg(site);
    }
    common::output(command).await
}

fn count(fake: &FakeHandle, path: &str) -> usize {
    fake.requests()
        .iter()
        .filter(|r| r.side == Side::Webflow && r.method == "GET" && r.path.ends_with(path))
        .count()
}

/// How many times the folders of `site` were listed.
fn folders_of(fake: &FakeHandle, site: &str) -> usize {
    count(fake, &format!("/sites/{site}/asset_folders"))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_site_by_id_short_name_or_display_name() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let main = fake.site_id().to_string();
    let other = fake.state().add_site();
    fake.state().name_site(&main, "acme-shop", "Acme Shop");
    fake.state().name_site(&other, "acme-blog", "Acme Blog");

    let by_id = folders(&fake, Some(&other)).await;
    assert_eq!(by_id.status.code(), Some(0), "{}", text(&by_id));
    assert_eq!(count(&fake, "/sites"), 0, "an id needs no lookup");
    assert_eq!(folders_of(&fake, &other), 1);

    let by_short = folders(&fake, Some("acme-blog")).await;
    assert_eq!(by_short.status.code(), Some(0), "{}", text(&by_short));
    assert_eq!(count(&fake, "/sites"), 1, "one request to resolve the name");
    assert_eq!(folders_of(&fake, &other), 2);

    let by_display = folders(&fake, Some("Acme Shop")).await;
    assert_eq!(by_display.status.code(), Some(0), "{}", text(&by_display));
    assert_eq!(count(&fake, "/sites"), 2);
    assert_eq!(folders_of(&fake, &main), 1);

    // WEBFLOW_SITE_ID takes a name too, looked up with one request; an id needs none.
    let mut command = common::command(&fake, &["folders"]);
    command.env("WEBFLOW_SITE_ID", "acme blog");
    let by_env = common::output(command).await;
    assert_eq!(by_env.status.code(), Some(0), "{}", text(&by_env));
    assert_eq!(folders_of(&fake, &other), 3);
    assert_eq!(count(&fake, "/sites"), 3, "one more request for the name");
    let mut command = common::command(&fake, &["folders"]);
    command.env("WEBFLOW_SITE_ID", &other);
    let by_env_id = common::output(command).await;
    assert_eq!(by_env_id.status.code(), Some(0), "{}", text(&by_env_id));
    assert_eq!(folders_of(&fake, &other), 4);
    assert_eq!(count(&fake, "/sites"), 3, "none for an id");

    let missing = folders(&fake, Some("Acme Portfolio")).await;
    assert_eq!(missing.status.code(), Some(1));
    let message = text(&missing);
    assert!(message.contains("no site \"Acme Portfolio\""), "{message}");
    for named in [&main, &other, "acme-shop", "Acme Blog"] {
        assert!(message.contains(named), "the available sites: {message}");
    }
    assert_eq!(folders_of(&fake, &main) + folders_of(&fake, &other), 5);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_name_two_sites_share_is_an_error_listing_both() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let main = fake.site_id().to_string();
    let other = fake.state().add_site();
    let third = fake.state().add_site();
    fake.state().name_site(&main, "acme", "Acme Inc");
    fake.state().name_site(&other, "acme-2", "Acme Inc");
    fake.state().name_site(&third, "elsewhere", "acme");

    let ambiguous = folders(&fake, Some("Acme Inc")).await;
    assert_eq!(ambiguous.status.code(), Some(1), "{}", text(&ambiguous));
    let message = text(&ambiguous);
    assert!(message.contains("names 2 sites"), "{message}");
    for candidate in [&main, &other, "acme-2"] {
        assert!(message.contains(candidate), "{message}");
    }
    assert!(!message.contains(&third), "only the candidates: {message}");
    assert_eq!(count(&fake, "/asset_folders"), 0, "nothing done on a guess");

    // The short name, unique, still picks one, though another site is displayed as it.
    let short = folders(&fake, Some("acme")).await;
    assert_eq!(short.status.code(), Some(0), "{}", text(&short));
    assert_eq!(folders_of(&fake, &main), 1);
    assert_eq!(folders_of(&fake, &third), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_only_site_is_the_default_and_several_need_naming() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let only = folders(&fake, None).await;
    assert_eq!(only.status.code(), Some(0), "{}", text(&only));
    assert_eq!(count(&fake, "/token/introspect"), 1);
    assert_eq!(
        count(&fake, "/sites"),
        0,
        "introspection, not the sites list"
    );
    assert_eq!(folders_of(&fake, fake.site_id()), 1);

    let other = fake.state().add_site();
    let several = folders(&fake, None).await;
    assert_eq!(several.status.code(), Some(1), "{}", text(&several));
    let message = text(&several);
    assert!(
        message.contains("--site") && message.contains("WEBFLOW_SITE_ID"),
        "{message}"
    );
    assert!(
        message.contains(fake.site_id()) && message.contains(&other),
        "{message}"
    );
    assert_eq!(count(&fake, "/asset_folders"), 1);

    // A site's own token (as Webflow's site tokens are) reaches that site only: the default.
    let (own, own_token) = fake.add_site_with_token();
    let mut command = common::command(&fake, &["folders"]);
    command
        .env_remove("WEBFLOW_SITE_ID")
        .env("WEBFLOW_TOKEN", &own_token);
    let site_token = common::output(command).await;
    assert_eq!(site_token.status.code(), Some(0), "{}", text(&site_token));
    assert_eq!(folders_of(&fake, &own), 1);
    // The main token does not list another account's site.
    let still = folders(&fake, None).await;
    assert_eq!(still.status.code(), Some(1));
    assert!(!text(&still).contains(&own), "{}", text(&still));
}

#[tokio::test(flavor = "multi_thread")]
async fn without_sites_read_a_name_cannot_be_looked_up_but_an_id_and_the_default_work() {
    let fake = FakeWebflow::builder()
        .scopes(["assets:read", "assets:write"])
        .start()
        .await
        .unwrap();
    let by_name = folders(&fake, Some("Fake site")).await;
    assert_eq!(by_name.status.code(), Some(1));
    let message = text(&by_name);
    assert!(message.contains("sites:read"), "{message}");
    assert!(
        message.contains("24-character id") && message.contains("auth status"),
        "how to get the id: {message}"
    );
    let hint = message
        .lines()
        .find(|l| l.starts_with("hint:"))
        .unwrap_or("");
    assert!(
        hint.contains("sites:read") && !hint.contains("assets:"),
        "the hint names the lookup's scope, not the command's: {message}"
    );
    let mut command = common::command(&fake, &["folders", "--json"]);
    command.env("WEBFLOW_SITE_ID", "Fake site");
    let line = common::json_lines(&common::output(command).await).remove(0);
    assert_eq!(line["code"], "missing_scope", "{line}");
    let hint = line["hint"].as_str().unwrap_or("");
    assert!(
        hint.contains("sites:read") && !hint.contains("assets:"),
        "{line}"
    );
    // The token's only site, from introspection, which needs no scope.
    let default = folders(&fake, None).await;
    assert_eq!(default.status.code(), Some(0), "{}", text(&default));
    assert_eq!(folders_of(&fake, fake.site_id()), 1);
    let by_id = folders(&fake, Some(fake.site_id())).await;
    assert_eq!(by_id.status.code(), Some(0), "{}", text(&by_id));
    assert_eq!(folders_of(&fake, fake.site_id()), 2);
}

/// An empty `--site` or a blank `WEBFLOW_SITE_ID` is refused before any request, naming the
/// flag, rather than taken as "no site".
#[tokio::test(flavor = "multi_thread")]
async fn an_empty_site_is_refused_before_any_request() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let empty = folders(&fake, Some("")).await;
    assert_eq!(empty.status.code(), Some(1), "{}", text(&empty));
    assert!(text(&empty).contains("--site"), "{}", text(&empty));
    let mut command = common::command(&fake, &["folders"]);
    command.env("WEBFLOW_SITE_ID", "   ");
    let blank = common::output(command).await;
    assert_eq!(blank.status.code(), Some(1), "{}", text(&blank));
    assert!(text(&blank).contains("--site"), "{}", text(&blank));
    assert!(fake.requests().is_empty(), "{:?}", fake.requests());
}

#[tokio::test(flavor = "multi_thread")]
async fn commands_by_asset_id_choose_no_site_and_bad_arguments_send_nothing() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let asset = fake
        .seed_asset(fake.site_id(), None, "logo.png", b"\x89PNG")
        .unwrap();
    // With two sites and none named, a command that needs a site would stop at the choice.
    fake.state().add_site();
    for args in [
        vec!["info", asset.as_str()],
        vec!["rename", asset.as_str(), "Logo", "--dry-run"],
        vec!["alt", asset.as_str(), "A logo", "--dry-run"],
    ] {
        let mut command = common::command(&fake, &args);
        command.env_remove("WEBFLOW_SITE_ID");
        let out = common::output(command).await;
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", text(&out));
    }
    assert_eq!(count(&fake, "/sites"), 0);
    assert_eq!(count(&fake, "/token/introspect"), 0);

    fake.log().clear();
    let dir = tempfile::tempdir().unwrap();
    for (file, body) in [("a.png", "a"), ("b.png", "b")] {
        std::fs::write(dir.path().join(file), body).unwrap();
    }
    let (a, b) = (dir.path().join("a.png"), dir.path().join("b.png"));
    for args in [
        vec![
            "upload",
            a.to_str().unwrap(),
            b.to_str().unwrap(),
            "--alt",
            "x",
        ],
        vec![
            "sync",
            dir.path().to_str().unwrap(),
            "--include",
            "[",
            "--dry-run",
        ],
        vec!["alt", asset.as_str()],
    ] {
        let mut command = common::command(&fake, &args);
        command.env_remove("WEBFLOW_SITE_ID");
        let out = common::output(command).await;
        assert_ne!(out.status.code(), Some(0), "{args:?}: {}", text(&out));
    }
    assert!(fake.requests().is_empty(), "{:?}", fake.requests());
}
