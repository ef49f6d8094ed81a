use clap::Parser;
use smp_studio::cli::{Cli, Command};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => e.exit(),
        Err(e) => {
            eprintln!("error: {}", smp_studio::cli::argument_error(&e));
            return ExitCode::from(2);
        }
    };
    let result = match &cli.command {
        Some(Command::Render(args)) => smp_studio::cli::render(args),
        Some(Command::Analyse(args)) => smp_studio::cli::analyse(args),
        Some(Command::Bench(args)) => smp_studio::cli::bench(args),
        Some(Command::Presets(command)) => smp_studio::cli::presets(command),
        None => smp_studio::app::run(cli.photo.as_deref()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // Messages quote file names and file contents: never let them drive the terminal.
            eprintln!("error: {}", smp_studio::cli::terminal_safe(&format!("{err:#}")));
            ExitCode::FAILURE
        }
    }
}
