//! `completions` and the hidden `man` run by the built command: they need no token, site or
//! network, so a package script or `cargo xtask man` can run them anywhere.

use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_webflow-assets");

/// The command with no token or site anywhere: an empty environment, in an empty directory.
fn bare(args: &[&str], cwd: &std::path::Path) -> Output {
    Command::new(BIN)
        .args(args)
        .env_clear()
        .current_dir(cwd)
        .output()
        .unwrap()
}

#[test]
fn completions_print_a_script_for_each_shell_without_a_token() {
    let dir = tempfile::tempdir().unwrap();
    for (shell, marker) in [
        ("bash", "-o default webflow-assets"),
        ("zsh", "#compdef webflow-assets"),
        ("fish", "complete -c webflow-assets"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[webflow-assets]"),
    ] {
        let out = bare(&["completions", shell], dir.path());
        let script = String::from_utf8(out.stdout).unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{shell}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            script.contains(marker),
            "{shell}: no `{marker}` in {script:.300}"
        );
        assert!(script.contains("sync"), "{shell}: sync is not completed");
    }
}

#[test]
fn an_unknown_shell_is_a_usage_error_naming_the_choices() {
    let dir = tempfile::tempdir().unwrap();
    let out = bare(&["completions", "tcsh"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("bash") && stderr.contains("powershell"),
        "{stderr}"
    );
}

#[test]
fn man_writes_the_top_page_and_one_per_subcommand() {
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("man/man1");
    let out = bare(&["man", pages.to_str().unwrap()], dir.path());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let top = std::fs::read_to_string(pages.join("webflow-assets.1")).unwrap();
    assert!(top.contains(".TH webflow-assets 1"), "{top:.300}");
    for page in [
        "webflow-assets-sync.1",
        "webflow-assets-fonts-ls.1",
        "webflow-assets-completions.1",
    ] {
        assert!(pages.join(page).is_file(), "no {page}");
    }
    // The hidden subcommand documents nothing to the user.
    assert!(!pages.join("webflow-assets-man.1").exists());
}
