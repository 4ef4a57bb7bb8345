//! The effective settings: command-line flags, then the environment, then a profile of the
//! config file (`[profiles.NAME]` in `config.toml`), each value with where it came from.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap::ArgMatches;
use clap::parser::ValueSource;
use serde::{Deserialize, Serialize};

use crate::cli::{GlobalArgs, Secret};
use crate::error::CliError;

/// The profile used when none is named.
const DEFAULT_PROFILE: &str = "default";

/// The settings a connection is made from, each a `T` (text) or a `K` (secret): `Option`s in
/// a profile of the config file, [`Sourced`] values once resolved. One declaration, so that
/// the file, the resolution and `config show` name the same settings.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Connection<T, K> {
    /// The data API's base URL.
    pub base_url: T,
    /// The voice API's base URL.
    pub voice_base_url: T,
    /// The client id.
    pub client_id: T,
    /// The client secret.
    pub client_secret: K,
    /// The voice API key (flags and environment only: a profile does not hold it).
    #[serde(skip)]
    pub voice_api_key: K,
}

/// One profile of the config file.
type Profile = Connection<Option<String>, Option<Secret>>;

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Secret::from)
    }
}

#[derive(Debug, Default, Deserialize)]
struct ConfigFile {
    #[serde(default)]
    profiles: BTreeMap<String, Profile>,
}

/// Where a setting came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// A command-line flag.
    Flag,
    /// An environment variable.
    Env,
    /// A profile of the config file.
    Profile,
    /// Not set.
    Unset,
}

/// A setting and where it came from.
#[derive(Clone, Debug)]
pub struct Sourced<T> {
    /// The value.
    pub value: Option<T>,
    /// Where it came from.
    pub source: Source,
}

impl<T> Sourced<T> {
    /// Where the setting came from, when it is set.
    pub fn given(&self) -> Option<&Source> {
        self.value.as_ref().map(|_| &self.source)
    }

    fn unset() -> Self {
        Sourced {
            value: None,
            source: Source::Unset,
        }
    }
}

/// The settings a connection is made from.
#[derive(Debug)]
pub struct Settings {
    /// The profile in use, if any.
    pub profile: Option<String>,
    /// The config file (whether or not it exists).
    pub config_path: Option<PathBuf>,
    /// The connection settings and where each came from.
    pub connection: Connection<Sourced<String>, Sourced<Secret>>,
    /// Whether `--sandbox` / PRESSONE_SANDBOX was given.
    pub sandbox: bool,
}

impl Settings {
    /// Whether any credential is set (client id, client secret or voice API key).
    pub fn has_credentials(&self) -> bool {
        let c = &self.connection;
        c.client_id.value.is_some()
            || c.client_secret.value.is_some()
            || c.voice_api_key.value.is_some()
    }
}

fn source_of(matches: Option<&ArgMatches>, id: &str) -> Source {
    let found = matches.and_then(|m| find_source(m, id));
    match found {
        Some(ValueSource::EnvVariable) => Source::Env,
        Some(ValueSource::CommandLine) => Source::Flag,
        _ => Source::Flag,
    }
}

/// Global arguments are recorded on the subcommand that was given after them: look down the
/// chain of subcommands too.
fn find_source(matches: &ArgMatches, id: &str) -> Option<ValueSource> {
    let mut source = matches.value_source(id);
    let mut current = matches;
    while let Some((_, sub)) = current.subcommand() {
        if let Some(s) = sub.value_source(id)
            && (source.is_none() || s == ValueSource::CommandLine)
        {
            source = Some(s);
        }
        current = sub;
    }
    source
}

