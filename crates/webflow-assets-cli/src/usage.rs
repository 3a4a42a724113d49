//! Parsing the arguments. With `--json` (or `--format json`), a usage error is one JSON line
//! on standard output (code `usage`, exit status 2), like every other failure, a missing
//! subcommand included; asked-for help and version print as usual.

use clap::error::ErrorKind;

use crate::failure::Code;
use crate::lines::Line;

/// The parsed arguments, or the process ends with status 2 (0 for help and version).
pub fn parse<T: clap::Parser>() -> T {
    let error = match T::try_parse() {
        Ok(cli) => return cli,
        Err(error) => error,
    };
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    let shown = matches!(
        error.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    );
    if !wants_json(&args) || shown {
        error.exit();
    }
    let message = match error.kind() {
        // clap shows the help then; a script needs the error.
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "a subcommand is required".to_string()
        }
        _ => {
            // clap's first paragraph (the error and what it names), without its `error: `
            // prefix and the usage lines after it.
            let text = error.render().to_string();
            let paragraph: Vec<&str> = text
                .trim_start()
                .lines()
                .take_while(|line| !line.trim().is_empty())
                .map(str::trim)
                .collect();
            let message = paragraph.join(" ");
            message
                .strip_prefix("error: ")
                .unwrap_or(&message)
                .to_string()
        }
    };
    crate::lines::print(&Line::Error {
        error: message,
        code: Code::Usage,
        kind: None,
        hint: Some("see --help".into()),
    });
    crate::exit::usage_error();
}

/// Whether the arguments ask for JSON lines: `--json`, or `--format json` (`ls`), as the
/// command decides once they parse.
fn wants_json(args: &[std::ffi::OsString]) -> bool {
    let args: Vec<&std::ffi::OsStr> = args
        .iter()
        .map(|arg| arg.as_os_str())
        .take_while(|arg| *arg != "--")
        .collect();
    args.iter().enumerate().any(|(i, arg)| {
        *arg == "--json"
            || *arg == "--format=json"
            || (*arg == "--format" && args.get(i + 1).is_some_and(|next| *next == "json"))
    })
}

#[cfg(test)]
mod tests {
    use super::wants_json;

    #[test]
    fn format_json_asks_for_json_as_json_does() {
        let args = |list: &[&str]| list.iter().map(Into::into).collect::<Vec<_>>();
        assert!(wants_json(&args(&["ls", "--json"])));
        assert!(wants_json(&args(&["ls", "--format", "json"])));
        assert!(wants_json(&args(&["ls", "--format=json"])));
        assert!(!wants_json(&args(&["ls", "--format", "csv"])));
        assert!(!wants_json(&args(&["upload", "--", "--json"])));
    }
}
