//! What the app told the person: the latest notice shown in the status bar, a short list of
//! the earlier ones the status bar can expand, and the same lines appended to a log file in the
//! app's data folder — what support asks a clinic for when something went wrong.
//!
//! Writing the log never gets in the way: a log that cannot be written is said once, in the
//! list, and the notices are kept in memory as before.

use crate::engine::consultation::iso_date;
use std::collections::VecDeque;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// How many notices the list keeps; the log file keeps the rest.
pub const KEPT: usize = 30;
/// The log's name in its folder.
pub const LOG_FILE: &str = "smp-studio.log";
/// Past this size the log is moved aside to `smp-studio.log.1` (replacing the one before), so
/// it never grows without end.
pub const LOG_LIMIT_BYTES: u64 = 512 * 1024;

/// The app's data folder, where the log is kept.
pub fn default_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "smp-studio").map(|d| d.data_local_dir().to_path_buf())
}

/// One thing the app said.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub text: String,
    pub is_error: bool,
    pub topic: Topic,
    /// When it was said, as the log writes it ("2026-12-07 21:50:03 UTC").
    pub at: String,
}

/// What a notice is about, where later news may add to it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Topic {
    #[default]
    Other,
    /// The photo or consultation just opened: what is found on it once it is measured (a
    /// blurred photo) is said in the same notice.
    Opening,
}

/// The notices of this session, newest last.
#[derive(Debug, Default)]
pub struct Notices {
    list: VecDeque<Notice>,
    /// The newest notice was dismissed: the status bar shows none until the next.
    dismissed: bool,
    /// Where the log is written; `None` keeps no log.
    folder: Option<PathBuf>,
    /// The log could not be written; said once, then no more attempts.
    log_failed: bool,
}

impl Notices {
    /// Keeps the notices and appends them to the log in `folder` (created when first needed);
    /// `None` keeps no log.
    pub fn new(folder: Option<PathBuf>) -> Self {
        let mut notices = Self { folder, ..Self::default() };
        let version = env!("CARGO_PKG_VERSION");
        notices.log("start", &format!("SMP Studio {version}"));
        notices
    }

    /// The folder the log is written to.
    pub fn folder(&self) -> Option<&Path> {
        self.folder.as_deref()
    }

    /// The log file, when one is kept.
    pub fn log_path(&self) -> Option<PathBuf> {
        self.folder.as_ref().map(|f| f.join(LOG_FILE))
    }

    /// Says something: it becomes the notice on show, joins the list and is logged.
    pub fn push(&mut self, text: impl Into<String>, is_error: bool) {
        self.push_about(Topic::Other, text, is_error);
    }

    /// Says `text` about `topic`.
    pub fn push_about(&mut self, topic: Topic, text: impl Into<String>, is_error: bool) {
        let text = text.into();
        if text.trim().is_empty() {
            return;
        }
        let at = self.log(if is_error { "error" } else { "info " }, &text);
        self.list.push_back(Notice { text, is_error, topic, at });
        while self.list.len() > KEPT {
            self.list.pop_front();
        }
        self.dismissed = false;
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.push(text, false);
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.push(text, true);
    }

    /// The notice the status bar shows: the newest, until it is dismissed.
    pub fn current(&self) -> Option<&Notice> {
        if self.dismissed { None } else { self.list.back() }
    }

    /// Puts the notice on show away; it stays in the list.
    pub fn dismiss(&mut self) {
        self.dismissed = true;
    }

