//! A token -> user cache shared by every worker, with one auth-service call per token in
//! flight.

mod near;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use moka::Expiry;
use moka::future::Cache;
use sha2::{Digest, Sha256};

use crate::{AuthError, User};

/// The SHA-256 of a token. Keying by a cryptographic digest means the cache holds no tokens,
/// and a lookup compares all 32 bytes: two tokens never share an entry.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct TokenDigest([u8; 32]);

impl TokenDigest {
    pub(crate) fn of(token: &str) -> Self {
        Self(Sha256::digest(token.as_bytes()).into())
    }
}

/// What the cache remembers of a token.
#[derive(Clone)]
enum Verdict {
    User(User),
    /// The auth service rejected the token; only with a negative TTL.
    Rejected,
}

#[derive(Clone)]
struct Entry {
    verdict: Verdict,
    expires_at: Instant,
}

impl Entry {
    fn into_result(self) -> Result<User, AuthError> {
        match self.verdict {
            Verdict::User(user) => Ok(user),
            Verdict::Rejected => Err(AuthError::InvalidToken),
        }
    }
}

/// An auth-service answer and how long it may be reused, from its own cache headers and the
/// token's expiry.
pub(crate) struct Fetched {
    pub(crate) user: User,
    pub(crate) max_age: Option<Duration>,
}

/// How an [`IdentityCache`] behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CacheSettings {
    pub(crate) ttl: Duration,
    pub(crate) capacity: u64,
    pub(crate) negative_ttl: Option<Duration>,
}

/// Each entry lives for its own lifetime from creation; reading it does not extend it.
struct EntryLifetime;

impl Expiry<TokenDigest, Entry> for EntryLifetime {
    fn expire_after_create(
        &self,
        _: &TokenDigest,
        entry: &Entry,
        created: Instant,
    ) -> Option<Duration> {
        Some(entry.expires_at.saturating_duration_since(created))
    }
}

/// What the cache holds for a token.
pub(crate) enum Lookup {
    /// A verdict, to use as it is.
    Found(Result<User, AuthError>),
    /// Nothing: the token's digest, to fetch and remember the answer under.
    Missing(TokenDigest),
}

pub(crate) struct IdentityCache {
    entries: Cache<TokenDigest, Entry>,
    settings: CacheSettings,
    /// Tells this cache's entries apart in the threads' near copies.
    id: u64,
    /// Bumped by every eviction; near copies of an older generation are not used.
    generation: AtomicU64,
}

static NEXT_CACHE_ID: AtomicU64 = AtomicU64::new(0);

impl IdentityCache {
    pub(crate) fn new(settings: CacheSettings) -> Self {
        let entries = Cache::builder()
            .max_capacity(settings.capacity)
            .expire_after(EntryLifetime)
            .build();
        Self {
            entries,
            settings,
            id: NEXT_CACHE_ID.fetch_add(1, Ordering::Relaxed),
            generation: AtomicU64::new(0),
        }
    }

    /// The cached verdict on `token`, if any: the hot path, kept small. The worker's near
    /// copy is looked up by the token itself, so that a hit costs no SHA-256 (about 650 ns
    /// for a 1 KB JWT on this machine's SHA extensions); the shared cache, by its digest.
    pub(crate) async fn get(&self, token: &str) -> Lookup {
        let now = Instant::now();
        // Read before the shared cache, so that an entry read across an eviction is kept
        // under the old generation and never used again.
        let generation = self.generation.load(Ordering::Acquire);
        if let Some(entry) = near::get(self.id, token, generation, now) {
            return Lookup::Found(entry.into_result());
        }
        let digest = TokenDigest::of(token);
        // Boxed: moka's lookup future is large, and a near hit should not carry it around
        // (every future that awaits this one, up to the handler's, would be that much larger).
        let Some(entry) = Box::pin(self.entries.get(&digest)).await else {
            return Lookup::Missing(digest);
        };
        if entry.expires_at <= now {
            return Lookup::Missing(digest);
        }
        // Only users: the near copy's keys then come only from tokens the auth service
        // accepted, never from tokens an attacker could choose freely.
        if matches!(entry.verdict, Verdict::User(_)) {
            near::put(self.id, token, entry.clone(), generation);
        }
        Lookup::Found(entry.into_result())
    }

