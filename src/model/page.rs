//! One page of a listing, and the page a caller asks for.

use super::nullable::null_as_default;
use super::whole_number::optional_count;
use serde::{Deserialize, Serialize};
#[cfg(target_arch = "wasm32")]
use tsify::Tsify;

/// One page of a listing: the items and the total count across every page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(from = "PageWire<T>", bound(deserialize = "T: Deserialize<'de>"))]
pub struct Page<T> {
    /// The items of this page.
    pub data: Vec<T>,
    /// How many items there are across every page.
    pub count: u64,
}

/// A page as it arrives: `data` may be `null` (an empty page) and `count` may be missing.
///
/// `data` must be there: an object without it (`{}`, or an error body such as
/// `{"errorCode": …, "message": …}` sent with a 2xx status) is no page, and reading it as
/// an empty one would hide the failure. Its errors say what was expected in the API's
/// terms, not by this type's name.
#[derive(Deserialize)]
#[serde(
    bound(deserialize = "T: Deserialize<'de>"),
    expecting = "a page: an object with `data` and `count`"
)]
struct PageWire<T> {
    #[serde(deserialize_with = "null_as_default")]
    data: Vec<T>,
    #[serde(default, deserialize_with = "optional_count")]
    count: Option<u64>,
}

impl<T> From<PageWire<T>> for Page<T> {
    fn from(wire: PageWire<T>) -> Page<T> {
        // Without a count, the page itself is all that is known to exist.
        let count = wire.count.unwrap_or(wire.data.len() as u64);
        Page {
            data: wire.data,
            count,
        }
    }
}

/// Which page of a listing to fetch; the API defaults to page 1 of 50.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct PageRequest {
    /// The page number, from 1.
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub page_number: u32,
    /// Items per page, 1 to 1000.
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub page_size: u32,
}

impl Default for PageRequest {
    fn default() -> Self {
        PageRequest {
            page_number: 1,
            page_size: 50,
        }
    }
}