fn non_empty(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

fn non_empty_secret(value: Option<&Secret>) -> Option<Secret> {
    value.filter(|s| !s.expose().trim().is_empty()).cloned()
}

fn pick<T>(
    given: Option<T>,
    id: &str,
    matches: Option<&ArgMatches>,
    profile: Option<T>,
) -> Sourced<T> {
    match (given, profile) {
        (Some(value), _) => Sourced {
            value: Some(value),
            source: source_of(matches, id),
        },
        (None, Some(value)) => Sourced {
            value: Some(value),
            source: Source::Profile,
        },
        (None, None) => Sourced::unset(),
    }
}

/// The default config file: `<config dir>/pressone-esim/config.toml`.
pub fn default_config_path() -> Option<PathBuf> {
    Some(
        dirs::config_dir()?
            .join("pressone-esim")
            .join("config.toml"),
    )
}

/// Resolves the settings: flags > environment > profile.
pub fn resolve(global: &GlobalArgs, matches: Option<&ArgMatches>) -> Result<Settings, CliError> {
    let config_path = match &global.config {
        Some(path) if !path.as_os_str().is_empty() => Some(path.clone()),
        _ => default_config_path(),
    };
    let named = non_empty(global.profile.as_deref());
    let file = match &config_path {
        Some(path) => read_config(path)?,
        None => None,
    };
    let (profile_name, profile) = match (named, file) {
        (Some(name), Some(mut file)) => match file.profiles.remove(&name) {
            Some(profile) => (Some(name), profile),
            None => {
                return Err(CliError::Usage(format!(
                    "no profile {name:?} in {}",
                    display(config_path.as_deref())
                )));
            }
        },
        (Some(name), None) => {
            return Err(CliError::Usage(format!(
                "profile {name:?} asked for, but there is no config file at {}",
                display(config_path.as_deref())
            )));
        }
        (None, Some(mut file)) => match file.profiles.remove(DEFAULT_PROFILE) {
            Some(profile) => (Some(DEFAULT_PROFILE.to_string()), profile),
            None => (None, Profile::default()),
        },
        (None, None) => (None, Profile::default()),
    };
    // A setting from the flag or environment, else the profile (blank values count as unset).
    let text = |given: &Option<String>, id: &str, from_profile: &Option<String>| {
        let (given, from_profile) = (given.as_deref(), from_profile.as_deref());
        pick(non_empty(given), id, matches, non_empty(from_profile))
    };
    let secret = |given: &Option<Secret>, id: &str, from_profile: Option<&Secret>| {
        let given = non_empty_secret(given.as_ref());
        pick(given, id, matches, non_empty_secret(from_profile))
    };
    Ok(Settings {
        profile: profile_name,
        config_path,
        connection: Connection {
            base_url: text(&global.base_url, "base_url", &profile.base_url),
            voice_base_url: text(
                &global.voice_base_url,
                "voice_base_url",
                &profile.voice_base_url,
            ),
            client_id: text(&global.client_id, "client_id", &profile.client_id),
            client_secret: secret(
                &global.client_secret,
                "client_secret",
                profile.client_secret.as_ref(),
            ),
            voice_api_key: secret(&global.voice_api_key, "voice_api_key", None),
        },
        sandbox: global.sandbox,
    })
}

fn display(path: Option<&Path>) -> String {
    path.map_or_else(
        || "(no config directory)".to_string(),
        |p| p.display().to_string(),
    )
}

/// Reads the config file, if it exists. A file that holds a secret and that group or others
/// may read is refused, as ssh refuses such a key.
fn read_config(path: &Path) -> Result<Option<ConfigFile>, CliError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(CliError::Usage(format!(
                "could not read the config file {}: {e}",
                path.display()
            )));
        }
    };
    let file: ConfigFile = toml::from_str(&text).map_err(|e| {
        CliError::Usage(format!(
            "the config file {} is not valid: {}",
            path.display(),
            e.message()
        ))
    })?;
    let holds_secret = file.profiles.values().any(|p| p.client_secret.is_some());
    if holds_secret {
        check_private(path)?;
    }
    Ok(Some(file))
}

#[cfg(unix)]
fn check_private(path: &Path) -> Result<(), CliError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)
        .map_err(|e| CliError::Usage(format!("could not read {}: {e}", path.display())))?
        .permissions()
        .mode();
    if mode & 0o077 != 0 {
        return Err(CliError::Usage(format!(
            "the config file {} holds a client secret but is readable by others (mode {:o}): \
             run `chmod 600 {}` or move the secret to PRESSONE_CLIENT_SECRET",
            path.display(),
            mode & 0o777,
            path.display()
        )));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_path: &Path) -> Result<(), CliError> {
    Ok(())
}

/// What `config show` prints: each setting, redacted when secret, with its source.
#[derive(Debug, Serialize)]
pub struct ShownSetting {
    /// The setting's name.
    pub name: &'static str,
    /// Its value (`[redacted]` for secrets), `null` when unset.
    pub value: Option<String>,
    /// Where it came from.
    pub source: Source,
}

impl crate::output::Row for ShownSetting {
    fn headers() -> &'static [&'static str] {
        &["Setting", "Value", "Source"]
    }
    fn cells(&self) -> Vec<String> {
        let source = match self.source {
            Source::Flag => "flag",
            Source::Env => "env",
            Source::Profile => "profile",
            Source::Unset => "-",
        };
        vec![
            self.name.to_string(),
            self.value.clone().unwrap_or_else(|| "-".to_string()),
            source.to_string(),
        ]
    }
    fn whole_columns() -> &'static [usize] {
        &[0, 1, 2]
    }
}

/// The effective settings for `config show`.
pub fn shown(settings: &Settings) -> Vec<ShownSetting> {
    let plain = |name, s: &Sourced<String>| ShownSetting {
        name,
        value: s.value.clone(),
        source: s.source.clone(),
    };
    let secret = |name, s: &Sourced<Secret>| ShownSetting {
        name,
        value: s.value.as_ref().map(|_| "[redacted]".to_string()),
        source: s.source.clone(),
    };
    let c = &settings.connection;
    let (mode, mode_source) = if settings.sandbox {
        ("embedded sandbox (--sandbox)", Source::Flag)
    } else if c.base_url.value.is_some() {
        ("API at the base URL", c.base_url.source.clone())
    } else if settings.has_credentials() {
        ("error: credentials without a base URL", Source::Unset)
    } else {
        (
            "embedded sandbox (no base URL, no credentials)",
            Source::Unset,
        )
    };
    vec![
        ShownSetting {
            name: "config_file",
            value: settings
                .config_path
                .as_ref()
                .map(|p| p.display().to_string()),
            source: Source::Unset,
        },
        ShownSetting {
            name: "profile",
            value: settings.profile.clone(),
            source: if settings.profile.is_some() {
                Source::Profile
            } else {
                Source::Unset
            },
        },
        ShownSetting {
            name: "target",
            value: Some(mode.to_string()),
            source: mode_source,
        },
        plain("base_url", &c.base_url),
        plain("voice_base_url", &c.voice_base_url),
        plain("client_id", &c.client_id),
        secret("client_secret", &c.client_secret),
        secret("voice_api_key", &c.voice_api_key),
    ]
}
