//! Per-address limits: on comment submissions and on receipt lookups.
//!
//! Both are one keyed GCRA limiter (`governor`): each client address may spend `burst` requests
//! at once and then `per_minute` a minute. A refused request is answered 429 with the seconds
//! until the next one is allowed (`Retry-After`). The receipt limit exists because a receipt is
//! all it takes to read a comment's status: with it, guessing receipts from one address runs at
//! a few hundred an hour instead of as fast as the server answers. State lives in memory only:
//! the limits protect the server and the editors' time, they are not a record of who sent what;
//! addresses whose allowance has refilled are forgotten when the table grows.

use std::net::IpAddr;
use std::num::NonZeroU32;

use governor::clock::{Clock, DefaultClock};
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::HashMapStateStore;
use governor::{Quota, RateLimiter as Gcra};

/// Above this many tracked addresses, those whose allowance has refilled are dropped.
const PRUNE_AT: usize = 10_000;

type Keyed<C> = Gcra<IpAddr, HashMapStateStore<IpAddr>, C, NoOpMiddleware<<C as Clock>::Instant>>;

pub struct RateLimiter<C: Clock = DefaultClock> {
    gcra: Option<Keyed<C>>,
    clock: C,
}

impl std::fmt::Debug for RateLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimiter")
            .field("enabled", &self.gcra.is_some())
            .finish()
    }
}

impl RateLimiter {
    /// `per_minute = 0` turns the limit off.
    pub fn new(per_minute: u32, burst: u32) -> RateLimiter {
        RateLimiter::with_clock(per_minute, burst, DefaultClock::default())
    }
}

impl<C: Clock + Clone> RateLimiter<C> {
    pub fn with_clock(per_minute: u32, burst: u32, clock: C) -> RateLimiter<C> {
        let gcra = NonZeroU32::new(per_minute).map(|rate| {
            let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
            let quota = Quota::per_minute(rate).allow_burst(burst);
            Gcra::new(quota, HashMapStateStore::default(), clock.clone())
        });
        RateLimiter { gcra, clock }
    }

    pub fn enabled(&self) -> bool {
        self.gcra.is_some()
    }

    /// Counts a request from `ip`, or says how many seconds until one is allowed.
    pub fn check(&self, ip: IpAddr) -> Result<(), u64> {
        let Some(gcra) = &self.gcra else {
            return Ok(());
        };
        if gcra.len() >= PRUNE_AT {
            gcra.retain_recent();
        }
        gcra.check_key(&bucket_key(ip)).map_err(|not_until| {
            let wait = not_until.wait_time_from(self.clock.now());
            wait.as_secs_f64().ceil().max(1.0) as u64
        })
    }
}

/// IPv6 clients usually hold a whole /64; limit them by it, not by single addresses.
fn bucket_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use governor::clock::FakeRelativeClock;
    use std::time::Duration;

    #[test]
    fn allowance_empties_and_refills() {
        let clock = FakeRelativeClock::default();
        let limiter = RateLimiter::with_clock(60, 2, clock.clone());
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        assert_eq!(limiter.check(ip), Ok(()));
        assert_eq!(limiter.check(ip), Ok(()));
        assert_eq!(limiter.check(ip), Err(1));
        assert_eq!(limiter.check("192.0.2.2".parse().unwrap()), Ok(()));
        clock.advance(Duration::from_secs(1));
        assert_eq!(limiter.check(ip), Ok(()));
        assert_eq!(limiter.check(ip), Err(1));
        let v6 = |s: &str| s.parse::<IpAddr>().unwrap();
        let limiter = RateLimiter::with_clock(1, 1, clock.clone());
        assert_eq!(limiter.check(v6("2001:db8:1:2::1")), Ok(()));
        assert_eq!(limiter.check(v6("2001:db8:1:2::ffff")), Err(60), "one /64");
        assert!(RateLimiter::new(0, 0).check(ip).is_ok());
    }
}
