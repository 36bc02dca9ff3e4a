//! The stable diagnostic codes of the authoring checks.
//!
//! Tests, the CLI and editors' tools match on these codes, never on messages, so a code keeps its
//! meaning forever: a retired check leaves a gap rather than handing its number to another.
//! `J0xxx` are errors (the document cannot be built), `J1xxx` warnings (it builds, but an editor
//! should act). `docs/diagnostics.md` explains each code with an example and what to do.

/// The file does not open with TOML front matter between `+++` lines, or it is not closed.
pub const FRONT_MATTER_MISSING: &str = "J0001";
/// The front matter is not valid TOML.
pub const FRONT_MATTER_SYNTAX: &str = "J0002";
/// The front matter has a key the format does not know.
pub const FRONT_MATTER_UNKNOWN_KEY: &str = "J0003";
/// A required front-matter key is missing.
pub const FRONT_MATTER_MISSING_KEY: &str = "J0004";
/// A front-matter value has the wrong type or is not one of the allowed values.
pub const FRONT_MATTER_BAD_VALUE: &str = "J0005";
/// A document, provision, interpretation or FAQ id does not have the allowed form.
pub const INVALID_ID: &str = "J0006";
/// Two headings have the same id.
pub const DUPLICATE_ID: &str = "J0007";
/// `for=` names a provision the document does not have.
pub const UNKNOWN_TARGET: &str = "J0008";
/// A link or image URL with a scheme other than `http`, `https` or `mailto`.
pub const UNSAFE_URL: &str = "J0009";
/// The consultation closes before (or when) it opens.
pub const CLOSES_BEFORE_OPENS: &str = "J0010";
/// A follow-up interpretation without `date=`.
pub const FOLLOW_UP_WITHOUT_DATE: &str = "J0011";
/// A heading attribute or class the format does not know, or one that does not apply there.
pub const UNKNOWN_ATTRIBUTE: &str = "J0012";
/// `kind=` is not one of the interpretation kinds.
pub const BAD_KIND: &str = "J0013";
/// A date or date-time that is not valid or not in the required form.
pub const BAD_DATE: &str = "J0014";
/// A heading attribute block that cannot be read: unclosed quote, missing value, repeated key.
pub const MALFORMED_ATTRIBUTES: &str = "J0015";
/// `replaces` names the document itself.
pub const REPLACES_ITSELF: &str = "J0016";
/// A provision heading after the closing (the text after the thematic break that ends the
/// provisions).
pub const PROVISION_AFTER_CLOSING: &str = "J0017";

/// An interpretation that mostly copies the text of the provisions it interprets.
pub const COPIES_PROVISION: &str = "J1001";
/// An interpretation that is little more than the document's headings listed again.
pub const LISTS_HEADINGS: &str = "J1002";
/// A public document in force (or under consultation) without any interpretation.
pub const NO_INTERPRETATION: &str = "J1003";
/// Interpretations that never explain background, considerations or impact.
pub const NO_EXPLANATION: &str = "J1004";
/// A consultation shorter than the legal minimum for its kind.
pub const SHORT_CONSULTATION: &str = "J1005";
/// A provision of a document under consultation without a fixed `{#id}`.
pub const UNFIXED_ID: &str = "J1006";
/// An image or video without alt text.
pub const MISSING_ALT: &str = "J1007";
/// Raw HTML in the Markdown: it is shown as text, never passed through.
pub const RAW_HTML: &str = "J1008";
/// An interpretation or FAQ with an empty body, or an FAQ without a question.
pub const EMPTY_ENTRY: &str = "J1009";
/// `status = "consultation"` without a `[consultation]` table.
pub const CONSULTATION_MISSING: &str = "J1010";
/// A heading ends in something that looks like an attribute block but is not read as one.
pub const UNREAD_ATTRIBUTES: &str = "J1011";
/// An invisible bidirectional control character (U+202A–U+202E, U+2066–U+2069), which can make
/// text display differently from what it says (U+202E before `gnp.exe` shows it as `exe.png`).
pub const BIDI_CONTROL: &str = "J1012";
/// A video without captions (no `"captions: URL"` title).
pub const NO_CAPTIONS: &str = "J1013";

/// A revision of a document under consultation removes, or changes the id of, a provision that
/// has comments. Reported by `revision::check_commented_ids` (it needs the comments,
/// so `compile` never reports it and it is not in [`ALL`]); `J02xx` are the revision checks.
pub const COMMENTED_PROVISION_LOST: &str = "J0201";

/// Every code with its one-line meaning, in order (used by the docs test and `jiedu check --explain`).
pub const ALL: &[(&str, &str)] = &[
    (FRONT_MATTER_MISSING, "front matter missing or not closed"),
    (FRONT_MATTER_SYNTAX, "front matter is not valid TOML"),
    (FRONT_MATTER_UNKNOWN_KEY, "unknown front-matter key"),
    (
        FRONT_MATTER_MISSING_KEY,
        "required front-matter key missing",
    ),
    (
        FRONT_MATTER_BAD_VALUE,
        "front-matter value of the wrong type or not allowed",
    ),
    (INVALID_ID, "invalid id"),
    (DUPLICATE_ID, "duplicate id"),
    (UNKNOWN_TARGET, "for= names an unknown provision"),
    (UNSAFE_URL, "unsafe URL"),
    (CLOSES_BEFORE_OPENS, "consultation closes before it opens"),
    (
        FOLLOW_UP_WITHOUT_DATE,
        "follow-up interpretation without date=",
    ),
    (UNKNOWN_ATTRIBUTE, "unknown or misplaced heading attribute"),
    (BAD_KIND, "unknown interpretation kind"),
    (BAD_DATE, "invalid date"),
    (MALFORMED_ATTRIBUTES, "malformed attribute block"),
    (REPLACES_ITSELF, "replaces names the document itself"),
    (
        PROVISION_AFTER_CLOSING,
        "provision heading after the closing",
    ),
    (COPIES_PROVISION, "interpretation copies the provision text"),
    (
        LISTS_HEADINGS,
        "interpretation lists the document's headings",
    ),
    (NO_INTERPRETATION, "public document without interpretation"),
    (NO_EXPLANATION, "no background, considerations or impact"),
    (
        SHORT_CONSULTATION,
        "consultation shorter than the legal minimum",
    ),
    (UNFIXED_ID, "provision under consultation without fixed id"),
    (MISSING_ALT, "image or video without alt text"),
    (RAW_HTML, "raw HTML"),
    (EMPTY_ENTRY, "empty interpretation or FAQ"),
    (
        CONSULTATION_MISSING,
        "status consultation without [consultation]",
    ),
    (UNREAD_ATTRIBUTES, "attribute block not recognised"),
    (BIDI_CONTROL, "invisible bidirectional control character"),
    (NO_CAPTIONS, "video without captions"),
];
