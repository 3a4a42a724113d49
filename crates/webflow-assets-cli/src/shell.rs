//! Shell completions and man pages, both generated from the command's one clap definition so
//! they can never describe options the command does not have.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use clap_complete::Shell;

/// The name the command is installed under, which the scripts register completions for.
const BIN: &str = "webflow-assets";

/// Writes the completion script for `shell` to `out`.
pub fn completions(shell: Shell, mut command: clap::Command, out: &mut dyn Write) {
    clap_complete::generate(shell, &mut command, BIN, out);
}

/// Writes one man page for the command and one for each (visible) subcommand, nested ones
/// included, into `dir` (created if needed): `webflow-assets.1`, `webflow-assets-sync.1`,
/// `webflow-assets-fonts-ls.1`, …
pub fn man_pages(command: clap::Command, dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    clap_mangen::generate_to(command, dir)
}

/// `webflow-assets completions SHELL`: the script on standard output.
pub fn print_completions(shell: Shell, command: clap::Command) -> ExitCode {
    // Rendered first: clap_complete panics when its writer fails, as stdout does when piped
    // into `head`.
    let mut script = Vec::new();
    completions(shell, command, &mut script);
    match crate::stdout::write(&script) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            crate::stderr::line(&format!("error: writing the completions: {e}"));
            ExitCode::FAILURE
        }
    }
}

/// `webflow-assets man DIR` (hidden; `cargo xtask man` runs it): the pages, then their paths.
pub fn write_man_pages(command: clap::Command, dir: &Path) -> ExitCode {
    match man_pages(command, dir) {
        Ok(()) => {
            crate::stdout::line(&format!("wrote the man pages into {}", dir.display()));
            ExitCode::SUCCESS
        }
        Err(e) => {
            crate::stderr::line(&format!(
                "error: writing the man pages into {}: {e}",
                dir.display()
            ));
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, ValueEnum};

    use super::*;

    /// Every visible subcommand, nested ones included, as its path of names.
    fn subcommands(command: &clap::Command, parents: &[String], all: &mut Vec<Vec<String>>) {
        for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
            let mut path = parents.to_vec();
            path.push(sub.get_name().to_owned());
            subcommands(sub, &path, all);
            all.push(path);
        }
    }

    fn all_subcommands() -> Vec<Vec<String>> {
        let mut all = Vec::new();
        subcommands(&crate::Cli::command(), &[], &mut all);
        all
    }

    #[test]
    fn the_walk_finds_top_level_and_nested_subcommands() {
        // Guards the walk itself: were it to find nothing, the tests below would pass vacuously.
        let all = all_subcommands();
        for expected in [
            &["sync"][..],
            &["completions"],
            &["fonts", "ls"],
            &["auth", "status"],
        ] {
            assert!(
                all.iter().any(|path| path == expected),
                "{expected:?} not in {all:?}"
            );
        }
        assert!(!all.iter().any(|path| path == &["man"]), "man is hidden");
    }

    #[test]
    fn every_shell_completes_every_subcommand() {
        let all = all_subcommands();
        for shell in Shell::value_variants() {
            let mut script = Vec::new();
            completions(*shell, crate::Cli::command(), &mut script);
            let script = String::from_utf8(script).unwrap();
            assert!(script.contains(BIN), "{shell}: no {BIN} in the script");
            for path in &all {
                let marker = marker(*shell, path);
                assert!(
                    script
                        .lines()
                        .any(|line| marker.iter().all(|part| line.contains(part.as_str()))),
                    "{shell}: the completions do not name `{}` (no {marker:?})",
                    path.join(" ")
                );
            }
        }
    }

    /// What one line of each shell's script holds for a subcommand at `path`, and only for
    /// it: the full path, so `fonts ls` is not satisfied by the top-level `ls`.
    fn marker(shell: Shell, path: &[String]) -> Vec<String> {
        let (parents, name) = path.split_at(path.len() - 1);
        let name = &name[0];
        match shell {
            // The case label that enters the subcommand: `webflow__assets__subcmd__fonts,ls)`.
            Shell::Bash => {
                let state: String = std::iter::once("webflow__assets".to_string())
                    .chain(parents.iter().map(|p| format!("__subcmd__{p}")))
                    .collect();
                vec![format!("{state},{name})")]
            }
            // The word offered once the parents are on the line.
            Shell::Fish => match parents {
                [] => vec![
                    "-n \"__fish_webflow_assets_needs_command\"".to_string(),
                    format!(" -a \"{name}\""),
                ],
                _ => vec![
                    format!(
                        "__fish_webflow_assets_using_subcommand {}; and not \
                         __fish_seen_subcommand_from",
                        parents.join(" ")
                    ),
                    format!(" -a \"{name}\""),
                ],
            },
            // The function completing the subcommand's own words.
            Shell::Zsh => vec![format!(
                "_webflow-assets__subcmd__{}_commands() {{",
                path.join("__subcmd__")
            )],
            Shell::PowerShell => vec![format!("'{BIN};{}' {{", path.join(";"))],
            Shell::Elvish => vec![format!("&'{BIN};{}'= {{", path.join(";"))],
            other => panic!("no marker for {other}"),
        }
    }

    #[test]
    fn the_man_pages_name_every_subcommand_and_each_has_its_own_page() {
        let dir = tempfile::tempdir().unwrap();
        man_pages(crate::Cli::command(), &dir.path().join("man1")).unwrap();
        let page = |name: &str| {
            std::fs::read_to_string(dir.path().join("man1").join(format!("{name}.1")))
                .unwrap_or_else(|e| panic!("{name}.1: {e}"))
        };
        let top = page(BIN);
        assert!(top.contains(".TH webflow-assets 1"), "{top:.400}");
        for path in all_subcommands() {
            if path.len() == 1 {
                // The top page's SUBCOMMANDS section lists each one in bold.
                let listed = format!("webflow\\-assets\\-{}(1)", path[0].replace('-', "\\-"));
                assert!(top.contains(&listed), "the top page does not list {listed}");
            }
            let own = page(&format!("{BIN}-{}", path.join("-")));
            assert!(own.contains(".SH NAME"), "{}: {own:.200}", path.join(" "));
        }
    }
}
