//! Typed configuration: `config.toml` parsed with unknown keys rejected, validated, with defaults as named
//! constants. Precedence is command line > environment > file > defaults; the command line and the
//! environment are applied by the binary (clap reads `HEADLINE_WATCH_CONFIG` / `HEADLINE_WATCH_DB`), this
//! module handles file and defaults. Every error names the file, the line and the key.

use crate::domain::{Source, SourceKind};
use crate::error::{Error, Result};
pub use crate::narrative::{Fact, Position};
use crate::narrative::{ModelSource, Narrative, SHIPPED_MODEL_PATH};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// Default `[storage] database`.
pub const DEFAULT_DATABASE: &str = "data/headline-watch.sqlite";
/// Default `[report] dir`.
pub const DEFAULT_REPORT_DIR: &str = "reports";
/// Default `[crawl] concurrency`: requests in flight at once over all hosts.
pub const DEFAULT_CONCURRENCY: usize = 16;
/// Default `[crawl] per_host_concurrency`.
pub const DEFAULT_PER_HOST_CONCURRENCY: usize = 2;
/// Default `[crawl] per_host_interval_ms`: minimum gap between two request starts to one host.
pub const DEFAULT_PER_HOST_INTERVAL_MS: u64 = 1000;
/// Default `[crawl] request_timeout_secs`.
pub const DEFAULT_REQUEST_TIMEOUT_SECS: u64 = 30;
/// Default `[crawl] connect_timeout_secs`.
pub const DEFAULT_CONNECT_TIMEOUT_SECS: u64 = 10;
/// Default `[crawl] deadline_secs`: the whole crawl stops starting new requests after this.
pub const DEFAULT_DEADLINE_SECS: u64 = 600;
/// Default `[crawl] max_body_bytes`.
pub const DEFAULT_MAX_BODY_BYTES: u64 = 10 * 1024 * 1024;
/// Default `[crawl] max_items_per_source`.
pub const DEFAULT_MAX_ITEMS_PER_SOURCE: usize = 500;
/// Default `[crawl] max_redirects`.
pub const DEFAULT_MAX_REDIRECTS: usize = 5;
/// Default `[crawl] backoff_base_secs`: first retry delay after a failure; doubles per failure.
pub const DEFAULT_BACKOFF_BASE_SECS: u64 = 300;
/// Default `[crawl] backoff_max_secs`: the cap on that delay.
pub const DEFAULT_BACKOFF_MAX_SECS: u64 = 6 * 3600;
/// Default `[crawl] max_retry_after_secs`: a host's `Retry-After` is obeyed up to this long (a day).
pub const DEFAULT_MAX_RETRY_AFTER_SECS: u64 = 24 * 3600;
/// Default `[crawl] user_agent`.
pub const DEFAULT_USER_AGENT: &str = concat!(
    "headline-watch/",
    env!("CARGO_PKG_VERSION"),
    " (+https://github.com/headline-watch/headline-watch)"
);
/// Default `[narrative] corpus`.
pub const DEFAULT_CORPUS_DIR: &str = "corpus";
/// Default `[serve] listen`: loopback only, so the desk needs no login.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
/// Default `[serve] session_hours`: how long a desk login lasts.
pub const DEFAULT_SESSION_HOURS: u64 = 12;

/// The whole configuration file.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub storage: StorageConfig,
    #[serde(default)]
    pub crawl: CrawlConfig,
    #[serde(default)]
    pub sources: Vec<SourceConfig>,
    #[serde(default)]
    pub report: ReportConfig,
    /// `[narrative]` as written: which narrative file, model and corpus (and, in old configs, its content).
    #[serde(default, rename = "narrative")]
    pub narrative_config: NarrativeConfig,
    /// The narrative in effect: the file `[narrative] file` names, else the shipped one (built in).
    #[serde(skip)]
    pub narrative: Narrative,
    #[serde(default)]
    pub letters: LettersConfig,
    #[serde(default)]
    pub serve: ServeConfig,
}

