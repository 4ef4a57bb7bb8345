//! Building the API client from the settings: the configured API, or the embedded sandbox
//! (with `--sandbox`, or with no base URL and no credentials); the token cache; logging.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use pressone_esim::{Client, FileTokenStore, MemoryTokenStore, TokenStore};
use pressone_esim_sandbox::{Sandbox, SandboxConfig, SandboxHandle};

use crate::cli::GlobalArgs;
use crate::config::{Settings, Source};
use crate::error::CliError;
use crate::history_cache::HistoryCache;

/// The header the voice API key is sent in.
pub const VOICE_API_KEY_HEADER: &str = "X-Api-Key";

/// The client and, when it talks to the embedded sandbox, the sandbox (kept running as long
/// as this value lives).
pub struct Connection {
    /// The API client.
    pub client: Client,
    /// The embedded sandbox, if used.
    pub sandbox: Option<SandboxHandle>,
    /// The package history cache across runs (not for the embedded sandbox, whose state is
    /// new on every run).
    pub history: Option<HistoryCache>,
}

/// Sets up `tracing` to stderr for `-v` (debug) and `-vv` (trace), for this tool's, the SDK's
/// and the sandbox's events only (the binary's own crate is also named `pressone_esim`):
/// HTTP-library internals (which could show headers) are never enabled.
/// Without `-v`, only warnings (e.g. an untrusted token cache file) are shown.
pub fn init_logging(verbose: u8, color: bool) {
    use tracing::Level;
    use tracing_subscriber::filter::Targets;
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;

    let level = match verbose {
        0 => Level::WARN,
        1 => Level::DEBUG,
        _ => Level::TRACE,
    };
    let filter = Targets::new()
        .with_target("pressone_esim", level)
        .with_target("pressone_esim_sandbox", level);
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(color && std::io::stderr().is_terminal())
        .with_target(verbose > 1);
    // Fails only if a subscriber is already set (never, in this binary).
    let _ = tracing_subscriber::registry()
        .with(layer)
        .with(filter)
        .try_init();
}

/// Starts the simulator in this process, on an ephemeral loopback port.
pub async fn start_embedded_sandbox(seed: Option<u64>) -> Result<SandboxHandle, CliError> {
    let mut config = SandboxConfig::default();
    if let Some(seed) = seed {
        config = config.seed(seed);
    }
    Sandbox::start(config)
        .await
        .map_err(|e| CliError::other(format!("could not start the embedded sandbox: {e}")))
}

/// Where a setting came from, named as the user gave it: `--base-url`, `PRESSONE_BASE_URL`
/// (flags and variables are the setting's name, e.g. `base_url`, spelt their way).
fn source_name(source: &Source, setting: &str) -> String {
    match source {
        Source::Flag => format!("--{}", setting.replace('_', "-")),
        Source::Env => format!("PRESSONE_{}", setting.to_ascii_uppercase()),
        Source::Profile => "the profile".to_string(),
        Source::Unset => "nowhere".to_string(),
    }
}

/// Whether the commands run against the embedded sandbox: `--sandbox`, or no base URL and
/// no credentials. Credentials without a base URL are refused before anything is sent.
pub fn uses_sandbox(settings: &Settings) -> Result<bool, CliError> {
    let c = &settings.connection;
    if settings.sandbox {
        if matches!(c.base_url.source, Source::Flag | Source::Env) {
            return Err(CliError::Usage(format!(
                "--sandbox conflicts with the base URL given by {}: use one or the other",
                source_name(&c.base_url.source, "base_url")
            )));
        }
        return Ok(true);
    }
    if c.base_url.value.is_some() {
        return Ok(false);
    }
    if settings.has_credentials() {
        let credentials = [
            ("a client id", "client_id", c.client_id.given()),
            ("a client secret", "client_secret", c.client_secret.given()),
            ("a voice API key", "voice_api_key", c.voice_api_key.given()),
        ];
        let given: Vec<String> = credentials
            .into_iter()
            .filter_map(|(what, name, source)| {
                Some(format!("{what} ({})", source_name(source?, name)))
            })
            .collect();
        return Err(CliError::Usage(format!(
            "{} but no base URL: nothing was sent. Set --base-url or PRESSONE_BASE_URL (or \
             base_url in the profile) to use the API, or pass --sandbox to use the embedded \
             sandbox",
            given.join(" and ")
        )));
    }
    Ok(true)
}