    /// The result of `fetch`, run once however many callers ask for the same digest at the
    /// same time, and remembered as the answer allows. A failure is shared with the callers
    /// that waited for it and is not remembered.
    pub(crate) async fn fetch_once<F>(
        &self,
        digest: TokenDigest,
        fetch: F,
    ) -> Result<User, AuthError>
    where
        F: Future<Output = Result<Fetched, AuthError>>,
    {
        let generation = self.generation.load(Ordering::Acquire);
        let entry = self
            .entries
            .try_get_with(digest, async {
                match fetch.await {
                    Ok(fetched) => Ok(self.user_entry(fetched)),
                    Err(AuthError::InvalidToken) => match self.settings.negative_ttl {
                        Some(lifetime) => Ok(Entry {
                            verdict: Verdict::Rejected,
                            expires_at: Instant::now() + lifetime,
                        }),
                        None => Err(AuthError::InvalidToken),
                    },
                    Err(error) => Err(error),
                }
            })
            .await;
        // An eviction while the call was under way must not be undone by its answer.
        if self.generation.load(Ordering::Acquire) != generation {
            self.entries.invalidate(&digest).await;
        }
        entry.map_err(Arc::unwrap_or_clone)?.into_result()
    }

    fn user_entry(&self, fetched: Fetched) -> Entry {
        let lifetime = fetched
            .max_age
            .map_or(self.settings.ttl, |max_age| max_age.min(self.settings.ttl));
        Entry {
            verdict: Verdict::User(fetched.user),
            expires_at: Instant::now() + lifetime,
        }
    }

    pub(crate) async fn evict(&self, digest: &TokenDigest) {
        self.generation.fetch_add(1, Ordering::Release);
        self.entries.invalidate(digest).await;
    }

    pub(crate) fn clear(&self) {
        self.generation.fetch_add(1, Ordering::Release);
        self.entries.invalidate_all();
    }