/// `[serve]`: the review desk (`headline-watch serve`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServeConfig {
    /// `ADDR:PORT`; `--listen` overrides it.
    pub listen: String,
    /// Marks the session cookie `Secure` (set it when the desk is reached over HTTPS).
    pub secure_cookie: bool,
    pub session_hours: u64,
    /// A file of `name:argon2-hash` lines, one user a line (`#` comments), read at start-up.
    pub users_file: Option<PathBuf>,
    pub users: Vec<ServeUser>,
}

impl Default for ServeConfig {
    fn default() -> Self {
        ServeConfig {
            listen: DEFAULT_LISTEN.to_string(),
            secure_cookie: false,
            session_hours: DEFAULT_SESSION_HOURS,
            users_file: None,
            users: Vec::new(),
        }
    }
}

/// One `[[serve.users]]` entry: a desk user and the argon2 hash of their password (PHC string, as
/// `headline-watch serve --hash-password` prints it).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServeUser {
    pub name: String,
    pub password_hash: String,
}

/// `[letters]`: correction requests written by `letters`.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct LettersConfig {
    /// A folder whose `ru.md`, `en.md`, `kk.md` replace the shipped letter templates (any may be missing).
    pub templates: Option<PathBuf>,
    /// Printed under each letter's closing, as written (Markdown).
    pub signature: String,
}

/// `[storage]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StorageConfig {
    #[serde(default = "default_database")]
    pub database: PathBuf,
}

impl Default for StorageConfig {
    fn default() -> Self {
        StorageConfig {
            database: default_database(),
        }
    }
}

/// `[crawl]`: politeness, limits and identity of the crawler.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CrawlConfig {
    pub concurrency: usize,
    pub per_host_concurrency: usize,
    pub per_host_interval_ms: u64,
    pub request_timeout_secs: u64,
    pub connect_timeout_secs: u64,
    pub deadline_secs: u64,
    pub max_body_bytes: u64,
    pub max_items_per_source: usize,
    pub max_redirects: usize,
    pub backoff_base_secs: u64,
    pub backoff_max_secs: u64,
    pub max_retry_after_secs: u64,
    pub user_agent: String,
    pub respect_robots_txt: bool,
}

impl Default for CrawlConfig {
    fn default() -> Self {
        CrawlConfig {
            concurrency: DEFAULT_CONCURRENCY,
            per_host_concurrency: DEFAULT_PER_HOST_CONCURRENCY,
            per_host_interval_ms: DEFAULT_PER_HOST_INTERVAL_MS,
            request_timeout_secs: DEFAULT_REQUEST_TIMEOUT_SECS,
            connect_timeout_secs: DEFAULT_CONNECT_TIMEOUT_SECS,
            deadline_secs: DEFAULT_DEADLINE_SECS,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            max_items_per_source: DEFAULT_MAX_ITEMS_PER_SOURCE,
            max_redirects: DEFAULT_MAX_REDIRECTS,
            backoff_base_secs: DEFAULT_BACKOFF_BASE_SECS,
            backoff_max_secs: DEFAULT_BACKOFF_MAX_SECS,
            max_retry_after_secs: DEFAULT_MAX_RETRY_AFTER_SECS,
            user_agent: DEFAULT_USER_AGENT.to_string(),
            respect_robots_txt: true,
        }
    }
}

/// One `[[sources]]` entry (CONTRACT.md).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceConfig {
    pub name: String,
    pub url: Spanned<String>,
    #[serde(default)]
    pub kind: SourceKind,
    /// ISO 639-1 code (`en`, `ru`, `kk`).
    #[serde(default)]
    pub lang: Option<Spanned<String>>,
    #[serde(default)]
    pub selector: Option<String>,
    #[serde(default)]
    pub encoding: Option<String>,
}

/// `[report]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReportConfig {
    pub dir: PathBuf,
    /// Who publishes the ClaimReview records (schema.org `author`).
    pub author_name: String,
    pub author_url: String,
    /// Where the reports are published (http or https), e.g. `https://example.org/reports/`: a report's
    /// ClaimReview `url` is this joined with the report's file name. Empty: the report's own file URL.
    pub base_url: String,
}

impl Default for ReportConfig {
    fn default() -> Self {
        ReportConfig {
            dir: PathBuf::from(DEFAULT_REPORT_DIR),
            author_name: "headline-watch".to_string(),
            author_url: "https://github.com/headline-watch/headline-watch".to_string(),
            base_url: String::new(),
        }
    }
}

