//! How much memory a full cache takes.

use actix_authorize::{AuthService, BearerToken};
use futures_util::StreamExt;

#[allow(unsafe_code)]
fn trim_heap() {
    // SAFETY: malloc_trim only releases free memory at the top of glibc's heaps.
    unsafe {
        libc::malloc_trim(0);
    }
}

fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Caches `users` users from the auth service at `auth_url` and prints the RSS growth.
pub async fn report(auth_url: &str, users: u32) -> Result<(), Box<dyn std::error::Error>> {
    let service = AuthService::builder(auth_url)
        .cache_capacity(u64::from(users))
        .cache_ttl(std::time::Duration::from_secs(3600))
        .build()?;
    // One user first, so that the client, its pool and the cache's own structures exist.
    let warm = BearerToken::parse(b"Bearer id-1")?.ok_or("not a bearer token")?;
    service.authenticate(&warm).await?;
    let before = rss_kib();
    let failures = futures_util::stream::iter(2..=u64::from(users) + 1)
        .map(|id| {
            let service = service.clone();
            async move {
                let header = format!("Bearer id-{id}");
                let Ok(Some(token)) = BearerToken::parse(header.as_bytes()) else {
                    return 1;
                };
                u32::from(service.authenticate(&token).await.is_err())
            }
        })
        .buffer_unordered(32)
        .fold(0, |failures, failed| async move { failures + failed })
        .await;
    // Return freed memory (the lookups' buffers) to the system, so that what remains is what
    // the cache holds.
    trim_heap();
    let after = rss_kib();
    let cached = service.cached_tokens().await;
    let growth_mib = (after.saturating_sub(before)) as f64 / 1024.0;
    println!(
        "memory: {cached} cached users ({failures} failed lookups), RSS {:.1} MiB -> {:.1} MiB, \
         growth {growth_mib:.1} MiB, {:.0} bytes per user",
        before as f64 / 1024.0,
        after as f64 / 1024.0,
        (after.saturating_sub(before) * 1024) as f64 / cached.max(1) as f64,
    );
    Ok(())
}
