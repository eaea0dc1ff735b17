//! Which installed family each generic font family means (SVG's `font-family: sans-serif`,
//! Pango's `sans`): the first of these the system has, else the bundled DejaVu Sans.

/// The family the `dejavu` crate bundles, so text renders on machines without fonts.
pub const BUNDLED: &str = "DejaVu Sans";

pub const SERIF: &[&str] = &[
    "Times New Roman",
    "Times",
    "Liberation Serif",
    "DejaVu Serif",
    "Noto Serif",
];
pub const SANS_SERIF: &[&str] = &[
    "Arial",
    "Helvetica",
    "Liberation Sans",
    "DejaVu Sans",
    "Noto Sans",
];
pub const MONOSPACE: &[&str] = &[
    "Courier New",
    "Courier",
    "Liberation Mono",
    "DejaVu Sans Mono",
    "Noto Sans Mono",
];
pub const CURSIVE: &[&str] = &["Comic Sans MS", "Apple Chancery"];
pub const FANTASY: &[&str] = &["Impact", "Papyrus"];

/// The first of `candidates` that `installed` says is there, else the bundled family.
pub fn choose(candidates: &[&str], installed: impl Fn(&str) -> bool) -> String {
    candidates
        .iter()
        .copied()
        .find(|name| installed(name))
        .unwrap_or(BUNDLED)
        .to_owned()
}

/// Sets each generic family of `$database` (a fontdb `Database`: SVG's and text's are of
/// different fontdb versions) to what `choose` picks, `$installed` saying what is there.
macro_rules! set_generic_families {
    ($database:expr, $installed:expr) => {{
        use $crate::font_families::{choose, CURSIVE, FANTASY, MONOSPACE, SANS_SERIF, SERIF};
        let [serif, sans_serif, monospace, cursive, fantasy] =
            [SERIF, SANS_SERIF, MONOSPACE, CURSIVE, FANTASY].map(|names| choose(names, $installed));
        $database.set_serif_family(serif);
        $database.set_sans_serif_family(sans_serif);
        $database.set_monospace_family(monospace);
        $database.set_cursive_family(cursive);
        $database.set_fantasy_family(fantasy);
    }};
}
pub(crate) use set_generic_families;
