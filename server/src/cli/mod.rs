//! The authoring commands: `check`, `build`, `import`, `schema`. (Being written.)

use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct CheckArgs {}
#[derive(Debug, clap::Args)]
pub struct BuildArgs {}
#[derive(Debug, clap::Args)]
pub struct ImportArgs {}
#[derive(Debug, clap::Args)]
pub struct SchemaArgs {}

pub fn check(_: CheckArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not yet")
}
pub fn build(_: BuildArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not yet")
}
pub fn import(_: ImportArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not yet")
}
pub fn schema(_: SchemaArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not yet")
}