    /// Entries held, counting those not yet swept after expiry.
    pub(crate) async fn len(&self) -> u64 {
        self.entries.run_pending_tasks().await;
        self.entries.entry_count()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    fn settings() -> CacheSettings {
        CacheSettings {
            ttl: Duration::from_secs(30),
            capacity: 100,
            negative_ttl: None,
        }
    }

    impl IdentityCache {
        async fn get_or_fetch<F>(&self, token: &str, fetch: F) -> Result<User, AuthError>
        where
            F: Future<Output = Result<Fetched, AuthError>>,
        {
            match self.get(token).await {
                Lookup::Found(found) => found,
                Lookup::Missing(digest) => self.fetch_once(digest, fetch).await,
            }
        }
    }

    fn fetched(id: &str, max_age: Option<Duration>) -> Result<Fetched, AuthError> {
        Ok(Fetched {
            user: User::new(id, ["user"]),
            max_age,
        })
    }

    #[actix_web::test]
    async fn a_hit_makes_no_call_and_distinct_tokens_never_share() {
        let cache = IdentityCache::new(settings());
        let calls = AtomicUsize::new(0);
        for (token, id) in [("a", "1"), ("b", "2"), ("a", "1"), ("b", "2")] {
            let user = cache
                .get_or_fetch(token, async {
                    calls.fetch_add(1, Ordering::SeqCst);
                    fetched(id, None)
                })
                .await
                .unwrap();
            assert_eq!(user.id(), id);
        }
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[actix_web::test]
    async fn tokens_that_hash_alike_in_the_near_copy_stay_apart() {
        // Same length, same last 16 bytes: the near copy's hash is equal, its keys are not.
        let tail = "x".repeat(40);
        let (first, second) = (format!("a{tail}"), format!("b{tail}"));
        let cache = IdentityCache::new(settings());
        for _ in 0..3 {
            for (token, id) in [(&first, "1"), (&second, "2")] {
                let user = cache.get_or_fetch(token, async { fetched(id, None) }).await;
                assert_eq!(user.unwrap().id(), id);
            }
        }
    }

    #[actix_web::test]
    async fn caches_of_two_services_keep_their_own_users_for_one_token() {
        let (first, second) = (
            IdentityCache::new(settings()),
            IdentityCache::new(settings()),
        );
        let calls = AtomicUsize::new(0);
        for _ in 0..3 {
            for (cache, id) in [(&first, "1"), (&second, "2")] {
                let user = cache
                    .get_or_fetch("t", async {
                        calls.fetch_add(1, Ordering::SeqCst);
                        fetched(id, None)
                    })
                    .await;
                assert_eq!(user.unwrap().id(), id);
            }
        }
        assert_eq!(calls.load(Ordering::SeqCst), 2);
        assert_eq!((near::len(first.id), near::len(second.id)), (1, 1));
    }

    #[actix_web::test]
    async fn a_remembered_rejection_stays_out_of_the_near_copy() {
        let cache = IdentityCache::new(CacheSettings {
            negative_ttl: Some(Duration::from_secs(30)),
            ..settings()
        });
        for _ in 0..2 {
            let result = cache
                .get_or_fetch("rejected", async { Err(AuthError::InvalidToken) })
                .await;
            assert_eq!(result.unwrap_err(), AuthError::InvalidToken);
        }
        assert_eq!(near::len(cache.id), 0);
        cache
            .get_or_fetch("accepted", async { fetched("1", None) })
            .await
            .unwrap();
        cache
            .get_or_fetch("accepted", async { fetched("1", None) })
            .await
            .unwrap();
        assert_eq!(near::len(cache.id), 1);
    }

    #[actix_web::test]
    async fn failures_are_not_remembered() {
        let cache = IdentityCache::new(settings());
        for error in [AuthError::BadGateway, AuthError::InvalidToken] {
            let result = cache.get_or_fetch("t", async { Err(error.clone()) }).await;
            assert_eq!(result.unwrap_err(), error);
        }
        let user = cache.get_or_fetch("t", async { fetched("1", None) }).await;
        assert_eq!(user.unwrap().id(), "1");
    }

    #[actix_web::test]
    async fn an_eviction_during_the_call_is_not_undone_by_its_answer() {
        let cache = IdentityCache::new(settings());
        let digest = TokenDigest::of("t");
        let user = cache
            .fetch_once(digest, async {
                cache.evict(&digest).await;
                fetched("1", None)
            })
            .await;
        assert_eq!(
            user.unwrap().id(),
            "1",
            "the waiting request still gets its answer"
        );
        assert!(
            matches!(cache.get("t").await, Lookup::Missing(_)),
            "but it is not kept"
        );
    }

    #[actix_web::test]
    async fn rejections_are_remembered_only_with_a_negative_ttl() {
        let cache = IdentityCache::new(CacheSettings {
            negative_ttl: Some(Duration::from_secs(5)),
            ..settings()
        });
        let first = cache
            .get_or_fetch("t", async { Err(AuthError::InvalidToken) })
            .await;
        assert_eq!(first.unwrap_err(), AuthError::InvalidToken);
        let second = cache.get_or_fetch("t", async { fetched("1", None) }).await;
        assert_eq!(second.unwrap_err(), AuthError::InvalidToken);
    }

    #[actix_web::test]
    async fn a_zero_max_age_is_not_reused_and_eviction_forgets() {
        let cache = IdentityCache::new(settings());
        let calls = AtomicUsize::new(0);
        let digest = TokenDigest::of("t");
        let fetch = |max_age| {
            let calls = &calls;
            async move {
                calls.fetch_add(1, Ordering::SeqCst);
                fetched("1", max_age)
            }
        };
        cache
            .get_or_fetch("t", fetch(Some(Duration::ZERO)))
            .await
            .unwrap();
        cache.get_or_fetch("t", fetch(None)).await.unwrap();
        cache.get_or_fetch("t", fetch(None)).await.unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), 2);
        cache.evict(&digest).await;
        cache.get_or_fetch("t", fetch(None)).await.unwrap();
        cache.clear();
        cache.get_or_fetch("t", fetch(None)).await.unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), 4);
    }
}
