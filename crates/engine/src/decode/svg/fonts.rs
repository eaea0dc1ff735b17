//! Fonts for SVG text: the system's, loaded once per process, and DejaVu Sans (Bitstream
//! Vera licence, bundled by the `dejavu` crate) so text renders on machines without fonts;
//! generic families as `font_families` chooses them.
use std::sync::{Arc, OnceLock};

use resvg::usvg::fontdb::{Database, Family, Query, Source};

use crate::font_families;

pub fn database() -> Arc<Database> {
    static FONTS: OnceLock<Arc<Database>> = OnceLock::new();
    FONTS.get_or_init(|| Arc::new(load())).clone()
}

fn load() -> Database {
    let mut fonts = Database::new();
    fonts.load_system_fonts();
    fonts.load_font_source(Source::Binary(Arc::new(dejavu::sans::regular())));
    fonts.load_font_source(Source::Binary(Arc::new(dejavu::sans::bold())));
    let installed = |name: &str| has_family(&fonts, name);
    font_families::set_generic_families!(fonts, &installed);
    fonts
}

fn has_family(fonts: &Database, name: &str) -> bool {
    let query = Query {
        families: &[Family::Name(name)],
        ..Query::default()
    };
    fonts.query(&query).is_some()
}