    /// Every notice kept, oldest first.
    pub fn all(&self) -> impl DoubleEndedIterator<Item = &Notice> + ExactSizeIterator {
        self.list.iter()
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Replaces the text of the notice on show (a later finding said with it), logging the
    /// addition; with nothing on show it is said as a new notice.
    pub fn extend_current(&mut self, addition: &str) {
        match (self.dismissed, self.list.back_mut()) {
            (false, Some(last)) => {
                last.text = format!("{} {addition}", last.text);
                self.log("info ", addition);
            }
            _ => self.info(addition),
        }
    }

    /// Appends "TIME  KIND  TEXT" to the log, on one line; returns the time written.
    fn log(&mut self, kind: &str, text: &str) -> String {
        let at = timestamp(SystemTime::now());
        self.write(&format!("{at}  {kind}  {}", text.replace('\n', " ")));
        at
    }

    fn write(&mut self, line: &str) {
        let Some(folder) = self.folder.clone() else { return };
        if self.log_failed {
            return;
        }
        if let Err(e) = append(&folder, line) {
            self.log_failed = true;
            let text = format!(
                "The log could not be written in {}: {e}. Notices are still listed here.",
                folder.display()
            );
            let at = timestamp(SystemTime::now());
            self.list.push_back(Notice { text, is_error: true, topic: Topic::Other, at });
        }
    }
}

fn append(folder: &Path, line: &str) -> std::io::Result<()> {
    std::fs::create_dir_all(folder)?;
    let path = folder.join(LOG_FILE);
    if std::fs::metadata(&path).is_ok_and(|m| m.len() > LOG_LIMIT_BYTES) {
        std::fs::rename(&path, folder.join(format!("{LOG_FILE}.1")))?;
    }
    let mut file: File = OpenOptions::new().create(true).append(true).open(&path)?;
    writeln!(file, "{line}")
}

/// A moment as the log writes it, in UTC: "2026-12-07 21:50:03 UTC".
pub fn timestamp(at: SystemTime) -> String {
    let secs = at.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (days, rest) = (secs / 86_400, secs % 86_400);
    format!("{} {:02}:{:02}:{:02} UTC", iso_date(days as i64), rest / 3600, rest % 3600 / 60, rest % 60)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn folder(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("smp-notices-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn dates_read_as_a_calendar_does() {
        assert_eq!(timestamp(UNIX_EPOCH), "1970-01-01 00:00:00 UTC");
        // 2026-12-07 21:50:03 UTC, and a leap day.
        assert_eq!(timestamp(UNIX_EPOCH + Duration::from_secs(1_796_680_203)), "2026-12-07 21:50:03 UTC");
        assert_eq!(timestamp(UNIX_EPOCH + Duration::from_secs(951_782_400)), "2000-02-29 00:00:00 UTC");
    }

    #[test]
    fn start_up_problems_are_all_kept_and_logged() {
        let dir = folder("kept");
        let mut notices = Notices::new(Some(dir.clone()));
        notices.error("Some presets in your folder were not read.");
        notices.error("The settings file was damaged; defaults are used.");
        notices.info("Opened the sample consultation.");
        assert_eq!(notices.len(), 3);
        assert_eq!(notices.current().map(|n| n.text.as_str()), Some("Opened the sample consultation."));
        let log = std::fs::read_to_string(dir.join(LOG_FILE)).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        assert_eq!(lines.len(), 4, "{log}");
        assert!(lines[0].contains("start  SMP Studio"), "{log}");
        assert!(lines[1].contains("error  Some presets"), "{log}");
        assert!(lines[2].contains("error  The settings file"), "{log}");
        assert!(lines[3].contains("info   Opened the sample"), "{log}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn dismissing_hides_the_notice_but_keeps_it_listed() {
        let mut notices = Notices::new(None);
        notices.info("Saved.");
        notices.dismiss();
        assert!(notices.current().is_none());
        assert_eq!(notices.len(), 1);
        notices.extend_current("The photo looks sharp.");
        assert_eq!(notices.current().map(|n| n.text.as_str()), Some("The photo looks sharp."));
        notices.extend_current("And well lit.");
        assert_eq!(notices.current().map(|n| n.text.as_str()), Some("The photo looks sharp. And well lit."));
    }

    #[test]
    fn the_list_stays_short() {
        let mut notices = Notices::new(None);
        for i in 0..(KEPT + 12) {
            notices.info(format!("Notice {i}."));
        }
        assert_eq!(notices.len(), KEPT);
        assert_eq!(notices.all().next().map(|n| n.text.clone()), Some("Notice 12.".to_owned()));
    }

    #[test]
    fn a_long_log_is_moved_aside() {
        let dir = folder("rotate");
        let mut notices = Notices::new(Some(dir.clone()));
        let long = "x".repeat(2000);
        for _ in 0..(LOG_LIMIT_BYTES / 2000 + 5) {
            notices.info(long.clone());
        }
        let size = std::fs::metadata(dir.join(LOG_FILE)).map_or(u64::MAX, |m| m.len());
        assert!(size <= LOG_LIMIT_BYTES + 4096, "{size}");
        assert!(dir.join(format!("{LOG_FILE}.1")).exists());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_log_that_cannot_be_written_is_said_once() {
        // A file where the folder should be.
        let dir = folder("blocked");
        let _ = std::fs::write(&dir, b"in the way");
        let mut notices = Notices::new(Some(dir.clone()));
        notices.info("Saved.");
        notices.info("Exported.");
        let errors: Vec<&Notice> = notices.all().filter(|n| n.is_error).collect();
        assert_eq!(errors.len(), 1, "{:?}", notices.all().collect::<Vec<_>>());
        assert!(errors[0].text.starts_with("The log could not be written"));
        assert_eq!(notices.current().map(|n| n.text.as_str()), Some("Exported."));
        let _ = std::fs::remove_file(&dir);
    }
}
