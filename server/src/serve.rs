//! The consultation server. (Being written; see issue 4.)

/// Arguments of `jiedu serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {}

/// Arguments of `jiedu token`.
#[derive(Debug, clap::Args)]
pub struct TokenArgs {}

pub fn run(_args: ServeArgs) -> anyhow::Result<()> {
    anyhow::bail!("`jiedu serve` is not built yet")
}

pub fn run_token(_args: TokenArgs) -> anyhow::Result<()> {
    anyhow::bail!("`jiedu token` is not built yet")
}
