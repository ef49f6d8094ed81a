//! Writes the man pages and shell completions from the command line's own definition, so they
//! can never disagree with `--help`: `smp-studio.1` and one page per subcommand under
//! `OUT/man/`, and bash, zsh and fish completions under `OUT/completions/`. The Debian package
//! installs them.
//!
//! `cargo run --example package_docs -- OUT`

use clap::CommandFactory;
use clap_complete::Shell;
use smp_studio::cli::Cli;
use std::path::{Path, PathBuf};

fn main() -> anyhow::Result<()> {
    let Some(out) = std::env::args_os().nth(1).map(PathBuf::from) else {
        anyhow::bail!("give the folder to write into: cargo run --example package_docs -- OUT");
    };
    write_docs(&out)
}

fn write_docs(out: &Path) -> anyhow::Result<()> {
    let man = out.join("man");
    let completions = out.join("completions");
    std::fs::create_dir_all(&man)?;
    std::fs::create_dir_all(&completions)?;
    let mut command = Cli::command();
    // Built, so the generated `help` subcommand the top page lists gets a page of its own too.
    command.build();
    // The program's page, then one per subcommand ("smp-studio-render.1"), as git does.
    write_page(&man, "smp-studio", command.clone())?;
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        // The page's NAME line reads "smp-studio-render"; the name lives as long as this run.
        let title: &'static str = format!("smp-studio-{}", sub.get_name()).leak();
        let page = sub.clone().name(title).bin_name(format!("smp-studio {}", sub.get_name()));
        write_page(&man, title, page)?;
    }
    for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
        let mut command = Cli::command();
        clap_complete::generate_to(shell, &mut command, "smp-studio", &completions)?;
    }
    Ok(())
}

/// `folder/title.1`, a page in section 1 (user commands).
fn write_page(folder: &Path, title: &str, command: clap::Command) -> anyhow::Result<()> {
    let mut bytes = Vec::new();
    clap_mangen::Man::new(command).title(title.to_uppercase()).section("1").render(&mut bytes)?;
    std::fs::write(folder.join(format!("{title}.1")), bytes)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every subcommand has its page and every option of `render` is in it; each shell's
    /// completion knows the options.
    #[test]
    fn the_pages_and_completions_cover_the_whole_command_line() {
        let out = std::env::temp_dir().join(format!("smp-package-docs-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&out);
        write_docs(&out).unwrap();
        let read = |path: &str| std::fs::read_to_string(out.join(path)).unwrap_or_default();
        let top = read("man/smp-studio.1");
        assert!(top.contains("PHOTO_OR_CONSULTATION"), "{top}");
        let mut command = Cli::command();
        command.build();
        for sub in command.get_subcommands() {
            let page = read(&format!("man/smp-studio-{}.1", sub.get_name()));
            assert!(page.contains(".TH SMP-STUDIO-"), "no page for {}", sub.get_name());
            let listed = format!("smp\\-studio\\-{}", sub.get_name().replace('-', "\\-"));
            assert!(top.contains(&listed), "the top page does not list {}", sub.get_name());
            for arg in sub.get_arguments().filter_map(|a| a.get_long()) {
                // roff escapes the dashes: "\-\-px\-per\-mm".
                let escaped = format!("\\-\\-{}", arg.replace('-', "\\-"));
                assert!(page.contains(&escaped), "smp-studio-{}.1 lacks --{arg}", sub.get_name());
            }
        }
        for file in ["completions/smp-studio.bash", "completions/_smp-studio", "completions/smp-studio.fish"]
        {
            let text = read(file);
            assert!(text.contains("px-per-mm") && text.contains("render"), "{file} is incomplete");
        }
        let _ = std::fs::remove_dir_all(&out);
    }
}
