//! Pango markup, the text sharp's `text` input takes: `<span>` with font, size, weight,
//! style, colour, background, underline, strikethrough and letter-spacing attributes, and
//! the shorthand tags `b`, `i`, `s`, `u`, `big`, `small`, `tt`, `sub`, `sup` (drawn at
//! their smaller size, without Pango's rise). The markup is read as XML (roxmltree), inside
//! one root element as Pango reads it; what Pango refuses is an error here too.

use super::font_description::{slant_of, stretch_of, weight_of, FontDescription, FontSize};
use crate::error::{EngineError, ErrorKind, Result};

/// Pango's scale step for `big`, `small` and the relative size names.
const SCALE_STEP: f32 = 1.2;

#[derive(Debug, Clone, PartialEq)]
pub struct Style {
    pub font: FontDescription,
    /// RGBA; `None` is the layout's colour (black, or the alpha mask's ink).
    pub foreground: Option<[u8; 4]>,
    pub background: Option<[u8; 4]>,
    pub underline: bool,
    pub strikethrough: bool,
    /// Extra advance after each character, in points.
    pub letter_spacing: f32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub text: String,
    pub style: Style,
}

/// The spans of `markup`, each with its style, `font` (which states a size) the outermost.
pub fn parse(markup: &str, font: &FontDescription) -> Result<Vec<Span>> {
    let wrapped = format!("<markup>{markup}</markup>");
    let document = roxmltree::Document::parse(&wrapped).map_err(|e| invalid(e.to_string()))?;
    let style = Style {
        font: font.clone(),
        foreground: None,
        background: None,
        underline: false,
        strikethrough: false,
        letter_spacing: 0.0,
    };
    let mut spans = Vec::new();
    for child in document.root_element().children() {
        collect(child, &style, font, &mut spans)?;
    }
    Ok(spans)
}

fn collect(
    node: roxmltree::Node,
    outer: &Style,
    base: &FontDescription,
    spans: &mut Vec<Span>,
) -> Result<()> {
    if node.is_text() {
        let text = node.text().unwrap_or_default();
        if !text.is_empty() {
            spans.push(Span {
                text: text.to_owned(),
                style: outer.clone(),
            });
        }
        return Ok(());
    }
    if !node.is_element() {
        return Ok(());
    }
    let style = styled(node, outer, base)?;
    for child in node.children() {
        collect(child, &style, base, spans)?;
    }
    Ok(())
}

fn styled(node: roxmltree::Node, outer: &Style, base: &FontDescription) -> Result<Style> {
    let mut style = outer.clone();
    let tag = node.tag_name().name();
    match tag {
        "span" => {
            for attribute in node.attributes() {
                apply_attribute(&mut style, attribute.name(), attribute.value(), base)?;
            }
        }
        "b" => style.font.weight = Some(700),
        "i" => style.font.slant = Some(super::font_description::Slant::Italic),
        "s" => style.strikethrough = true,
        "u" => style.underline = true,
        "big" => scale(&mut style, SCALE_STEP),
        "small" | "sub" | "sup" => scale(&mut style, 1.0 / SCALE_STEP),
        "tt" => style.font.families = Some(vec!["monospace".to_owned()]),
        _ => return Err(invalid(format!("Unknown tag '{tag}'"))),
    }
    if tag != "span" && node.attributes().len() > 0 {
        return Err(invalid(format!(
            "Tag '{tag}' does not support any attributes"
        )));
    }
    Ok(style)
}

fn apply_attribute(
    style: &mut Style,
    name: &str,
    value: &str,
    base: &FontDescription,
) -> Result<()> {
    let bad = || {
        invalid(format!(
            "Value '{value}' of attribute '{name}' is not valid"
        ))
    };
    let lower = value.to_ascii_lowercase();
    match name {
        "font" | "font_desc" => style.font = style.font.merged(&FontDescription::parse(value)),
        "font_family" | "face" => style.font.families = Some(vec![value.to_owned()]),
        "size" | "font_size" => {
            style.font.size = Some(size(value, &style.font, base).ok_or_else(bad)?)
        }
        "style" | "font_style" => style.font.slant = Some(slant_of(&lower).ok_or_else(bad)?),
        "weight" | "font_weight" => style.font.weight = Some(weight_of(&lower).ok_or_else(bad)?),
        "stretch" | "font_stretch" => {
            style.font.stretch = Some(stretch_of(&lower).ok_or_else(bad)?)
        }
        "foreground" | "fgcolor" | "color" => {
            style.foreground = Some(colour(value).ok_or_else(bad)?)
        }
        "background" | "bgcolor" => style.background = Some(colour(value).ok_or_else(bad)?),
        "underline" => style.underline = !matches!(lower.as_str(), "none" | "false"),
        "strikethrough" => style.strikethrough = matches!(lower.as_str(), "true"),
        "letter_spacing" => {
            style.letter_spacing = value.parse::<f32>().map_err(|_| bad())? / 1024.0
        }
        // Attributes Pango reads and pixelpool does not draw (shaping hints, language,
        // rise, font variants, alpha given apart from the colour).
        "lang"
        | "fallback"
        | "rise"
        | "baseline_shift"
        | "font_variant"
        | "variant"
        | "gravity"
        | "gravity_hint"
        | "font_features"
        | "insert_hyphens"
        | "allow_breaks"
        | "show"
        | "line_height"
        | "font_scale"
        | "text_transform"
        | "segment"
        | "alpha"
        | "fgalpha"
        | "bgalpha"
        | "underline_color"
        | "strikethrough_color"
        | "overline"
        | "overline_color" => {}
        _ => {
            return Err(invalid(format!(
                "Attribute '{name}' is not allowed on the <span> tag"
            )))
        }
    }
    Ok(())
}