/// `[narrative]`: names the narrative file (narratives/README.md), its model and corpus. A config without
/// it uses the shipped narrative and model, built into the binary. Configs written before narrative files
/// existed may still hold the narrative's content here (`id`, `claim`, `rating`, `explanation`,
/// `positions`, `facts`): each one given replaces the narrative file's.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NarrativeConfig {
    /// The narrative file (relative paths: from the config file's folder).
    pub file: Option<PathBuf>,
    /// The model file; without it, the model built into the binary (the shipped narrative's).
    pub model: Option<PathBuf>,
    pub corpus: PathBuf,
    /// Overrides the narrative file's flag threshold.
    pub threshold: Option<f64>,
    pub id: Option<String>,
    pub claim: Option<String>,
    pub rating: Option<String>,
    pub explanation: Option<String>,
    pub positions: Option<Vec<Position>>,
    pub facts: Option<Vec<Fact>>,
}

impl Default for NarrativeConfig {
    fn default() -> Self {
        NarrativeConfig {
            file: None,
            model: None,
            corpus: PathBuf::from(DEFAULT_CORPUS_DIR),
            threshold: None,
            id: None,
            claim: None,
            rating: None,
            explanation: None,
            positions: None,
            facts: None,
        }
    }
}

impl NarrativeConfig {
    /// The narrative this section selects: the file it names (relative to `base`) or the shipped one,
    /// with any inline content of an old config laid over it.
    fn resolve(&self, base: &Path) -> Result<Narrative> {
        let mut n = match &self.file {
            Some(f) => Narrative::load(&base.join(f))?,
            None => Narrative::shipped(),
        };
        let c = self.clone();
        n.id = c.id.unwrap_or(n.id);
        n.claim = c.claim.unwrap_or(n.claim);
        n.rating = c.rating.unwrap_or(n.rating);
        n.explanation = c.explanation.unwrap_or(n.explanation);
        n.positions = c.positions.unwrap_or(n.positions);
        n.facts = c.facts.unwrap_or(n.facts);
        n.threshold = c.threshold.unwrap_or(n.threshold);
        Ok(n)
    }

    /// Where the model comes from: `[narrative] model`, else the one built into the binary.
    pub fn model_source(&self) -> ModelSource {
        self.model
            .clone()
            .map_or(ModelSource::Shipped, ModelSource::File)
    }

    /// Where `train` writes the model: `[narrative] model`, else `models/visa-regime.json`.
    pub fn model_output(&self) -> PathBuf {
        self.model
            .clone()
            .unwrap_or_else(|| PathBuf::from(SHIPPED_MODEL_PATH))
    }
}

fn default_database() -> PathBuf {
    PathBuf::from(DEFAULT_DATABASE)
}

