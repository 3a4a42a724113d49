//! The stored login: `auth login` keeps one token in a file only its user can read, under
//! the platform's config directory (`$XDG_CONFIG_HOME/webflow-assets/token` on Linux,
//! `~/Library/Application Support/webflow-assets/token` on macOS,
//! `%APPDATA%\webflow-assets\config\token` on Windows), or under `$WEBFLOW_ASSETS_CONFIG_DIR`
//! when that is set. It is the last place a token is looked for.
//!
//! On Unix the file is created with mode 0600 (set again on the open file, and checked) and
//! replaced atomically; a directory others can write to, or another user's, is refused,
//! since they could swap the file. It is read without following a symbolic link, and only
//! if it is a regular file of the current user's that others cannot read.
//!
//! Elsewhere (Windows) modes cannot be set: the file relies on the access list it inherits
//! from the user's profile directory, which only the user (and administrators) can read. So
//! a token is only stored under that profile directory; a `$WEBFLOW_ASSETS_CONFIG_DIR`
//! outside it is refused.

use std::fs::OpenOptions;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// The variable that moves the config directory (tests, or several logins side by side).
pub const CONFIG_DIR_VAR: &str = "WEBFLOW_ASSETS_CONFIG_DIR";

/// The token file's name in the config directory.
const FILE: &str = "token";

/// Where the stored login lives: `$WEBFLOW_ASSETS_CONFIG_DIR/token`, else the platform's
/// config directory for this program. `None` when the platform has no home directory.
pub fn token_file(env: &impl Fn(&str) -> Option<String>) -> Option<PathBuf> {
    let dir = match env(CONFIG_DIR_VAR).filter(|dir| !dir.trim().is_empty()) {
        Some(dir) => PathBuf::from(dir),
        // The bare name, not a reverse-DNS id: the directory people look for.
        None => directories::ProjectDirs::from_path(PathBuf::from("webflow-assets"))?
            .config_dir()
            .to_path_buf(),
    };
    Some(dir.join(FILE))
}

/// The stored token, if there is one. A file of blanks is none; a file that holds more
/// than one word (not what `auth login` writes) is an error.
pub fn read(path: &Path) -> Result<Option<String>> {
    let mut options = OpenOptions::new();
    options.read(true);
    // A link could point anywhere, such as a file another user controls.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NOFOLLOW);
    let mut file = match options.open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        #[cfg(unix)]
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => bail!(
            "{} is a symbolic link, which the stored login never is; remove it and run \
             `webflow-assets auth login` again",
            path.display()
        ),
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    };
    // Everything from the open file: the path could be swapped between two looks.
    let metadata = file
        .metadata()
        .with_context(|| format!("reading {}", path.display()))?;
    if !metadata.is_file() {
        bail!(
            "{} is not a regular file; remove it and run `webflow-assets auth login` again",
            path.display()
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        check_owner(path, metadata.uid(), current_user())?;
        let mode = metadata.permissions().mode();
        if mode & 0o077 != 0 {
            bail!(
                "{} can be read by others (mode {:o}); run `webflow-assets auth login` again \
                 or `chmod 600` it",
                path.display(),
                mode & 0o777
            );
        }
    }
    let mut text = String::new();
    std::io::Read::read_to_string(&mut file, &mut text)
        .with_context(|| format!("reading {}", path.display()))?;
    let token = text.trim();
    if token.is_empty() {
        return Ok(None);
    }
    check_token(token).with_context(|| {
        format!(
            "{} does not hold a stored login; run `webflow-assets auth login` again",
            path.display()
        )
    })?;
    Ok(Some(token.to_string()))
}

/// The user this process runs as.
#[cfg(unix)]
fn current_user() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

/// Refuses `path` when it belongs to `owner` and this process runs as `ours`: another user
/// could replace or read what is there.
#[cfg(unix)]
fn check_owner(path: &Path, owner: u32, ours: u32) -> Result<()> {
    if owner != ours {
        bail!(
            "refusing {}: it belongs to another user (uid {owner}), who could replace the \
             token; set {CONFIG_DIR_VAR} to a directory of yours",
            path.display()
        );
    }
    Ok(())
}

/// A token is one word: what `auth login` accepts, and what it stores.
fn check_token(token: &str) -> Result<()> {
    if token.is_empty() {
        bail!("no token given");
    }
    if token.chars().any(|c| c.is_whitespace() || c.is_control()) {
        bail!("a token is one word, without spaces");
    }
    Ok(())
}

