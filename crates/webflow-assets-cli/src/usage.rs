//! Parsing the arguments. With `--json`, a usage error is one JSON line on standard output
//! (code `usage`, exit status 2), like every other failure; help and version print as usual.

use clap::error::ErrorKind;

use crate::failure::Code;
use crate::lines::Line;

/// The parsed arguments, or the process ends with status 2 (0 for help and version).
pub fn parse<T: clap::Parser>() -> T {
    let error = match T::try_parse() {
        Ok(cli) => return cli,
        Err(error) => error,
    };
    let json = std::env::args_os()
        .skip(1)
        .take_while(|arg| arg != "--")
        .any(|arg| arg == "--json");
    let shown = matches!(
        error.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    );
    if !json || shown {
        error.exit();
    }
    // clap's first paragraph (the error and what it names), without its `error: ` prefix
    // and the usage lines after it.
    let text = error.render().to_string();
    let paragraph: Vec<&str> = text
        .trim_start()
        .lines()
        .take_while(|line| !line.trim().is_empty())
        .map(str::trim)
        .collect();
    let message = paragraph.join(" ");
    let message = message.strip_prefix("error: ").unwrap_or(&message);
    crate::lines::print(&Line::Error {
        error: message.to_string(),
        code: Code::Usage,
        kind: None,
        hint: Some("see --help".into()),
    });
    std::process::exit(2);
}