impl Config {
    /// Reads and validates `path`. A missing file is an error when `required` (the user named it);
    /// otherwise built-in defaults are used.
    pub fn load(path: &Path, required: bool) -> Result<Config> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => {
                let mut config = Config::default();
                config.resolve_paths(&config_dir(path));
                return Ok(config);
            }
            Err(e) => {
                return Err(Error::Config {
                    path: path.to_path_buf(),
                    message: format!("cannot read the configuration file: {e}"),
                })
            }
        };
        let mut config = Config::parse(&text, path)?;
        config.resolve_paths(&config_dir(path));
        Ok(config)
    }

    /// Makes every relative path of the file (database, report folder, model, corpus) relative to
    /// `base`, the configuration file's folder, so a command run from another folder finds the same
    /// files. Absolute paths are kept.
    pub fn resolve_paths(&mut self, base: &Path) {
        let model = self.narrative_config.model.as_mut();
        for p in [
            Some(&mut self.storage.database),
            Some(&mut self.report.dir),
            Some(&mut self.narrative_config.corpus),
            model,
        ]
        .into_iter()
        .flatten()
        {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        }
    }

    /// Parses and validates configuration text; `path` is used in messages only.
    pub fn parse(text: &str, path: &Path) -> Result<Config> {
        let err = |line: Option<usize>, message: String| Error::Config {
            path: path.to_path_buf(),
            message: match line {
                Some(l) => format!("line {l}: {message}"),
                None => message,
            },
        };
        let mut config: Config = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| line_of(text, s.start));
            err(line, e.message().trim().replace('\n', " "))
        })?;
        let mut names = std::collections::HashSet::new();
        for s in &config.sources {
            let line = Some(line_of(text, s.url.span().start));
            if !names.insert(s.name.as_str()) {
                return Err(err(
                    line,
                    format!("sources: duplicate source name {:?}", s.name),
                ));
            }
            let parsed = url::Url::parse(s.url.get_ref()).map_err(|e| {
                err(
                    line,
                    format!(
                        "sources.url: {:?} is not a valid URL ({e})",
                        s.url.get_ref()
                    ),
                )
            })?;
            if !matches!(parsed.scheme(), "http" | "https" | "file") {
                return Err(err(
                    line,
                    format!(
                        "sources.url: scheme {:?} of {:?} is not supported (use http, https or file)",
                        parsed.scheme(),
                        s.url.get_ref()
                    ),
                ));
            }
            if s.kind == SourceKind::Page && s.selector.as_deref().unwrap_or("").trim().is_empty() {
                return Err(err(
                    line,
                    format!(
                        "sources.selector: source {:?} has kind = \"page\" but no selector",
                        s.name
                    ),
                ));
            }
            if let Some(lang) = &s.lang {
                if !is_iso_639_1(lang.get_ref()) {
                    return Err(err(
                        Some(line_of(text, lang.span().start)),
                        format!(
                            "sources.lang: {:?} of source {:?} is not an ISO 639-1 code (two lower-case letters: en, ru, kk...)",
                            lang.get_ref(),
                            s.name
                        ),
                    ));
                }
            }
            if let Some(enc) = &s.encoding {
                if encoding_rs::Encoding::for_label(enc.as_bytes()).is_none() {
                    return Err(err(
                        line,
                        format!("sources.encoding: {enc:?} is not a known charset label"),
                    ));
                }
            }
        }
        let c = &config.crawl;
        for (key, value, min, max, unit) in [
            ("concurrency", c.concurrency as u64, 1, 1024, ""),
            (
                "per_host_concurrency",
                c.per_host_concurrency as u64,
                1,
                256,
                "",
            ),
            (
                "per_host_interval_ms",
                c.per_host_interval_ms,
                0,
                3_600_000,
                " ms",
            ),
            (
                "request_timeout_secs",
                c.request_timeout_secs,
                1,
                3600,
                " s",
            ),
            ("connect_timeout_secs", c.connect_timeout_secs, 1, 600, " s"),
            ("deadline_secs", c.deadline_secs, 1, 86_400, " s"),
            ("max_body_bytes", c.max_body_bytes, 1, 1 << 30, " bytes"),
            (
                "max_items_per_source",
                c.max_items_per_source as u64,
                1,
                100_000,
                "",
            ),
            ("max_redirects", c.max_redirects as u64, 0, 50, ""),
            (
                "backoff_base_secs",
                c.backoff_base_secs,
                1,
                MAX_BACKOFF_SECS,
                " s",
            ),
            (
                "backoff_max_secs",
                c.backoff_max_secs,
                1,
                MAX_BACKOFF_SECS,
                " s",
            ),
            (
                "max_retry_after_secs",
                c.max_retry_after_secs,
                1,
                MAX_BACKOFF_SECS,
                " s",
            ),
        ] {
            if !(min..=max).contains(&value) {
                return Err(err(
                    key_line(text, "crawl", key),
                    format!("crawl.{key} = {value} is out of range: use {min} to {max}{unit}"),
                ));
            }
        }
        if c.backoff_max_secs < c.backoff_base_secs {
            return Err(err(
                key_line(text, "crawl", "backoff_max_secs"),
                "crawl.backoff_max_secs must be at least crawl.backoff_base_secs".into(),
            ));
        }
        if let Some(threshold) = config.narrative_config.threshold {
            if !(0.0..=1.0).contains(&threshold) {
                return Err(err(
                    key_line(text, "narrative", "threshold"),
                    format!("narrative.threshold = {threshold} must be between 0 and 1"),
                ));
            }
        }
        let base_url = config.report.base_url.trim();
        if !base_url.is_empty()
            && url::Url::parse(base_url)
                .map(|u| !matches!(u.scheme(), "http" | "https"))
                .unwrap_or(true)
        {
            return Err(err(
                key_line(text, "report", "base_url"),
                format!("report.base_url: {base_url:?} is not an http or https URL"),
            ));
        }
        // The narrative file is read from the config file's folder (absolute, so errors name the path tried).
        config.narrative = config.narrative_config.resolve(&config_dir(path))?;
        Ok(config)
    }

    /// The configured sources as domain values.
    pub fn sources(&self) -> Vec<Source> {
        self.sources
            .iter()
            .map(|s| Source {
                name: s.name.clone(),
                url: s.url.get_ref().clone(),
                kind: s.kind,
                lang: s.lang.as_ref().map(|l| l.get_ref().clone()),
                selector: s.selector.clone(),
                encoding: s.encoding.clone(),
            })
            .collect()
    }
}

