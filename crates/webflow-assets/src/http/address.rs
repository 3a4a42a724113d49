//! Which addresses a URL source may be fetched from, and the HTTP client that holds every
//! connection to that rule.
//!
//! A service that uploads URLs its users give must not become a way into its own network: a
//! URL naming `127.0.0.1`, a host on the private network or the cloud metadata endpoint
//! (169.254.169.254) would be fetched from inside and its answer published on Webflow's
//! public CDN. So by default a URL source is fetched only from public addresses.
//!
//! The check is made on the addresses connections are actually opened to, not on what a
//! look-up said earlier: the download client resolves names through [`PublicOnly`], which
//! drops every address that is not public before the connector sees it, so a name that
//! resolves to a public address when checked and to `127.0.0.1` when connected (DNS rebinding)
//! cannot slip past, and no request is ever sent to a refused address. Hosts written as IP
//! addresses are never resolved, so the download checks those itself, at every redirect hop,
//! before sending; and it checks the peer address of every answer too, as a last line should
//! anything else (a future connector, a system-wide override) open a connection elsewhere.
//! Checking only the answer's peer address would leave the request already sent to the
//! private host; a resolver alone would miss literal addresses.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use ipnet::{Ipv4Net, Ipv6Net};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// IPv4 ranges a URL source may not reach by default, with what they are.
const REFUSED_V4: &[(Ipv4Net, &str)] = &[
    (v4(0, 0, 0, 0, 8), "unspecified (\"this network\")"),
    (v4(10, 0, 0, 0, 8), "private"),
    (v4(100, 64, 0, 0, 10), "shared (carrier-grade NAT)"),
    (v4(127, 0, 0, 0, 8), "loopback"),
    (v4(169, 254, 0, 0, 16), "link-local"),
    (v4(172, 16, 0, 0, 12), "private"),
    (v4(192, 0, 0, 0, 24), "IETF protocol assignment"),
    (v4(192, 0, 2, 0, 24), "documentation"),
    (v4(192, 168, 0, 0, 16), "private"),
    (v4(198, 18, 0, 0, 15), "benchmarking"),
    (v4(198, 51, 100, 0, 24), "documentation"),
    (v4(203, 0, 113, 0, 24), "documentation"),
    (v4(224, 0, 0, 0, 4), "multicast"),
    // Before 240.0.0.0/4, which holds it: the first match names the range.
    (v4(255, 255, 255, 255, 32), "broadcast"),
    (v4(240, 0, 0, 0, 4), "reserved"),
];

/// IPv6 ranges a URL source may not reach by default. IPv4-mapped (`::ffff:0:0/96`) and
/// NAT64 (`64:ff9b::/96`) addresses are judged by the IPv4 address they carry instead.
const REFUSED_V6: &[(Ipv6Net, &str)] = &[
    (v6(0, 0, 128), "unspecified"),
    (v6(0, 1, 128), "loopback"),
    // `::a.b.c.d`, deprecated since 2006; no public host has one.
    (v6(0, 0, 96), "IPv4-compatible"),
    (v6(0x0064_ff9b_0001 << 80, 0, 48), "local-use NAT64"),
    (v6(0x0100 << 112, 0, 64), "discard-only"),
    (v6(0x2001_0db8 << 96, 0, 32), "documentation"),
    (v6(0x3fff << 112, 0, 20), "documentation"),
    (v6(0xfc00 << 112, 0, 7), "unique local (private)"),
    (v6(0xfe80 << 112, 0, 10), "link-local"),
    (v6(0xfec0 << 112, 0, 10), "site-local"),
    (v6(0xff00 << 112, 0, 8), "multicast"),
];

const fn v4(a: u8, b: u8, c: u8, d: u8, len: u8) -> Ipv4Net {
    Ipv4Net::new_assert(Ipv4Addr::new(a, b, c, d), len)
}

/// The network `high | low` (as a 128-bit number) of `len` bits.
const fn v6(high: u128, low: u128, len: u8) -> Ipv6Net {
    Ipv6Net::new_assert(Ipv6Addr::from_bits(high | low), len)
}

/// What kind of non-public address `ip` is, if it is one.
pub(crate) fn refused_range(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(ip) => REFUSED_V4
            .iter()
            .find(|(net, _)| net.contains(&ip))
            .map(|(_, what)| *what),
        IpAddr::V6(ip) => {
            if let Some(v4) = embedded_v4(ip) {
                return refused_range(IpAddr::V4(v4));
            }
            REFUSED_V6
                .iter()
                .find(|(net, _)| net.contains(&ip))
                .map(|(_, what)| *what)
        }
    }
}

/// The IPv4 address an IPv4-mapped (`::ffff:127.0.0.1`) or NAT64 (`64:ff9b::7f00:1`)
/// address reaches.
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    const NAT64: Ipv6Net = v6(0x0064_ff9b << 96, 0, 96);
    if let Some(v4) = ip.to_ipv4_mapped() {
        return Some(v4);
    }
    NAT64
        .contains(&ip)
        .then(|| Ipv4Addr::from_bits(ip.to_bits() as u32))
}

/// A connection refused because of the address it would reach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refused {
    /// The address.
    pub address: IpAddr,
    /// What kind of address it is (`loopback`, `private`...).
    pub range: &'static str,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} is a {} address", self.address, self.range)
    }
}

impl std::error::Error for Refused {}

/// Why `ip` may not be reached, if it may not.
pub(crate) fn check(ip: IpAddr) -> Result<(), Refused> {
    match refused_range(ip) {
        None => Ok(()),
        Some(range) => Err(Refused { address: ip, range }),
    }
}