/// The token to log in with: one line of standard input with `--stdin` (unless that is a
/// terminal), else typed at a prompt that does not echo it. Never waits for a terminal that
/// is not there.
pub fn read_token(stdin: bool) -> Result<String> {
    let terminal = std::io::stdin().is_terminal();
    // `--stdin` at a terminal would show the token as it is typed: prompt without echo.
    let line = if stdin && !terminal {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .context("reading the token from standard input")?;
        line
    } else if terminal {
        rpassword::prompt_password("Webflow API token (not shown): ")
            .context("reading the token from the terminal")?
    } else {
        bail!(
            "no terminal to type the token at: pipe it in with `auth login --stdin` \
             (never as an argument, which shell history would keep)"
        );
    };
    let token = line.trim();
    check_token(token)?;
    Ok(token.to_string())
}

/// Stores `token` at `path`, readable by its owner only, replacing any stored before.
pub fn store(path: &Path, token: &str) -> Result<()> {
    let dir = path.parent().context("the token file has no directory")?;
    create_private_dir(dir)?;
    refuse_shared_dir(dir)?;
    // A new file beside the old one, renamed over it: the old token stays whole until the new
    // one is, and a file made by someone else keeps none of its looser mode.
    let temporary = dir.join(format!(".{FILE}.{}", std::process::id()));
    let _ = std::fs::remove_file(&temporary);
    let written = write_private(dir, &temporary, token)
        .and_then(|()| std::fs::rename(&temporary, path).context("moving the token in place"));
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written.with_context(|| format!("storing the token in {}", path.display()))?;
    // The rename is durable only once the directory is.
    #[cfg(unix)]
    std::fs::File::open(dir)
        .and_then(|dir| dir.sync_all())
        .with_context(|| format!("syncing {}", dir.display()))?;
    Ok(())
}

/// Removes the stored token; whether there was one.
pub fn remove(path: &Path) -> Result<bool> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e).with_context(|| format!("removing {}", path.display())),
    }
}

fn create_private_dir(dir: &Path) -> Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .with_context(|| format!("creating {}", dir.display()))
}

/// Refuses a directory others may write to: they could replace the token file.
pub fn refuse_shared_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir)
            .with_context(|| format!("reading {}", dir.display()))?
            .permissions()
            .mode();
        if mode & 0o022 != 0 {
            bail!(
                "refusing to store the token in {}: others can write to it (mode {:o}); \
                 set {CONFIG_DIR_VAR} to a private directory",
                dir.display(),
                mode & 0o777
            );
        }
    }
    #[cfg(not(unix))]
    {
        // No mode to set: only the profile directory's access list keeps others out.
        let home = directories::BaseDirs::new()
            .map(|dirs| dirs.home_dir().to_path_buf())
            .context("no profile directory to keep the token in")?;
        // Both in one spelling (short 8.3 names, case, `\\?\` prefixes): the directory
        // exists by now.
        let home = std::fs::canonicalize(&home).unwrap_or(home);
        let real =
            std::fs::canonicalize(dir).with_context(|| format!("reading {}", dir.display()))?;
        if !real.starts_with(&home) {
            bail!(
                "refusing to store the token in {}: outside your profile directory ({}) its \
                 access cannot be limited to you; unset {CONFIG_DIR_VAR} or point it inside",
                dir.display(),
                home.display()
            );
        }
    }
    Ok(())
}

