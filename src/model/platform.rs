//! The Qualys platforms and the gateway each one's API lives on.

use serde::{Deserialize, Serialize};
#[cfg(target_arch = "wasm32")]
use tsify::Tsify;

/// A Qualys platform, as the account's "Help > About" page names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
pub enum Platform {
    /// United States 1.
    US1,
    /// United States 2.
    US2,
    /// United States 3.
    US3,
    /// United States 4.
    US4,
    /// Europe 1.
    EU1,
    /// Europe 2.
    EU2,
    /// Europe 3.
    EU3,
    /// India 1.
    IN1,
    /// Canada 1.
    CA1,
    /// United Arab Emirates 1.
    AE1,
    /// United Kingdom 1.
    UK1,
    /// Australia 1.
    AU1,
    /// Kingdom of Saudi Arabia 1.
    KSA1,
}

impl Platform {
    /// Every known platform.
    pub const ALL: [Platform; 13] = [
        Platform::US1,
        Platform::US2,
        Platform::US3,
        Platform::US4,
        Platform::EU1,
        Platform::EU2,
        Platform::EU3,
        Platform::IN1,
        Platform::CA1,
        Platform::AE1,
        Platform::UK1,
        Platform::AU1,
        Platform::KSA1,
    ];

    /// The platform's name, e.g. `"US1"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::US1 => "US1",
            Platform::US2 => "US2",
            Platform::US3 => "US3",
            Platform::US4 => "US4",
            Platform::EU1 => "EU1",
            Platform::EU2 => "EU2",
            Platform::EU3 => "EU3",
            Platform::IN1 => "IN1",
            Platform::CA1 => "CA1",
            Platform::AE1 => "AE1",
            Platform::UK1 => "UK1",
            Platform::AU1 => "AU1",
            Platform::KSA1 => "KSA1",
        }
    }

    /// Reads a platform name; the case of the letters does not matter.
    pub fn from_name(name: &str) -> Option<Platform> {
        Platform::ALL
            .into_iter()
            .find(|platform| platform.as_str().eq_ignore_ascii_case(name.trim()))
    }

    /// The gateway URL of the platform, e.g. `https://gateway.qg1.apps.qualys.com`.
    pub fn gateway_url(self) -> &'static str {
        match self {
            Platform::US1 => "https://gateway.qg1.apps.qualys.com",
            Platform::US2 => "https://gateway.qg2.apps.qualys.com",
            Platform::US3 => "https://gateway.qg3.apps.qualys.com",
            Platform::US4 => "https://gateway.qg4.apps.qualys.com",
            Platform::EU1 => "https://gateway.qg1.apps.qualys.eu",
            Platform::EU2 => "https://gateway.qg2.apps.qualys.eu",
            Platform::EU3 => "https://gateway.qg3.apps.qualys.it",
            Platform::IN1 => "https://gateway.qg1.apps.qualys.in",
            Platform::CA1 => "https://gateway.qg1.apps.qualys.ca",
            Platform::AE1 => "https://gateway.qg1.apps.qualys.ae",
            Platform::UK1 => "https://gateway.qg1.apps.qualys.co.uk",
            Platform::AU1 => "https://gateway.qg1.apps.qualys.com.au",
            Platform::KSA1 => "https://gateway.qg1.apps.qualysksa.com",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_platform_has_an_https_gateway_and_reads_back_by_name() {
        for platform in Platform::ALL {
            assert!(platform.gateway_url().starts_with("https://gateway."));
            assert_eq!(Platform::from_name(platform.as_str()), Some(platform));
        }
        assert_eq!(Platform::from_name("eu2"), Some(Platform::EU2));
        assert_eq!(Platform::from_name("US5"), None);
        assert_eq!(
            Platform::EU3.gateway_url(),
            "https://gateway.qg3.apps.qualys.it"
        );
    }
}