/// The public ones of the addresses a name resolved to; an error naming the first refused
/// address when none is public.
fn keep_public(addrs: impl IntoIterator<Item = SocketAddr>) -> Result<Vec<SocketAddr>, Refused> {
    let mut first_refused = None;
    let public: Vec<SocketAddr> = addrs
        .into_iter()
        .filter(|addr| match check(addr.ip()) {
            Ok(()) => true,
            Err(refused) => {
                first_refused.get_or_insert(refused);
                false
            }
        })
        .collect();
    match (public.is_empty(), first_refused) {
        (true, Some(refused)) => Err(refused),
        _ => Ok(public),
    }
}

/// The system resolver, with every address that is not public taken out of its answers.
#[derive(Debug)]
pub(crate) struct PublicOnly;

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_string();
        Box::pin(async move {
            // Port 0: the connector puts the URL's port on whatever is returned.
            let found = tokio::net::lookup_host((host.as_str(), 0)).await?;
            let public = keep_public(found)?;
            Ok(Box::new(public.into_iter()) as Addrs)
        })
    }
}

/// The HTTP client URL sources are fetched with, and whether it may reach any address.
#[derive(Clone, Debug)]
pub(crate) struct Fetcher {
    pub http: reqwest::Client,
    /// `false` (the default): only public addresses, checked as this module says.
    pub allow_private: bool,
    /// A loopback server that unit tests treat as a public host (download.rs).
    #[cfg(test)]
    pub public_in_tests: Option<SocketAddr>,
}

impl Fetcher {
    /// A client for URL sources that reaches only public addresses, from settings shared with
    /// the API client (timeouts, user agent). It uses no proxy: a proxy resolves and connects
    /// on the client's behalf, out of sight of any check made here.
    pub(crate) fn public_only(settings: reqwest::ClientBuilder) -> Result<Self, reqwest::Error> {
        let http = settings
            .dns_resolver(Arc::new(PublicOnly))
            .no_proxy()
            // Followed by hand, each hop checked (download.rs).
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(Self {
            http,
            allow_private: false,
            #[cfg(test)]
            public_in_tests: None,
        })
    }

    /// A client for URL sources that may reach any address (the caller opted in).
    pub(crate) fn any_address(http: reqwest::Client) -> Self {
        Self {
            http,
            allow_private: true,
            #[cfg(test)]
            public_in_tests: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(ip: &str) -> Option<&'static str> {
        refused_range(ip.parse().unwrap())
    }

    #[test]
    fn private_loopback_link_local_and_reserved_ranges_are_refused() {
        for (ip, what) in [
            ("127.0.0.1", "loopback"),
            ("127.255.0.9", "loopback"),
            ("10.1.2.3", "private"),
            ("172.16.0.1", "private"),
            ("172.31.255.255", "private"),
            ("192.168.1.1", "private"),
            ("169.254.169.254", "link-local"),
            ("100.64.0.1", "shared (carrier-grade NAT)"),
            ("0.0.0.0", "unspecified (\"this network\")"),
            ("255.255.255.255", "broadcast"),
            ("192.0.2.10", "documentation"),
            ("198.51.100.1", "documentation"),
            ("203.0.113.7", "documentation"),
            ("224.0.0.1", "multicast"),
            ("::", "unspecified"),
            ("::1", "loopback"),
            ("fc00::1", "unique local (private)"),
            ("fd12:3456::1", "unique local (private)"),
            ("fe80::1", "link-local"),
            ("2001:db8::1", "documentation"),
            ("ff02::1", "multicast"),
            // The same IPv4 ranges, written as IPv6.
            ("::ffff:127.0.0.1", "loopback"),
            ("::ffff:7f00:1", "loopback"),
            ("::ffff:169.254.169.254", "link-local"),
            ("::ffff:10.0.0.1", "private"),
            ("64:ff9b::7f00:1", "loopback"),
            ("::127.0.0.1", "IPv4-compatible"),
        ] {
            assert_eq!(range(ip), Some(what), "{ip}");
        }
    }

    #[test]
    fn public_addresses_pass() {
        for ip in [
            "93.184.215.14",
            "172.15.255.255",
            "172.32.0.0",
            "100.128.0.1",
            "8.8.8.8",
            "2606:4700:4700::1111",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
        ] {
            assert_eq!(range(ip), None, "{ip}");
        }
    }

    #[test]
    fn a_name_keeps_only_its_public_addresses() {
        let addr = |s: &str| SocketAddr::new(s.parse().unwrap(), 0);
        // A rebinding answer mixing a public address and loopback: only the public one is
        // ever connected to.
        assert_eq!(
            keep_public([addr("127.0.0.1"), addr("93.184.215.14")]),
            Ok(vec![addr("93.184.215.14")])
        );
        assert_eq!(
            keep_public([addr("::ffff:127.0.0.1"), addr("10.0.0.2")]),
            Err(Refused {
                address: "::ffff:127.0.0.1".parse().unwrap(),
                range: "loopback"
            })
        );
    }

    #[tokio::test]
    async fn the_resolver_refuses_a_name_that_resolves_to_loopback() {
        // `localhost` resolves (through the system's resolver, as any name does) to loopback
        // addresses only.
        let error = match PublicOnly.resolve("localhost".parse().unwrap()).await {
            Ok(addrs) => panic!("resolved to {:?}", addrs.collect::<Vec<_>>()),
            Err(error) => error,
        };
        let refused = error.downcast_ref::<Refused>().expect("a Refused error");
        assert_eq!(refused.range, "loopback", "{refused}");
    }
}
