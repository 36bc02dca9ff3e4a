//! Random identifiers and keyed hashes: receipt numbers, editor tokens, IP hashes.
//!
//! Everything random comes from the operating system's CSPRNG (`getrandom`): receipts must be
//! unguessable, because a receipt is all it takes to read the status of a comment.

use sha2::{Digest, Sha256};

/// The receipt alphabet: Crockford's base 32 without the characters people confuse when they
/// read a receipt aloud or type it from paper (`0`/`O`, `1`/`I`/`L`) and without `U`. 30 symbols.
pub const RECEIPT_ALPHABET: &[u8; 30] = b"23456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Fills `buf` from the OS CSPRNG. The OS generator failing is not something the server can
/// work around, so it is a panic with a clear message rather than a silently weaker number.
fn random_bytes(buf: &mut [u8]) {
    getrandom::fill(buf).expect("the operating system's random number generator is available");
}

/// `n` symbols drawn uniformly from `alphabet` (rejection sampling keeps them uniform).
fn random_symbols(alphabet: &[u8], n: usize) -> String {
    let limit = 256 - 256 % alphabet.len();
    let mut out = String::with_capacity(n);
    let mut buf = [0u8; 32];
    while out.len() < n {
        random_bytes(&mut buf);
        for &b in &buf {
            if (b as usize) < limit && out.len() < n {
                out.push(alphabet[b as usize % alphabet.len()] as char);
            }
        }
    }
    out
}

/// A new receipt number, `JD-XXXX-XXXX-XXXX`: 12 symbols of 30, about 59 bits of randomness.
/// (Receipts given out before were `JD-XXXX-XXXX`, 8 symbols; they stay valid.)
pub fn new_receipt() -> String {
    let s = random_symbols(RECEIPT_ALPHABET, 12);
    format!("JD-{}-{}-{}", &s[..4], &s[4..8], &s[8..])
}

/// Normalises what a person typed as a receipt: any case, spaces, dashes and underscores in any
/// place, the `JD` prefix optional. `None` if it cannot be a receipt.
pub fn normalize_receipt(input: &str) -> Option<String> {
    let symbols: String = input
        .trim()
        .to_ascii_uppercase()
        .chars()
        .filter(|c| !matches!(c, '-' | ' ' | '_'))
        .collect();
    // `J` and `D` are receipt symbols too: "JD" is the prefix only if what follows has a
    // receipt's length.
    let body = match symbols.strip_prefix("JD") {
        Some(rest) if matches!(rest.len(), 8 | 12) => rest,
        _ => &symbols,
    };
    let valid = matches!(body.len(), 8 | 12) && body.bytes().all(|b| RECEIPT_ALPHABET.contains(&b));
    valid.then(|| {
        let groups: Vec<&str> = [&body[..4], &body[4..8], body.get(8..).unwrap_or("")]
            .into_iter()
            .filter(|g| !g.is_empty())
            .collect();
        format!("JD-{}", groups.join("-"))
    })
}

/// A new editor token: `jdt_` and 32 symbols of base 32 (160 bits).
pub fn new_token() -> String {
    format!(
        "jdt_{}",
        random_symbols(b"abcdefghijkmnpqrstuvwxyz23456789", 32)
    )
}

/// The hash under which a token is stored. Tokens are long and random, so a plain SHA-256 is
/// enough: there is nothing to brute-force.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// A new secret for keyed hashes, as hex.
pub fn new_secret() -> String {
    let mut key = [0u8; 32];
    random_bytes(&mut key);
    hex(&key)
}

/// HMAC-SHA-256 (RFC 2104) of `message` under `key`.
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut block = [0u8; 64];
    if key.len() > 64 {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha256::new();
    inner.update(block.map(|b| b ^ 0x36));
    inner.update(message);
    let inner = inner.finalize();
    let mut outer = Sha256::new();
    outer.update(block.map(|b| b ^ 0x5c));
    outer.update(inner);
    outer.finalize().into()
}

/// The keyed hash of a client address that is stored with a comment instead of the address.
/// IPv6 addresses are cut to their /64 first (one household or one device's range).
pub fn ip_hash(secret: &[u8], ip: std::net::IpAddr) -> String {
    let text = match ip {
        std::net::IpAddr::V4(v4) => v4.to_string(),
        std::net::IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    };
    hex(&hmac_sha256(secret, text.as_bytes())[..16])
}

/// SHA-256 of a request body, to tell an honest retry from a reused idempotency key.
pub fn body_hash(body: &[u8]) -> String {
    hex(&Sha256::digest(body))
}

pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 15) as usize] as char);
    }
    out
}

/// Checks that an `Idempotency-Key` is a UUID (`8-4-4-4-12` hex digits) and returns it in lower
/// case, so the same key in another case is the same key.
pub fn parse_uuid(s: &str) -> Option<String> {
    let s = s.trim();
    let groups: Vec<&str> = s.split('-').collect();
    let lens = [8, 4, 4, 4, 12];
    let ok = groups.len() == 5
        && groups
            .iter()
            .zip(lens)
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()));
    ok.then(|| s.to_ascii_lowercase())
}

/// A random (version 4) UUID, for clients and tests that need an idempotency key.
pub fn new_uuid() -> String {
    let mut b = [0u8; 16];
    random_bytes(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex(&b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receipts_are_well_formed_and_round_trip() {
        for _ in 0..100 {
            let r = new_receipt();
            assert_eq!(r.len(), 17);
            assert_eq!(normalize_receipt(&r).as_deref(), Some(r.as_str()));
            assert_eq!(
                normalize_receipt(&r.to_ascii_lowercase().replace('-', " ")).as_deref(),
                Some(r.as_str())
            );
        }
        assert_eq!(normalize_receipt("JD-1234"), None);
        for typed in [
            "JD7K3Q9XWM",
            "jd7k3q9xwm",
            "JD 7K3Q 9XWM",
            "7K3Q-9XWM",
            "JD-7K3Q9XWM",
        ] {
            assert_eq!(
                normalize_receipt(typed).as_deref(),
                Some("JD-7K3Q-9XWM"),
                "{typed}"
            );
        }
        for typed in ["JDJD2345AB", "JD-JD23-45AB"] {
            assert_eq!(
                normalize_receipt(typed).as_deref(),
                Some("JD-JD23-45AB"),
                "{typed}"
            );
        }
        assert_eq!(
            normalize_receipt("jd7k3q9xwmabcd").as_deref(),
            Some("JD-7K3Q-9XWM-ABCD")
        );
        // 10 symbols: a typo, not a receipt (nor a 10-symbol body behind "JD").
        assert_eq!(normalize_receipt("7K3Q9XWMAB"), None);
        assert_eq!(normalize_receipt("JD-7K3Q-9XWM!"), None);
    }

    #[test]
    fn hmac_matches_rfc_4231_case_2() {
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        assert_eq!(
            hex(&mac),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn uuids() {
        let u = new_uuid();
        assert_eq!(parse_uuid(&u.to_ascii_uppercase()), Some(u));
        assert_eq!(parse_uuid("not-a-uuid"), None);
    }
}
