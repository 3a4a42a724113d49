//! Where the token comes from: `--token-env`, the environment, a `.env` file and the stored
//! login of `auth login`, in that order; and `auth login`, `auth status` and `auth logout`.

use crate::common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::{json_lines, text};
use webflow_fake::{FakeHandle, FakeWebflow, Side};

/// The command in `cwd`, with the stored login under `config` and no token or site from the
/// environment.
fn command(fake: &FakeHandle, cwd: &Path, config: &Path, args: &[&str]) -> Command {
    let mut command = common::command(fake, args);
    command
        .env_remove("WEBFLOW_TOKEN")
        .env_remove("WEBFLOW_SITE_ID")
        .env("WEBFLOW_ASSETS_CONFIG_DIR", config)
        .current_dir(cwd);
    command
}

/// Runs `command` with `input` on its standard input.
async fn with_input(mut command: Command, input: &str) -> Output {
    let input = input.to_string();
    tokio::task::spawn_blocking(move || {
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let written = child.stdin.take().unwrap().write_all(input.as_bytes());
        // A command that refuses before it reads its input closes the pipe first: the
        // write then fails with a broken pipe, and the test judges the command's answer.
        if let Err(error) = written {
            assert_eq!(error.kind(), std::io::ErrorKind::BrokenPipe, "{error}");
        }
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap()
}

fn webflow_requests(fake: &FakeHandle, path: &str) -> usize {
    fake.requests()
        .iter()
        .filter(|r| r.side == Side::Webflow && r.path.ends_with(path))
        .count()
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[tokio::test(flavor = "multi_thread")]
async fn login_status_and_logout() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let cwd = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("config/webflow-assets");
    let file = config.join("token");
    let run = |args: &[&str]| command(&fake, cwd.path(), &config, args);

    let login = with_input(
        run(&["auth", "login", "--stdin"]),
        &format!("{}\n", fake.token()),
    )
    .await;
    assert_eq!(login.status.code(), Some(0), "{}", text(&login));
    assert!(!text(&login).contains(fake.token()), "never the token");
    assert!(
        text(&login).contains(&format!("stored login ({})", file.display())),
        "{}",
        text(&login)
    );
    assert!(
        text(&login).contains("assets:write"),
        "the scopes: {}",
        text(&login)
    );
    assert_eq!(
        webflow_requests(&fake, "/token/introspect"),
        1,
        "checked once"
    );
    assert_eq!(fake.requests().len(), 1);
    assert_eq!(std::fs::read_to_string(&file).unwrap().trim(), fake.token());
    #[cfg(unix)]
    {
        assert_eq!(mode(&file), 0o600);
        assert_eq!(mode(&config), 0o700);
    }

    let status = common::output(run(&["auth", "status"])).await;
    assert_eq!(status.status.code(), Some(0), "{}", text(&status));
    assert!(
        text(&status).contains(&format!("token from  stored login ({})", file.display())),
        "{}",
        text(&status)
    );
    assert!(
        text(&status).contains(fake.site_id()),
        "its sites: {}",
        text(&status)
    );
    assert!(!text(&status).contains(fake.token()), "never the token");
    let json = common::output(run(&["auth", "status", "--json"])).await;
    let lines = json_lines(&json);
    assert_eq!(
        lines[0]["source"],
        format!("stored login ({})", file.display()).as_str()
    );

    // The stored login is enough for a command on the site.
    let mut folders = run(&["folders"]);
    folders.env("WEBFLOW_SITE_ID", fake.site_id());
    let folders = common::output(folders).await;
    assert_eq!(folders.status.code(), Some(0), "{}", text(&folders));

    let logout = common::output(run(&["auth", "logout"])).await;
    assert_eq!(logout.status.code(), Some(0), "{}", text(&logout));
    assert!(
        text(&logout).contains("removed the stored login"),
        "{}",
        text(&logout)
    );
    assert!(!file.exists());
    let again = common::output(run(&["auth", "logout", "--json"])).await;
    assert_eq!(again.status.code(), Some(0), "{}", text(&again));
    assert_eq!(json_lines(&again)[0]["logout"]["removed"], false);
    assert_eq!(
        json_lines(&again)[0]["logout"]["file"],
        file.display().to_string().as_str()
    );

    let gone = common::output(run(&["auth", "status"])).await;
    assert_eq!(gone.status.code(), Some(1));
    assert!(text(&gone).contains("auth login"), "{}", text(&gone));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_webflow_refuses_is_not_stored() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let cwd = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("config");
    let login = with_input(
        command(&fake, cwd.path(), &config, &["auth", "login", "--stdin"]),
        "not-a-token-of-this-site\n",
    )
    .await;
    assert_eq!(login.status.code(), Some(1), "{}", text(&login));
    assert!(
        text(&login).contains("nothing was stored"),
        "{}",
        text(&login)
    );
    assert!(!text(&login).contains("not-a-token-of-this-site"));
    assert_eq!(webflow_requests(&fake, "/token/introspect"), 1);
    assert!(!config.join("token").exists());

    let empty = with_input(
        command(&fake, cwd.path(), &config, &["auth", "login", "--stdin"]),
        "\n",
    )
    .await;
    assert_eq!(empty.status.code(), Some(1));
    assert!(text(&empty).contains("no token given"), "{}", text(&empty));
    assert_eq!(fake.requests().len(), 1, "nothing sent for an empty token");
}

#[tokio::test(flavor = "multi_thread")]
async fn login_without_a_terminal_or_stdin_fails_naming_stdin() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let cwd = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("config");
    // Standard input is not a terminal (common::command gives it /dev/null).
    let login = common::output(command(&fake, cwd.path(), &config, &["auth", "login"])).await;
    assert_eq!(login.status.code(), Some(1), "{}", text(&login));
    assert!(
        text(&login).contains("auth login --stdin"),
        "{}",
        text(&login)
    );
    assert!(fake.requests().is_empty());
    assert!(!config.exists());
    // A token is never an argument, and the refusal does not repeat it.
    for args in [
        vec!["auth", "login", fake.token()],
        vec!["auth", "login", "--stdin", fake.token()],
        vec!["auth", "login", fake.token(), "more"],
        vec!["auth", "login", "--json", fake.token()],
    ] {
        let argument = common::output(command(&fake, cwd.path(), &config, &args)).await;
        assert_eq!(argument.status.code(), Some(2), "{}", text(&argument));
        assert!(text(&argument).contains("--stdin"), "{}", text(&argument));
        assert!(
            !text(&argument).contains(fake.token()),
            "{}",
            text(&argument)
        );
    }
    assert!(fake.requests().is_empty());
    assert!(!config.exists());
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn login_refuses_a_directory_others_can_write() {
    use std::os::unix::fs::PermissionsExt;
    let fake = FakeWebflow::builder().start().await.unwrap();
    let cwd = tempfile::tempdir().unwrap();
    let shared = tempfile::tempdir().unwrap();
    std::fs::set_permissions(shared.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let login = with_input(
        command(
            &fake,
            cwd.path(),
            shared.path(),
            &["auth", "login", "--stdin"],
        ),
        fake.token(),
    )
    .await;
    assert_eq!(login.status.code(), Some(1), "{}", text(&login));
    assert!(
        text(&login).contains("others can write"),
        "{}",
        text(&login)
    );
    assert!(
        fake.requests().is_empty(),
        "refused before the token is read"
    );
    assert_eq!(std::fs::read_dir(shared.path()).unwrap().count(), 0);
}

/// Each source in turn wins over every one below it, though those hold a token that would
/// work (the stored login) or one Webflow refuses (the others): only the winner's token is
/// sent.
#[tokio::test(flavor = "multi_thread")]
async fn token_sources_in_order_with_the_stored_login_last() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let cwd = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("config");
    let login = with_input(
        command(&fake, cwd.path(), &config, &["auth", "login", "--stdin"]),
        fake.token(),
    )
    .await;
    assert_eq!(login.status.code(), Some(0), "{}", text(&login));
    let good = fake.token();
    let bad = "wf-refused";
    let dot_env = cwd.path().join(".env");

    let status = |flag: Option<&str>, env: &[(&str, &str)], file: Option<String>| {
        match file {
            Some(text) => std::fs::write(&dot_env, text).unwrap(),
            None => {
                let _ = std::fs::remove_file(&dot_env);
            }
        }
        let mut args = vec!["auth", "status"];
        if let Some(name) = flag {
            args.extend(["--token-env", name]);
        }
        let mut command = command(&fake, cwd.path(), &config, &args);
        for (k, v) in env {
            command.env(k, v);
        }
        tokio::task::block_in_place(|| command.output().unwrap())
    };
    let source = |output: &Output| {
        assert_eq!(output.status.code(), Some(0), "{}", text(output));
        text(output).lines().next().unwrap().to_string()
    };

    let all_wrong = format!("WEBFLOW_TOKEN={bad}\nWEBFLOW_API_TOKEN={bad}\n");
    let named = status(
        Some("MINE"),
        &[
            ("MINE", good),
            ("WEBFLOW_TOKEN", bad),
            ("WEBFLOW_API_TOKEN", bad),
        ],
        Some(all_wrong.clone()),
    );
    assert_eq!(source(&named), "token from  $MINE (--token-env)");
    let first = status(
        None,
        &[("WEBFLOW_TOKEN", good), ("WEBFLOW_API_TOKEN", bad)],
        Some(all_wrong.clone()),
    );
    assert_eq!(source(&first), "token from  $WEBFLOW_TOKEN");
    let second = status(
        None,
        &[("WEBFLOW_API_TOKEN", good)],
        Some(all_wrong.clone()),
    );
    assert_eq!(source(&second), "token from  $WEBFLOW_API_TOKEN");
    let file = status(
        None,
        &[],
        Some(format!("WEBFLOW_TOKEN={good}\nWEBFLOW_API_TOKEN={bad}\n")),
    );
    assert_eq!(
        source(&file),
        format!("token from  WEBFLOW_TOKEN in {}", dot_env.display())
    );
    let stored = status(None, &[], None);
    assert_eq!(
        source(&stored),
        format!(
            "token from  stored login ({})",
            config.join("token").display()
        )
    );

    // A source above the stored login is used even when Webflow refuses its token.
    let refused = status(None, &[("WEBFLOW_API_TOKEN", bad)], None);
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    let refused = status(None, &[], Some(format!("WEBFLOW_API_TOKEN={bad}\n")));
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    // An empty value is no token: the next source is read.
    let empty = status(
        None,
        &[("WEBFLOW_TOKEN", "")],
        Some("WEBFLOW_TOKEN=\n".into()),
    );
    assert!(source(&empty).contains("stored login"), "{}", text(&empty));
    // --token-env naming an unset variable fails rather than falling through.
    let unset = status(Some("NOPE"), &[], None);
    assert_eq!(unset.status.code(), Some(1), "{}", text(&unset));
    assert!(text(&unset).contains("--token-env names $NOPE"));
}

/// `.env` files as people write them: comments, blank lines, `export`, quotes of either
/// kind, a comment after a value; and the site named in one by its display name.
#[tokio::test(flavor = "multi_thread")]
async fn dot_env_quotes_comments_and_export() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    fake.state()
        .name_site(fake.site_id(), "brand-site", "Brand Site");
    let cwd = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("config");
    let run = |file: &str, args: &[&str]| {
        std::fs::write(cwd.path().join(".env"), file).unwrap();
        let mut command = command(&fake, cwd.path(), &config, args);
        tokio::task::block_in_place(|| command.output().unwrap())
    };
    let token = fake.token();
    let dot_env = cwd.path().join(".env");
    let from = |name: &str| format!("token from  {name} in {}", dot_env.display());
    // Each form with the source that must win; a token Webflow refuses sits where a
    // misread would pick it.
    let forms = [
        (
            format!("# the project's secrets\n\nexport WEBFLOW_API_TOKEN='{token}'\n"),
            "WEBFLOW_API_TOKEN",
        ),
        (
            format!("WEBFLOW_API_TOKEN=\"{token}\" # from the site settings\n"),
            "WEBFLOW_API_TOKEN",
        ),
        (
            format!("# WEBFLOW_TOKEN=wf-commented-out\nexport   WEBFLOW_TOKEN={token}\n"),
            "WEBFLOW_TOKEN",
        ),
        (
            format!("# WEBFLOW_TOKEN=wf-commented-out\nWEBFLOW_API_TOKEN={token}\n"),
            "WEBFLOW_API_TOKEN",
        ),
        (
            format!("OTHER=1\nWEBFLOW_TOKEN=\nWEBFLOW_API_TOKEN = {token}\n"),
            "WEBFLOW_API_TOKEN",
        ),
        (
            format!("WEBFLOW_TOKEN=\"   \"\nWEBFLOW_API_TOKEN={token}\n"),
            "WEBFLOW_API_TOKEN",
        ),
    ];
    for (form, name) in &forms {
        let status = run(form, &["auth", "status"]);
        assert_eq!(status.status.code(), Some(0), "{form:?}: {}", text(&status));
        let first = text(&status).lines().next().unwrap_or_default().to_string();
        assert_eq!(first, from(name), "{form:?}");
    }
    let folders = run(
        &format!("export WEBFLOW_API_TOKEN=\"{token}\"\nWEBFLOW_SITE_ID='Brand Site' # ours\n"),
        &["folders", "--json"],
    );
    assert_eq!(folders.status.code(), Some(0), "{}", text(&folders));
    let listed = fake
        .requests()
        .iter()
        .filter(|r| {
            r.path
                .ends_with(&format!("/sites/{}/asset_folders", fake.site_id()))
        })
        .count();
    assert_eq!(listed, 1, "the folders of the site the name resolved to");
    // A file that does not parse is named by line, never quoted: an unclosed quote would
    // otherwise print everything after it.
    let broken_file = "OTHER=1\nWEBFLOW_TOKEN='wf-unterminated-secret\nWEBFLOW_SITE_ID=Brand\n";
    let broken = run(broken_file, &["auth", "status"]);
    assert_eq!(broken.status.code(), Some(1));
    let message = text(&broken);
    assert!(
        message.contains(&format!("{}, line 2", dot_env.display())),
        "{message}"
    );
    assert!(!message.contains("wf-unterminated-secret"), "{message}");
    assert!(!message.contains("Brand"), "{message}");
    // Not needed for the token, it is skipped with a warning, and the token's only site is
    // used.
    std::fs::write(&dot_env, broken_file).unwrap();
    let mut skipped = command(&fake, cwd.path(), &config, &["folders"]);
    skipped.env("WEBFLOW_TOKEN", token);
    let skipped = tokio::task::block_in_place(|| skipped.output().unwrap());
    assert_eq!(skipped.status.code(), Some(0), "{}", text(&skipped));
    let warning = String::from_utf8_lossy(&skipped.stderr).into_owned();
    assert!(warning.contains("line 2"), "{warning}");
    assert!(!warning.contains("wf-unterminated-secret"), "{warning}");
}

/// `auth login` stores the token, and says when a source above the stored login will be
/// used instead: the environment, or a `.env` file here.
#[tokio::test(flavor = "multi_thread")]
async fn login_says_when_another_source_will_win() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let cwd = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("config");
    let login = |env: &[(&str, &str)]| {
        let mut command = command(
            &fake,
            cwd.path(),
            &config,
            &["auth", "login", "--stdin", "--json"],
        );
        for (k, v) in env {
            command.env(k, v);
        }
        with_input(command, fake.token())
    };

    let alone = login(&[]).await;
    assert_eq!(alone.status.code(), Some(0), "{}", text(&alone));
    assert!(json_lines(&alone)[0].get("used_instead").is_none());
    assert!(!text(&alone).contains("warning"), "{}", text(&alone));

    let env = login(&[("WEBFLOW_API_TOKEN", "wf-other")]).await;
    assert_eq!(env.status.code(), Some(0), "{}", text(&env));
    assert_eq!(json_lines(&env)[0]["used_instead"], "$WEBFLOW_API_TOKEN");
    let warning = String::from_utf8_lossy(&env.stderr).into_owned();
    assert!(warning.contains("$WEBFLOW_API_TOKEN"), "{warning}");
    assert!(!text(&env).contains("wf-other"), "never the token");

    let dot_env = cwd.path().join(".env");
    std::fs::write(&dot_env, "WEBFLOW_TOKEN=wf-other\n").unwrap();
    let file = login(&[]).await;
    assert_eq!(file.status.code(), Some(0), "{}", text(&file));
    let winner = format!("WEBFLOW_TOKEN in {}", dot_env.display());
    assert_eq!(json_lines(&file)[0]["used_instead"], winner.as_str());
    assert!(
        String::from_utf8_lossy(&file.stderr).contains(&winner),
        "{}",
        text(&file)
    );
    assert!(!text(&file).contains("wf-other"), "never the token");
}
