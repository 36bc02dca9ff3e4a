//! One table per enum between its variants and their wire strings.
//!
//! Why a macro: the kebab-case names of statuses, stances, decisions and kinds are what the JSON,
//! the authoring format's front matter, the database and the pages all store. They used to be
//! written out again in serde attributes, the widget's decoder, the server's SQL layer and the
//! review page, and the copies drifted. [`wire_enum!`](crate::wire_enum) takes each name once and generates from it
//! the `#[serde(rename)]` of the variant (so serde, the TOML front matter and the JSON Schema read
//! the same string), `as_str`, `parse` and `ALL`. `parse` is a plain `match`, so the widget's
//! decoder costs no more than the hand-written one it replaces.

/// Declares an enum whose variants each carry their wire string:
///
/// ```
/// jiedu_core::wire_enum! {
///     /// A comment's stance.
///     #[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
///     pub enum Stance {
///         Support = "support",
///         SuggestChange = "suggest-change",
///     }
/// }
/// assert_eq!(Stance::SuggestChange.as_str(), "suggest-change");
/// assert_eq!(Stance::parse("support"), Some(Stance::Support));
/// assert_eq!(Stance::parse("Support"), None);
/// assert_eq!(Stance::ALL.len(), 2);
/// assert_eq!(serde_json::to_string(&Stance::SuggestChange).unwrap(), "\"suggest-change\"");
/// ```
///
/// With labels:
///
/// ```
/// jiedu_core::wire_enum! {
///     #[derive(Clone, Copy, serde::Serialize, serde::Deserialize)]
///     pub enum Answer {
///         Yes = "yes" | "是" | "Yes",
///         No = "no" | "否" | "No",
///     }
/// }
/// assert_eq!(Answer::No.label(jiedu_core::Lang::ZhCn), "否");
/// ```
///
/// The caller writes the derives (Serialize and Deserialize among them) and any other attribute;
/// the macro adds a `#[serde(rename = "…")]` to each variant.
///
/// A variant may also carry its labels for people, Chinese then English
/// (`Support = "support" | "赞成" | "Support"`); when every variant does, the enum gets
/// `label(lang)`, the one place the widget, the static pages and the review page take them from.
#[macro_export]
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal | $zh:literal | $en:literal ),+ $(,)?
        }
    ) => {
        $crate::wire_enum! {
            $(#[$meta])*
            $vis enum $name {
                $( $(#[$vmeta])* $variant = $wire, )+
            }
        }

        impl $name {
            /// The name people read, in their language.
            pub const fn label(self, lang: $crate::model::Lang) -> &'static str {
                match lang {
                    $crate::model::Lang::ZhCn => match self {
                        $( $name::$variant => $zh, )+
                    },
                    $crate::model::Lang::En => match self {
                        $( $name::$variant => $en, )+
                    },
                }
            }
        }
    };
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis enum $name {
            $( $(#[$vmeta])* #[serde(rename = $wire)] $variant, )+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: [$name; [$($wire),+].len()] = [$($name::$variant),+];

            /// The wire string: JSON, front matter, database.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $wire, )+
                }
            }

            /// The variant written as `s`, exactly (no case folding, no trimming).
            pub fn parse(s: &str) -> Option<$name> {
                match s {
                    $( $wire => Some($name::$variant), )+
                    _ => None,
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
