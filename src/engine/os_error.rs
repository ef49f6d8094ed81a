//! Operating-system errors, and kinds of file, in words a person reads once.
//!
//! `std::io::Error` prints as "No such file or directory (os error 2)". Engine errors put that
//! text in their own sentence and keep no `source`, so a caller that prints the whole chain
//! (`{:#}`) shows it once, without the error number meant for developers.

/// What went wrong, as a lower-case clause: "no such file or directory", "permission denied".
pub fn describe(err: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match err.kind() {
        ErrorKind::NotFound => "there is no such file or folder".to_owned(),
        ErrorKind::PermissionDenied => "permission denied".to_owned(),
        ErrorKind::StorageFull => "the disk is full".to_owned(),
        ErrorKind::ReadOnlyFilesystem => "the disk is read-only".to_owned(),
        ErrorKind::IsADirectory => "it is a folder, not a file".to_owned(),
        ErrorKind::InvalidData if err.raw_os_error().is_none() => {
            // std's own text here is about UTF-8 streams; say what it means for a file.
            "it is not a text file".to_owned()
        }
        _ => {
            let full = err.to_string();
            let plain = match full.rfind(" (os error ") {
                Some(i) if full.ends_with(')') => &full[..i],
                _ => full.as_str(),
            };
            // An encoder that wraps the disk's error keeps only its words.
            if plain.eq_ignore_ascii_case("no space left on device") {
                return "the disk is full".to_owned();
            }
            let mut chars = plain.chars();
            match chars.next() {
                Some(first) => first.to_lowercase().chain(chars).collect(),
                None => "an unknown error".to_owned(),
            }
        }
    }
}

/// What a path is when it is not a regular file, in words.
pub fn not_a_file(meta: &std::fs::Metadata) -> Option<&'static str> {
    let kind = meta.file_type();
    if kind.is_file() {
        return None;
    }
    if kind.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Some("a pipe");
        }
        if kind.is_char_device() || kind.is_block_device() {
            return Some("a device");
        }
        if kind.is_socket() {
            return Some("a socket");
        }
    }
    Some("not a regular file")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_numbers_are_dropped_and_the_text_is_said_once() {
        let err = std::fs::File::open("/nonexistent/scalp.jpg").unwrap_err();
        assert_eq!(describe(&err), "there is no such file or folder");
        let err = std::io::Error::from_raw_os_error(5);
        let text = describe(&err);
        assert!(!text.contains("os error"), "{text}");
        assert!(text.starts_with(|c: char| c.is_lowercase()), "{text}");
    }
}