fn line_of(text: &str, byte: usize) -> usize {
    text[..byte.min(text.len())].matches('\n').count() + 1
}

/// Backoff and Retry-After waits beyond 30 days are a mistake, not a schedule.
const MAX_BACKOFF_SECS: u64 = 30 * 24 * 3600;

/// The folder of the configuration file, absolute (the current folder for a bare file name).
pub fn config_dir(path: &Path) -> PathBuf {
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let abs = std::path::absolute(parent).unwrap_or_else(|_| parent.to_path_buf());
    // `absolute` keeps `.` components; they would show in every message.
    abs.components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect()
}

/// An ISO 639-1 language code: two lower-case ASCII letters.
fn is_iso_639_1(s: &str) -> bool {
    s.len() == 2 && s.bytes().all(|b| b.is_ascii_lowercase())
}

/// The line of `key = ...` inside the `[section]` table of a TOML text, for messages about values that
/// parsed but make no sense (serde's defaults lose the position).
fn key_line(text: &str, section: &str, key: &str) -> Option<usize> {
    let mut current = String::new();
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if let Some(h) = t.strip_prefix('[') {
            current = h
                .trim_start_matches('[')
                .split(']')
                .next()
                .unwrap_or("")
                .trim()
                .to_string();
        } else if current == section
            && t.split('=').next().map(str::trim) == Some(key)
            && t.contains('=')
        {
            return Some(i + 1);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Config> {
        Config::parse(s, Path::new("config.toml"))
    }

    #[test]
    fn empty_file_gives_defaults() {
        let c = parse("").unwrap();
        assert_eq!(c.storage.database, PathBuf::from(DEFAULT_DATABASE));
        assert_eq!(c.crawl.concurrency, DEFAULT_CONCURRENCY);
        assert_eq!(c.narrative, Narrative::shipped());
        assert_eq!(c.narrative_config.model_source(), ModelSource::Shipped);
    }

    #[test]
    fn a_narrative_file_is_read_relative_to_the_config_and_old_inline_keys_still_apply() {
        let dir = tempfile::tempdir().unwrap();
        let shipped = crate::narrative::SHIPPED_NARRATIVE.replacen(
            "id = \"ru-kz-visa-regime\"",
            "id = \"from-file\"",
            1,
        );
        std::fs::create_dir(dir.path().join("n")).unwrap();
        std::fs::write(dir.path().join("n/x.toml"), shipped).unwrap();
        let cfg = dir.path().join("config.toml");
        let c = Config::parse("[narrative]\nfile = \"n/x.toml\"\nthreshold = 0.7\n", &cfg).unwrap();
        assert_eq!(c.narrative.id, "from-file");
        assert_eq!(c.narrative.threshold, 0.7);
        let old = "[narrative]\nid = \"old\"\nmodel = \"models/m.json\"\n[[narrative.positions]]\nspeaker = \"S\"\nrole = \"r\"\norganisation = \"o\"\ndate = \"2025-06-09\"\nquote = \"q\"\nquote_lang = \"en\"\nvenue = \"v\"\nsource_name = \"n\"\nsource_url = \"https://x.example/\"\n";
        let c = Config::parse(old, &cfg).unwrap();
        assert_eq!(
            (c.narrative.id.as_str(), c.narrative.positions.len()),
            ("old", 1)
        );
        assert_eq!(c.narrative.facts, Narrative::shipped().facts);
        let e = Config::parse("[narrative]\nfile = \"missing.toml\"\n", &cfg)
            .unwrap_err()
            .to_string();
        assert!(e.contains("missing.toml") && e.contains("narrative"), "{e}");
    }

    #[test]
    fn unknown_key_names_file_line_and_key() {
        let e = parse("[storage]\ndatabase = \"x\"\n\n[crawl]\nconcurency = 3\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("config.toml: line 5:"), "{e}");
        assert!(e.contains("concurency"), "{e}");
    }

    #[test]
    fn bad_url_names_its_line() {
        let e = parse("[[sources]]\nname = \"a\"\nurl = \"https://ok.example/rss\"\n\n[[sources]]\nname = \"b\"\nurl = \"ht!tp:/bad\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 7"), "{e}");
        assert!(e.contains("sources.url"), "{e}");
    }

    #[test]
    fn page_without_selector_and_bad_charset_are_rejected() {
        let e = parse("[[sources]]\nname = \"a\"\nurl = \"https://x.example/\"\nkind = \"page\"\n")
            .unwrap_err();
        assert!(e.to_string().contains("selector"));
        let e = parse(
            "[[sources]]\nname = \"a\"\nurl = \"https://x.example/\"\nencoding = \"klingon\"\n",
        )
        .unwrap_err();
        assert!(e.to_string().contains("klingon"));
    }

    #[test]
    fn absurd_numbers_are_errors_naming_key_and_line() {
        for key in [
            "deadline_secs",
            "concurrency",
            "per_host_concurrency",
            "backoff_base_secs",
            "backoff_max_secs",
            "max_retry_after_secs",
            "request_timeout_secs",
        ] {
            let e = parse(&format!(
                "[storage]\ndatabase = \"x\"\n\n[crawl]\n{key} = 9223372036854775807\n"
            ))
            .unwrap_err()
            .to_string();
            assert!(e.starts_with("config.toml: line 5:"), "{key}: {e}");
            assert!(e.contains(&format!("crawl.{key}")), "{key}: {e}");
        }
    }

    #[test]
    fn threshold_out_of_range_names_its_line() {
        let e = parse("[narrative]\nid = \"x\"\nthreshold = 1.5\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("config.toml: line 3:"), "{e}");
        assert!(e.contains("narrative.threshold"), "{e}");
    }

    #[test]
    fn lang_must_be_iso_639_1() {
        let e =
            parse("[[sources]]\nname = \"a\"\nurl = \"https://x.example/\"\nlang = \"english\"\n")
                .unwrap_err()
                .to_string();
        assert!(e.starts_with("config.toml: line 4:"), "{e}");
        assert!(e.contains("ISO 639-1") && e.contains("english"), "{e}");
        assert!(
            parse("[[sources]]\nname = \"a\"\nurl = \"https://x.example/\"\nlang = \"kk\"\n")
                .is_ok()
        );
    }

    #[test]
    fn relative_paths_follow_the_config_file() {
        let mut c =
            parse("[storage]\ndatabase = \"data/x.sqlite\"\n[report]\ndir = \"/abs/reports\"\n")
                .unwrap();
        c.resolve_paths(Path::new("/srv/hw"));
        assert_eq!(c.storage.database, PathBuf::from("/srv/hw/data/x.sqlite"));
        assert_eq!(c.report.dir, PathBuf::from("/abs/reports"));
        assert_eq!(
            c.narrative_config.corpus,
            PathBuf::from("/srv/hw").join(DEFAULT_CORPUS_DIR)
        );
        let mut c = parse("[narrative]\nmodel = \"models/m.json\"\n").unwrap();
        c.resolve_paths(Path::new("/srv/hw"));
        assert_eq!(
            c.narrative_config.model,
            Some(PathBuf::from("/srv/hw/models/m.json"))
        );
    }

    #[test]
    fn missing_optional_file_is_defaults_required_is_error() {
        let p = Path::new("/nonexistent/config.toml");
        assert!(Config::load(p, false).is_ok());
        let e = Config::load(p, true).unwrap_err().to_string();
        assert!(e.starts_with("/nonexistent/config.toml:"), "{e}");
    }
}