/// Writes a new file in `dir` that only its owner can read, and checks that it stayed so and
/// that `dir` is that owner's too (another user could replace the file).
fn write_private(dir: &Path, path: &Path, token: &str) -> Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        use std::os::unix::fs::PermissionsExt;
        let owner = std::fs::metadata(dir)?.uid();
        check_owner(dir, owner, current_user())?;
        // A umask can only narrow the mode given at creation; set it on the open file all the
        // same, then check what the file system kept.
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        let mode = file.metadata()?.permissions().mode() & 0o777;
        if mode != 0o600 {
            bail!(
                "refusing to store the token: {} keeps mode {mode:o}, not 600, though it was \
                 set; set {CONFIG_DIR_VAR} to a directory on another file system",
                path.display()
            );
        }
    }
    #[cfg(not(unix))]
    let _ = dir;
    writeln!(file, "{token}")?;
    file.sync_all()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_config_dir_variable_moves_the_file() {
        let file = token_file(&|name| (name == CONFIG_DIR_VAR).then(|| "/some/dir".to_string()));
        assert_eq!(file, Some(PathBuf::from("/some/dir/token")));
        let unset = token_file(&|_| Some(String::new()));
        // Blanks count as unset, as in every other variable.
        assert_eq!(token_file(&|_| Some("  ".to_string())), unset);
        #[cfg(target_os = "linux")]
        if let Some(path) = unset {
            assert!(path.ends_with("webflow-assets/token"), "{}", path.display());
        }
        #[cfg(not(target_os = "linux"))]
        let _ = unset;
    }

    #[test]
    fn store_read_and_remove() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/config/token");
        assert_eq!(read(&path).unwrap(), None);
        store(&path, "first").unwrap();
        store(&path, "second").unwrap();
        assert_eq!(read(&path).unwrap().as_deref(), Some("second"));
        assert_eq!(
            std::fs::read_dir(path.parent().unwrap()).unwrap().count(),
            1
        );
        assert!(remove(&path).unwrap());
        assert!(!remove(&path).unwrap());
        assert_eq!(read(&path).unwrap(), None);
    }

    #[cfg(unix)]
    #[test]
    fn only_the_owner_reads_it_and_a_shared_directory_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("private/token");
        store(&path, "secret").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(path.parent().unwrap()), 0o700);

        // A token file others can read is not used.
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(
            read(&path)
                .unwrap_err()
                .to_string()
                .contains("read by others")
        );
        // Storing again replaces it with a private file.
        store(&path, "again").unwrap();
        assert_eq!(mode(&path), 0o600);

        let shared = dir.path().join("shared");
        std::fs::create_dir(&shared).unwrap();
        std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o777)).unwrap();
        let refused = store(&shared.join("token"), "secret").unwrap_err();
        assert!(
            format!("{refused:#}").contains("others can write"),
            "{refused:#}"
        );
        assert_eq!(std::fs::read_dir(&shared).unwrap().count(), 0);
    }

    /// The owner check on its own, so that it runs as any user (making a directory of
    /// another user's needs root).
    #[cfg(unix)]
    #[test]
    fn a_path_of_another_user_is_refused() {
        let path = Path::new("/somewhere/token");
        assert!(check_owner(path, 1000, 1000).is_ok());
        let refused = check_owner(path, 65534, 1000).unwrap_err().to_string();
        assert!(refused.contains("another user (uid 65534)"), "{refused}");
        assert!(refused.contains("/somewhere/token"), "{refused}");
        // And the stored file is checked against the user the process runs as.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("token");
        store(&path, "mine").unwrap();
        use std::os::unix::fs::MetadataExt;
        assert_eq!(std::fs::metadata(&path).unwrap().uid(), current_user());
        assert_eq!(read(&path).unwrap().as_deref(), Some("mine"));
    }

    #[cfg(unix)]
    #[test]
    fn a_link_or_a_directory_is_not_read() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = dir.path().join("elsewhere");
        std::fs::write(&elsewhere, "wf-linked\n").unwrap();
        std::fs::set_permissions(&elsewhere, std::fs::Permissions::from_mode(0o600)).unwrap();
        let link = dir.path().join("token");
        std::os::unix::fs::symlink(&elsewhere, &link).unwrap();
        let refused = format!("{:#}", read(&link).unwrap_err());
        assert!(refused.contains("symbolic link"), "{refused}");
        assert!(!refused.contains("wf-linked"), "{refused}");

        let directory = dir.path().join("directory");
        std::fs::create_dir(&directory).unwrap();
        let refused = format!("{:#}", read(&directory).unwrap_err());
        assert!(refused.contains("not a regular file"), "{refused}");
    }

    #[test]
    fn a_stored_value_of_several_words_is_refused_and_blanks_are_none() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("token");
        store(&path, "placeholder").unwrap();
        let replace = |text: &str| {
            let mut file = OpenOptions::new()
                .write(true)
                .truncate(true)
                .open(&path)
                .unwrap();
            file.write_all(text.as_bytes()).unwrap();
        };
        replace("wf-first\nwf-second\n");
        let refused = format!("{:#}", read(&path).unwrap_err());
        assert!(refused.contains("one word"), "{refused}");
        assert!(!refused.contains("wf-first"), "{refused}");
        replace("  \n\n");
        assert_eq!(read(&path).unwrap(), None);
        replace("  wf-token  \n");
        assert_eq!(read(&path).unwrap().as_deref(), Some("wf-token"));
    }
}
