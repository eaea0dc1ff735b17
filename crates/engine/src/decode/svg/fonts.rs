//! Fonts for SVG text: the system's, loaded once per process, and DejaVu Sans (Bitstream
//! Vera licence, bundled by the `dejavu` crate) so text renders on machines without fonts.
use std::sync::{Arc, OnceLock};

use resvg::usvg::fontdb::{Database, Family, Query, Source};

const BUNDLED_FAMILY: &str = "DejaVu Sans";

/// What each CSS generic family means: the first of these the system has, else the
/// bundled font.
const GENERIC_FAMILIES: [(Family<'static>, &[&str]); 5] = [
    (
        Family::Serif,
        &[
            "Times New Roman",
            "Times",
            "Liberation Serif",
            "DejaVu Serif",
            "Noto Serif",
        ],
    ),
    (
        Family::SansSerif,
        &[
            "Arial",
            "Helvetica",
            "Liberation Sans",
            "DejaVu Sans",
            "Noto Sans",
        ],
    ),
    (
        Family::Monospace,
        &[
            "Courier New",
            "Courier",
            "Liberation Mono",
            "DejaVu Sans Mono",
            "Noto Sans Mono",
        ],
    ),
    (Family::Cursive, &["Comic Sans MS", "Apple Chancery"]),
    (Family::Fantasy, &["Impact", "Papyrus"]),
];

pub fn database() -> Arc<Database> {
    static FONTS: OnceLock<Arc<Database>> = OnceLock::new();
    FONTS.get_or_init(|| Arc::new(load())).clone()
}

fn load() -> Database {
    let mut fonts = Database::new();
    fonts.load_system_fonts();
    fonts.load_font_source(Source::Binary(Arc::new(dejavu::sans::regular())));
    fonts.load_font_source(Source::Binary(Arc::new(dejavu::sans::bold())));
    for (generic, candidates) in GENERIC_FAMILIES {
        let chosen = candidates
            .iter()
            .copied()
            .find(|name| has_family(&fonts, name))
            .unwrap_or(BUNDLED_FAMILY)
            .to_string();
        match generic {
            Family::Serif => fonts.set_serif_family(chosen),
            Family::SansSerif => fonts.set_sans_serif_family(chosen),
            Family::Monospace => fonts.set_monospace_family(chosen),
            Family::Cursive => fonts.set_cursive_family(chosen),
            _ => fonts.set_fantasy_family(chosen),
        }
    }
    fonts
}

fn has_family(fonts: &Database, name: &str) -> bool {
    let query = Query {
        families: &[Family::Name(name)],
        ..Query::default()
    };
    fonts.query(&query).is_some()
}
