//! The command line (clap derive). CONTRACT.md fixes the commands and global flags; extend, never break.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(name = "headline-watch", version, about = "Watches the news for a misleading narrative", long_about = None)]
pub struct Cli {
    /// Configuration file.
    #[arg(
        long,
        global = true,
        env = "HEADLINE_WATCH_CONFIG",
        value_name = "FILE"
    )]
    pub config: Option<PathBuf>,
    /// Database file (overrides [storage] database).
    #[arg(long, global = true, env = "HEADLINE_WATCH_DB", value_name = "FILE")]
    pub db: Option<PathBuf>,
    /// More logging (-v: debug, -vv: trace).
    #[arg(short, long, global = true, action = clap::ArgAction::Count, conflicts_with = "quiet")]
    pub verbose: u8,
    /// Only errors on stderr.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Crawl every due source, classify what is new, write today's report (what cron calls).
    Run(RunArgs),
    /// Fetch every due source once and store new items.
    Crawl(CrawlArgs),
    /// Classify headlines given as arguments, or one per line on stdin.
    Classify(ClassifyArgs),
    /// Train the narrative's model from corpus/ and write it to models/.
    Train(TrainArgs),
    /// Cross-validate on corpus/, or score a labelled file (--corpus FILE).
    Evaluate(EvaluateArgs),
    /// Write a report for a period.
    Report(ReportArgs),
    /// List flagged items and record a person's verdict on them.
    Review(ReviewArgs),
    /// Write a correction request per outlet with unresolved flagged headlines.
    Letters(LettersArgs),
    /// The review desk in a browser (--listen ADDR:PORT, default 127.0.0.1:8080).
    Serve(ServeArgs),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (default: [serve] listen, else 127.0.0.1:8080). Beyond loopback the desk
    /// needs users ([serve] in the configuration).
    #[arg(long, value_name = "ADDR:PORT")]
    pub listen: Option<String>,
    /// Read a password from stdin (one line) and print its argon2 hash for [[serve.users]], then exit.
    #[arg(long)]
    pub hash_password: bool,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Report format written by the run.
    #[arg(long, value_enum, default_value_t = ReportFormat::Md)]
    pub format: ReportFormat,
    /// Report file (default: into [report] dir, named by date).
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CrawlArgs {
    /// Only these sources (by name; repeatable).
    #[arg(long = "source", value_name = "NAME")]
    pub sources: Vec<String>,
    /// Fetch every source now, ignoring backoff and Retry-After schedules.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ClassifyFormat {
    Text,
    Json,
    Jsonl,
}

#[derive(Debug, Args)]
pub struct ClassifyArgs {
    /// Headlines to classify; without any, one per line is read from stdin.
    pub headlines: Vec<String>,
    #[arg(long, value_enum, default_value_t = ClassifyFormat::Text)]
    pub format: ClassifyFormat,
    /// Model file (default: [narrative] model).
    #[arg(long, value_name = "FILE")]
    pub model: Option<PathBuf>,
    /// Flag threshold for `misleading` (default: [narrative] threshold).
    #[arg(long)]
    pub threshold: Option<f64>,
}

#[derive(Debug, Args)]
pub struct TrainArgs {
    /// Corpus folder (default: [narrative] corpus).
    #[arg(long, value_name = "DIR")]
    pub corpus: Option<PathBuf>,
    /// Model file to write (default: [narrative] model).
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Cross-validation folds used to choose regularisation and report metrics.
    #[arg(long, default_value_t = 5)]
    pub folds: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EvalFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct EvaluateArgs {
    /// Score this labelled TSV with the shipped model instead of cross-validating on the corpus.
    #[arg(long, value_name = "FILE")]
    pub corpus: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = EvalFormat::Text)]
    pub format: EvalFormat,
    /// Folds for cross-validation.
    #[arg(long, default_value_t = 5)]
    pub folds: usize,
    /// Cross-validate N times, each with another arrangement of the folds (the first is `train`'s), and
    /// print how much the headline figures move; rows and tables are those of the first.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=50), conflicts_with = "corpus")]
    pub repeats: u64,
    /// Model file (default: [narrative] model).
    #[arg(long, value_name = "FILE")]
    pub model: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Md,
    Html,
    Json,
    Csv,
}

#[allow(dead_code)] // used by the report and run commands (other branches)
impl ReportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ReportFormat::Md => "md",
            ReportFormat::Html => "html",
            ReportFormat::Json => "json",
            ReportFormat::Csv => "csv",
        }
    }
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Start of the period: YYYY-MM-DD (UTC midnight) or RFC 3339 (default: the previous report, else 24 h ago).
    #[arg(long)]
    pub since: Option<String>,
    /// End of the period (default: now).
    #[arg(long)]
    pub until: Option<String>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Md)]
    pub format: ReportFormat,
    /// Output file (default: into [report] dir, named by date); `-` for stdout.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    #[command(subcommand)]
    pub command: ReviewCommand,
}

#[derive(Debug, Subcommand)]
pub enum ReviewCommand {
    /// Flagged items, unreviewed first, with their ids.
    List {
        /// Include items already reviewed.
        #[arg(long)]
        all: bool,
        #[arg(long, value_enum, default_value_t = EvalFormat::Text)]
        format: EvalFormat,
    },
    /// Record a verdict: --label misleading confirms a flag, any other label corrects it.
    Mark {
        /// The item id, as `review list` shows it.
        id: i64,
        /// The verdict: misleading, accurate, rebuttal or unrelated (anything else is a usage error, exit 64).
        #[arg(long, value_parser = ["misleading", "accurate", "rebuttal", "unrelated"])]
        label: String,
        /// A note kept with the verdict (why, or what the headline gets wrong).
        #[arg(long)]
        note: Option<String>,
        /// Who reviewed it (a name or initials), kept with the verdict.
        #[arg(long)]
        reviewer: Option<String>,
    },
    /// Write reviewed items as corpus rows (source `review:<id>`) that `train` picks up.
    Export {
        /// Corpus file to write, replacing it (default: corpus/reviews.tsv in [narrative] corpus).
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LetterLang {
    Ru,
    En,
    Kk,
}

#[derive(Debug, Args)]
pub struct LettersArgs {
    /// Start of the period: YYYY-MM-DD (UTC midnight) or RFC 3339 (default: 30 days before --until).
    #[arg(long)]
    pub since: Option<String>,
    /// End of the period (default: now).
    #[arg(long)]
    pub until: Option<String>,
    /// Only this outlet (by name; repeatable).
    #[arg(long = "outlet", value_name = "NAME")]
    pub outlets: Vec<String>,
    /// Letter language (default: each outlet's own: the language of most of its flagged headlines).
    #[arg(long, value_enum)]
    pub lang: Option<LetterLang>,
    /// Folder to write the letters into (default: [report] dir/letters).
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
}