/// Markup's `size`: 1024ths of a point (Pango's units),
/// `12pt`, a CSS size name relative to the layout's font, or `smaller`/`larger`.
fn size(value: &str, current: &FontDescription, base: &FontDescription) -> Option<FontSize> {
    let scaled = |size: Option<FontSize>, factor: f32| match size? {
        FontSize::Points(points) => Some(FontSize::Points(points * factor)),
        FontSize::Pixels(pixels) => Some(FontSize::Pixels(pixels * factor)),
    };
    let names = [
        "xx-small", "x-small", "small", "medium", "large", "x-large", "xx-large",
    ];
    if let Some(step) = names.iter().position(|name| *name == value) {
        return scaled(base.size, SCALE_STEP.powi(step as i32 - 3));
    }
    match value {
        "smaller" => scaled(current.size, 1.0 / SCALE_STEP),
        "larger" => scaled(current.size, SCALE_STEP),
        _ => match value.strip_suffix("pt") {
            Some(points) => points.parse().ok().map(FontSize::Points),
            None => value
                .parse::<f32>()
                .ok()
                .map(|units| FontSize::Points(units / 1024.0)),
        },
    }
    .filter(|size| match size {
        FontSize::Points(v) | FontSize::Pixels(v) => v.is_finite() && *v >= 0.0,
    })
}

fn scale(style: &mut Style, factor: f32) {
    style.font.size = match style.font.size {
        Some(FontSize::Points(points)) => Some(FontSize::Points(points * factor)),
        Some(FontSize::Pixels(pixels)) => Some(FontSize::Pixels(pixels * factor)),
        None => None,
    };
}

/// A colour as Pango reads one: `#rgb`, `#rrggbb`, `#rrggbbaa`, or an X11 colour name (where
/// X11 and CSS disagree on a name, X11's value, as Pango's table is X11's).
pub fn colour(value: &str) -> Option<[u8; 4]> {
    let x11 = match value.to_ascii_lowercase().as_str() {
        "gray" | "grey" => Some([190, 190, 190]),
        "green" => Some([0, 255, 0]),
        "maroon" => Some([176, 48, 96]),
        "purple" => Some([160, 32, 240]),
        _ => None,
    };
    if let Some([r, g, b]) = x11 {
        return Some([r, g, b, 255]);
    }
    let parsed: svgtypes::Color = value.parse().ok()?;
    Some([parsed.red, parsed.green, parsed.blue, parsed.alpha])
}

fn invalid(message: impl Into<String>) -> EngineError {
    EngineError::new(
        ErrorKind::InvalidOption,
        format!("invalid markup in text: {}", message.into()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> FontDescription {
        FontDescription::parse("sans 12")
    }

    #[test]
    fn spans_inherit_and_override_their_parents_style() {
        let spans = parse(
            r#"<span foreground="red" font="100">red</span><span font="50" background="cyan">blue <i>it</i></span>"#,
            &base(),
        )
        .unwrap();
        let texts: Vec<&str> = spans.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts, ["red", "blue ", "it"]);
        assert_eq!(spans[0].style.foreground, Some([255, 0, 0, 255]));
        assert_eq!(spans[0].style.font.size, Some(FontSize::Points(100.0)));
        assert_eq!(spans[2].style.background, Some([0, 255, 255, 255]));
        assert_eq!(
            spans[2].style.font.slant,
            Some(super::super::font_description::Slant::Italic)
        );
        assert_eq!(spans[2].style.font.families, Some(vec!["sans".to_owned()]));
    }

    #[test]
    fn entities_are_text_and_broken_markup_is_refused() {
        let spans = parse("a &amp; b", &base()).unwrap();
        assert_eq!(spans[0].text, "a & b");
        for bad in [
            "a & b",
            "<span>open",
            "<blink>x</blink>",
            r#"<span nope="1">x</span>"#,
        ] {
            let error = parse(bad, &base()).unwrap_err();
            assert_eq!(error.kind, ErrorKind::InvalidOption, "{bad}");
        }
    }

    #[test]
    fn colours_are_x11_where_x11_and_css_disagree() {
        assert_eq!(colour("green"), Some([0, 255, 0, 255]));
        assert_eq!(colour("#ffff00"), Some([255, 255, 0, 255]));
        assert_eq!(colour("#00000080"), Some([0, 0, 0, 128]));
        assert_eq!(colour("nonsense"), None);
    }
}
