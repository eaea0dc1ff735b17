//! Fonts for text input: the system's (found as fontconfig's configuration says, loaded once
//! per process), DejaVu Sans bundled for machines without fonts, and the font files callers
//! name (`fontfile`), each loaded once, as libvips keeps them. One lock around them all, as
//! libvips serialises its text rendering: shaping needs the font system mutably.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use cosmic_text::fontdb::{self, Database, Source};
use cosmic_text::{Family, FontSystem, Style, Weight};

use super::font_description::{FontDescription, Slant};
use crate::font_families;

pub struct Fonts {
    pub system: FontSystem,
    loaded_files: HashSet<String>,
}

pub fn lock() -> MutexGuard<'static, Fonts> {
    static FONTS: OnceLock<Mutex<Fonts>> = OnceLock::new();
    let fonts = FONTS.get_or_init(|| Mutex::new(Fonts::load()));
    // A panic while drawing leaves the fonts as they were: still usable.
    fonts
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Fonts {
    fn load() -> Fonts {
        let mut database = Database::new();
        database.load_system_fonts();
        for face in [
            dejavu::sans::regular(),
            dejavu::sans::bold(),
            dejavu::sans::oblique(),
            dejavu::sans::bold_oblique(),
            dejavu::sans_mono::regular(),
        ] {
            database.load_font_source(Source::Binary(Arc::new(face)));
        }
        let installed = |name: &str| has_family(&database, name);
        font_families::set_generic_families!(database, &installed);
        Fonts {
            system: FontSystem::new_with_locale_and_db("en-US".to_owned(), database),
            loaded_files: HashSet::new(),
        }
    }

    /// Adds the faces of `path`; a file that cannot be read is skipped, as libvips only warns.
    pub fn load_file(&mut self, path: &str) -> Option<String> {
        if !self.loaded_files.insert(path.to_owned()) {
            return None;
        }
        let loaded = self.system.db_mut().load_font_file(path);
        loaded
            .err()
            .map(|error| format!("unable to load fontfile \"{path}\": {error}"))
    }

    /// What `description` is drawn with: its first family that is installed (Pango's
    /// generic names meaning the generic families, else the default sans-serif), and that
    /// family's face nearest to what it asks (fontdb's CSS matching).
    pub fn face(&mut self, description: &FontDescription) -> Face {
        let family = self.family(description);
        let asked = weight(description);
        let query = fontdb::Query {
            families: &[Family::Name(&family)],
            weight: asked,
            stretch: fontdb::Stretch::Normal,
            style: style(description),
        };
        let id = self.system.db().query(&query);
        let weight = id
            .and_then(|id| self.system.db().face(id))
            .map_or(asked, |face| face.weight);
        // Ascent and descent per em; a family without a face: Pango's usual 1.2 em.
        let (ascent, descent) =
            id.and_then(|id| self.system.get_font(id, asked))
                .map_or((1.2, 0.0), |font| {
                    let metrics = font.metrics();
                    let per_em = f32::from(metrics.units_per_em.max(1));
                    (metrics.ascent / per_em, -metrics.descent / per_em)
                });
        Face {
            family,
            weight,
            // fontconfig's synthetic bold: a face of medium or lighter, asked bold.
            bold: weight.0 <= 500 && asked.0 >= 700,
            ascent,
            descent,
        }
    }

    fn family(&self, description: &FontDescription) -> String {
        let database = self.system.db();
        for name in description.families.iter().flatten() {
            if let Some(generic) = generic(name) {
                return database.family_name(&generic).to_owned();
            }
            let installed = database
                .faces()
                .flat_map(|face| face.families.iter())
                .find(|(family, _)| family.eq_ignore_ascii_case(name));
            if let Some((family, _)) = installed {
                return family.clone();
            }
        }
        database.family_name(&Family::SansSerif).to_owned()
    }
}

/// A span's face, whatever the dpi: resolved once, before autofit lays the text out again
/// and again.
pub struct Face {
    pub family: String,
    pub weight: Weight,
    /// Drawn emboldened: the family has no face as heavy as asked.
    pub bold: bool,
    /// Per em.
    ascent: f32,
    descent: f32,
}

impl Face {
    /// The height Pango gives a line of this face at `pixels` per em: its ascent and
    /// descent, each rounded up to whole pixels as FreeType's sized metrics are.
    pub fn line_height(&self, pixels: f32) -> f32 {
        (self.ascent * pixels).ceil() + (self.descent * pixels).ceil()
    }
}

pub fn weight(description: &FontDescription) -> Weight {
    Weight(description.weight.unwrap_or(400))
}

pub fn style(description: &FontDescription) -> Style {
    match description.slant {
        Some(Slant::Italic) => Style::Italic,
        Some(Slant::Oblique) => Style::Oblique,
        _ => Style::Normal,
    }
}

fn generic(name: &str) -> Option<Family<'static>> {
    Some(match name.to_ascii_lowercase().as_str() {
        "sans" | "sans-serif" => Family::SansSerif,
        "serif" => Family::Serif,
        "monospace" | "mono" => Family::Monospace,
        "cursive" => Family::Cursive,
        "fantasy" => Family::Fantasy,
        _ => return None,
    })
}

fn has_family(database: &Database, name: &str) -> bool {
    let query = fontdb::Query {
        families: &[Family::Name(name)],
        ..fontdb::Query::default()
    };
    database.query(&query).is_some()
}
