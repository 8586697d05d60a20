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
/// Default `[crawl] user_agent`.
pub const DEFAULT_USER_AGENT: &str = concat!(
    "headline-watch/",
    env!("CARGO_PKG_VERSION"),
    " (+https://github.com/headline-watch/headline-watch)"
);
/// Default `[narrative] corpus`.
pub const DEFAULT_CORPUS_DIR: &str = "corpus";

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
    #[serde(default)]
    pub lang: Option<String>,
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
}

impl Default for ReportConfig {
    fn default() -> Self {
        ReportConfig {
            dir: PathBuf::from(DEFAULT_REPORT_DIR),
            author_name: "headline-watch".to_string(),
            author_url: "https://github.com/headline-watch/headline-watch".to_string(),
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
                return Ok(Config::default());
            }
            Err(e) => {
                return Err(Error::Config {
                    path: path.to_path_buf(),
                    message: format!("cannot read the configuration file: {e}"),
                })
            }
        };
        Config::parse(&text, path)
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
        if c.concurrency == 0 || c.per_host_concurrency == 0 {
            return Err(err(
                None,
                "crawl.concurrency and crawl.per_host_concurrency must be at least 1".into(),
            ));
        }
        if let Some(t) = config.narrative_config.threshold {
            if !(0.0..=1.0).contains(&t) {
                return Err(err(
                    None,
                    "narrative.threshold must be between 0 and 1".into(),
                ));
            }
        }
        let base = path.parent().unwrap_or(Path::new(""));
        config.narrative = config.narrative_config.resolve(base)?;
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
                lang: s.lang.clone(),
                selector: s.selector.clone(),
                encoding: s.encoding.clone(),
            })
            .collect()
    }
}

fn line_of(text: &str, byte: usize) -> usize {
    text[..byte.min(text.len())].matches('\n').count() + 1
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
    fn missing_optional_file_is_defaults_required_is_error() {
        let p = Path::new("/nonexistent/config.toml");
        assert!(Config::load(p, false).is_ok());
        let e = Config::load(p, true).unwrap_err().to_string();
        assert!(e.starts_with("/nonexistent/config.toml:"), "{e}");
    }
}
