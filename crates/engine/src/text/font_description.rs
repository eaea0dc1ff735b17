//! Pango's font descriptions, as sharp's `font` option and markup's `font` attribute take
//! them: `[FAMILY-LIST] [STYLE-OPTIONS] [SIZE]`, for example `Noto Sans Bold Italic 30`,
//! `sans 12` or `50` (a size alone). Words are read from the end: a number is the size in
//! points (`px` after it: in pixels), then style words (case-insensitive) while they are
//! style words; what is left is the comma-separated family list.

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FontSize {
    Points(f32),
    Pixels(f32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slant {
    Normal,
    Italic,
    Oblique,
}

/// The fields a description states; the others are inherited.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FontDescription {
    pub families: Option<Vec<String>>,
    pub slant: Option<Slant>,
    pub weight: Option<u16>,
    /// CSS stretch, 1 (ultra-condensed) to 9 (ultra-expanded).
    pub stretch: Option<u16>,
    pub size: Option<FontSize>,
}

impl FontDescription {
    pub fn parse(description: &str) -> FontDescription {
        let mut words: Vec<&str> = description.split_whitespace().collect();
        let mut parsed = FontDescription::default();
        if let Some(size) = words.last().and_then(|word| size_of(word)) {
            parsed.size = Some(size);
            words.pop();
        }
        while let Some(word) = words.last() {
            if !parsed.apply_style_word(&word.to_ascii_lowercase()) {
                break;
            }
            words.pop();
        }
        let families: Vec<String> = words
            .join(" ")
            .split(',')
            .map(|family| family.trim().to_owned())
            .filter(|family| !family.is_empty())
            .collect();
        parsed.families = (!families.is_empty()).then_some(families);
        parsed
    }

    /// `self` with the fields `other` states replaced by `other`'s.
    pub fn merged(&self, other: &FontDescription) -> FontDescription {
        FontDescription {
            families: other.families.clone().or_else(|| self.families.clone()),
            slant: other.slant.or(self.slant),
            weight: other.weight.or(self.weight),
            stretch: other.stretch.or(self.stretch),
            size: other.size.or(self.size),
        }
    }

    fn apply_style_word(&mut self, word: &str) -> bool {
        if word == "normal" || word == "roman" || word == "regular" {
            // "Normal" resets whatever field has not been stated yet.
            self.slant.get_or_insert(Slant::Normal);
            self.weight.get_or_insert(400);
            return true;
        }
        if let Some(slant) = slant_of(word) {
            self.slant = Some(slant);
        } else if let Some(weight) = weight_of(word) {
            self.weight = Some(weight);
        } else if let Some(stretch) = stretch_of(word) {
            self.stretch = Some(stretch);
        } else {
            // Variants and gravities Pango reads and pixelpool does not draw.
            return matches!(
                word,
                "small-caps"
                    | "all-small-caps"
                    | "petite-caps"
                    | "all-petite-caps"
                    | "unicase"
                    | "title-caps"
                    | "not-rotated"
                    | "south"
                    | "upside-down"
                    | "north"
                    | "rotated-left"
                    | "east"
                    | "rotated-right"
                    | "west"
            );
        }
        true
    }
}

fn size_of(word: &str) -> Option<FontSize> {
    let (number, pixels) = match word.strip_suffix("px") {
        Some(number) => (number, true),
        None => (word, false),
    };
    let value: f32 = number.parse().ok()?;
    if !value.is_finite() || value < 0.0 {
        return None;
    }
    Some(match pixels {
        true => FontSize::Pixels(value),
        false => FontSize::Points(value),
    })
}

pub fn slant_of(word: &str) -> Option<Slant> {
    match word {
        "normal" => Some(Slant::Normal),
        "italic" => Some(Slant::Italic),
        "oblique" => Some(Slant::Oblique),
        _ => None,
    }
}

/// Pango's weight names, or a number (markup's `weight="650"`).
pub fn weight_of(word: &str) -> Option<u16> {
    Some(match word {
        "normal" => 400,
        "thin" => 100,
        "ultra-light" | "ultralight" | "extra-light" | "extralight" => 200,
        "light" => 300,
        "semi-light" | "semilight" | "demi-light" | "demilight" => 350,
        "book" => 380,
        "medium" => 500,
        "semi-bold" | "semibold" | "demi-bold" | "demibold" => 600,
        "bold" => 700,
        "ultra-bold" | "ultrabold" | "extra-bold" | "extrabold" => 800,
        "heavy" | "black" => 900,
        "ultra-heavy" | "ultraheavy" | "extra-heavy" | "extraheavy" => 1000,
        number => return number.parse().ok().filter(|w| (100..=1000).contains(w)),
    })
}

pub fn stretch_of(word: &str) -> Option<u16> {
    Some(match word {
        "normal" => 5,
        "ultra-condensed" => 1,
        "extra-condensed" => 2,
        "condensed" => 3,
        "semi-condensed" => 4,
        "semi-expanded" => 6,
        "expanded" => 7,
        "extra-expanded" => 8,
        "ultra-expanded" => 9,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn family_style_and_size_are_read_from_the_end() {
        let d = FontDescription::parse("Noto Sans Bold Italic 30");
        assert_eq!(d.families, Some(vec!["Noto Sans".to_owned()]));
        assert_eq!(
            (d.weight, d.slant, d.size),
            (Some(700), Some(Slant::Italic), Some(FontSize::Points(30.0)))
        );
        let size_only = FontDescription::parse("50");
        assert_eq!(
            (size_only.families, size_only.size),
            (None, Some(FontSize::Points(50.0)))
        );
        let list = FontDescription::parse("Foo, sans 12px");
        assert_eq!(
            list.families,
            Some(vec!["Foo".to_owned(), "sans".to_owned()])
        );
        assert_eq!(list.size, Some(FontSize::Pixels(12.0)));
    }

    #[test]
    fn a_merge_keeps_what_the_inner_description_leaves_unstated() {
        let outer = FontDescription::parse("Noto Sans 12");
        let inner = FontDescription::parse("100");
        let merged = outer.merged(&inner);
        assert_eq!(merged.families, Some(vec!["Noto Sans".to_owned()]));
        assert_eq!(merged.size, Some(FontSize::Points(100.0)));
    }
}