/// The client for a command: the configured API, or the embedded sandbox.
pub async fn connect(global: &GlobalArgs, settings: &Settings) -> Result<Connection, CliError> {
    if uses_sandbox(settings)? {
        let sandbox = start_embedded_sandbox(None).await?;
        let why = if settings.sandbox {
            "--sandbox"
        } else {
            "no base URL and no credentials configured"
        };
        eprintln!(
            "{} {why}: using the embedded sandbox at {} (simulated data, nothing is charged)",
            crate::output::prefix("note"),
            sandbox.base_url()
        );
        let client = sandbox_client(&sandbox, global.timeout)?;
        return Ok(Connection {
            client,
            sandbox: Some(sandbox),
            history: None,
        });
    }
    let base_url = settings
        .connection
        .base_url
        .value
        .as_deref()
        .unwrap_or_default();
    let client_id = settings
        .connection
        .client_id
        .value
        .as_deref()
        .ok_or_else(|| {
            CliError::Usage(
                "no client id: set --client-id, PRESSONE_CLIENT_ID or client_id in the profile"
                    .to_string(),
            )
        })?;
    let secret = settings
        .connection
        .client_secret
        .value
        .as_ref()
        .ok_or_else(|| {
            CliError::Usage(
                "no client secret: set PRESSONE_CLIENT_SECRET (or --client-secret, or \
             client_secret in a private profile)"
                    .to_string(),
            )
        })?;
    let mut builder = Client::builder()
        .base_url(base_url)
        .credentials(client_id, secret.expose())
        .user_agent_suffix(concat!("pressone-esim-cli/", env!("CARGO_PKG_VERSION")));
    builder = stores(builder, global)?;
    if let Some(voice) = &settings.connection.voice_base_url.value {
        builder = builder.voice_base_url(voice);
    }
    if let Some(key) = &settings.connection.voice_api_key.value {
        builder = builder.voice_api_key(VOICE_API_KEY_HEADER, key.expose());
    }
    builder = timeouts(builder, global.timeout);
    let client = builder.build()?;
    tracing::debug!(base_url = %client.base_url(), client_id, "client configured");
    let history = cache_dir(global).map(|dir| HistoryCache::new(&dir, base_url, client_id));
    Ok(Connection {
        client,
        sandbox: None,
        history,
    })
}

/// A client for a sandbox started in this process: its own credentials, tokens in memory
/// (the port and the tokens are new on every run).
pub fn sandbox_client(sandbox: &SandboxHandle, timeout: Option<u64>) -> Result<Client, CliError> {
    let builder = Client::builder()
        .base_url(sandbox.base_url())
        .voice_base_url(sandbox.voice_base_url())
        .credentials(sandbox.client_id(), sandbox.client_secret())
        .token_store(Arc::new(MemoryTokenStore::new()))
        .user_agent_suffix(concat!("pressone-esim-cli/", env!("CARGO_PKG_VERSION")));
    Ok(timeouts(builder, timeout).build()?)
}

fn timeouts(
    builder: pressone_esim::ClientBuilder,
    timeout: Option<u64>,
) -> pressone_esim::ClientBuilder {
    match timeout {
        Some(secs) => {
            let timeout = Duration::from_secs(secs);
            builder
                .request_timeout(timeout)
                .connect_timeout(timeout.min(Duration::from_secs(10)))
        }
        None => builder,
    }
}

/// The cache directory: `--cache-dir` / PRESSONE_CACHE_DIR, else
/// `<user cache dir>/pressone-esim`.
pub fn cache_dir(global: &GlobalArgs) -> Option<PathBuf> {
    match &global.cache_dir {
        Some(dir) if !dir.as_os_str().is_empty() => Some(dir.clone()),
        _ => Some(dirs::cache_dir()?.join("pressone-esim")),
    }
}

/// The token store of `--token-store` (a Redis store also shares package histories).
fn stores(
    builder: pressone_esim::ClientBuilder,
    global: &GlobalArgs,
) -> Result<pressone_esim::ClientBuilder, CliError> {
    let choice = global.token_store.as_ref().map(|s| s.expose());
    match choice {
        None | Some("file") => Ok(builder.token_store(token_store(global))),
        Some("memory") => Ok(builder.token_store(Arc::new(MemoryTokenStore::new()))),
        Some(url) if url.starts_with("redis://") || url.starts_with("rediss://") => {
            if global.no_token_cache {
                return Ok(builder.token_store(Arc::new(MemoryTokenStore::new())));
            }
            let redis = Arc::new(pressone_esim::RedisTokenStore::new(url)?);
            tracing::debug!(store = ?redis, "token store: Redis");
            Ok(builder.token_store(redis.clone()).shared_cache(redis))
        }
        Some(_) => Err(CliError::Usage(
            "--token-store must be memory, file or a redis:// or rediss:// URL".to_string(),
        )),
    }
}

fn token_store(global: &GlobalArgs) -> Arc<dyn TokenStore> {
    if global.no_token_cache {
        tracing::debug!("token cache disabled: the token is kept in memory");
        return Arc::new(MemoryTokenStore::new());
    }
    let Some(dir) = cache_dir(global) else {
        tracing::debug!("no cache directory: the token is kept in memory");
        return Arc::new(MemoryTokenStore::new());
    };
    if let Err(e) = create_private_dir(&dir) {
        tracing::warn!(path = %dir.display(), error = %e, "could not create the cache directory");
    }
    let path = dir.join("tokens.json");
    tracing::debug!(path = %path.display(), "token cache file");
    Arc::new(FileTokenStore::new(path))
}

/// Creates a directory readable by its owner only (an existing one is left as is).
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    if dir.as_os_str().is_empty() || dir.exists() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}
