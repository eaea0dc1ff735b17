//! What an SVG may cost before usvg sees it: entity expansion, element count, nesting
//! depth and the elements its references would copy (references.rs), each bounded so that
//! a hostile file is rejected in linear time instead of exhausting memory, stack or CPU;
//! and feTurbulence octaves beyond what 8-bit samples can show, clamped.
use std::borrow::Cow;
use std::collections::HashMap;

use resvg::usvg::roxmltree::{self, Document, Node, NodeId, ParsingOptions};

use crate::error::{EngineError, Result};

/// Elements, text and comments in the parsed document.
pub const MAX_NODES: u32 = 1_000_000;
/// usvg converts groups recursively; this depth fits a 2 MiB thread stack many times over.
pub const MAX_DEPTH: usize = 128;
/// Bytes entity references may add to the document (roxmltree bounds their nesting, not
/// their number: 10,000 references to a 1 MB entity would be 10 GB of text).
pub const MAX_ENTITY_GROWTH: u64 = 8 << 20;

/// feTurbulence octaves past which no 8-bit sample changes: octave k adds at most 2^-k
/// of full scale (measured: 22 octaves already draw what 24 draw, tests/svg.rs). usvg
/// takes any count (33333333333 would render for hours), so larger ones become this.
pub const MAX_OCTAVES: u32 = 24;

/// The text with every feTurbulence `numOctaves` above MAX_OCTAVES lowered to it.
pub fn with_octaves_clamped(text: &str) -> Result<Cow<'_, str>> {
    if !text.contains("numOctaves") {
        return Ok(Cow::Borrowed(text));
    }
    let document = parse(text)?;
    let mut ranges: Vec<_> = document
        .descendants()
        .filter(|n| n.has_tag_name("feTurbulence"))
        .filter_map(|n| n.attribute_node("numOctaves"))
        .filter(|a| {
            a.value()
                .trim()
                .parse::<f64>()
                .is_ok_and(|v| v > MAX_OCTAVES as f64)
        })
        .map(|a| a.range_value())
        .collect();
    if ranges.is_empty() {
        return Ok(Cow::Borrowed(text));
    }
    ranges.sort_by_key(|range| range.start);
    let mut clamped = String::with_capacity(text.len());
    let mut copied = 0;
    for range in ranges {
        clamped.push_str(&text[copied..range.start]);
        clamped.push_str(&MAX_OCTAVES.to_string());
        copied = range.end;
    }
    clamped.push_str(&text[copied..]);
    Ok(Cow::Owned(clamped))
}

pub fn parse(text: &str) -> Result<Document<'_>> {
    check_entities(text)?;
    let options = ParsingOptions {
        allow_dtd: true,
        nodes_limit: MAX_NODES,
        // External entities are discarded, never loaded.
        entity_resolver: None,
    };
    let document = Document::parse_with_options(text, options).map_err(|e| match e {
        roxmltree::Error::NodesLimitReached => EngineError::corrupt(format!(
            "SVG has more than {MAX_NODES} nodes (elements, text and comments)"
        )),
        other => EngineError::corrupt(format!("SVG is not well-formed XML: {other}")),
    })?;
    check_depth(&document)?;
    super::references::check_expansion(&document)?;
    Ok(document)
}

/// Sums what every `&name;` expands to, from the `<!ENTITY>` declarations.
fn check_entities(text: &str) -> Result<()> {
    if !text.contains("<!ENTITY") {
        return Ok(());
    }
    let declared = declarations(text);
    let mut sizes = HashMap::new();
    let mut growth: u64 = 0;
    for name in references(text) {
        let size = expanded_size(name, &declared, &mut sizes, 0)?;
        growth = growth.saturating_add(size);
        if growth > MAX_ENTITY_GROWTH {
            return Err(entity_bomb());
        }
    }
    Ok(())
}

fn entity_bomb() -> EngineError {
    EngineError::corrupt(format!(
        "SVG entities expand to more than {} MiB (an entity bomb)",
        MAX_ENTITY_GROWTH >> 20
    ))
}

/// Internal entities: name and replacement text. External ones are never loaded.
fn declarations(text: &str) -> HashMap<&str, &str> {
    let mut declared = HashMap::new();
    for (start, _) in text.match_indices("<!ENTITY") {
        let rest = text[start + "<!ENTITY".len()..].trim_start();
        let rest = rest.strip_prefix('%').unwrap_or(rest).trim_start();
        let name_end = rest.find(|c: char| c.is_whitespace()).unwrap_or(rest.len());
        let (name, rest) = rest.split_at(name_end);
        let rest = rest.trim_start();
        let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        if let Some(end) = rest[1..].find(quote) {
            declared.insert(name, &rest[1..1 + end]);
        }
    }
    declared
}

/// Every `&name;` in `text` that is not a character reference.
fn references(text: &str) -> impl Iterator<Item = &str> {
    text.match_indices('&').filter_map(|(at, _)| {
        let rest = &text[at + 1..];
        let end = rest.find(';')?;
        let name = &rest[..end];
        let is_name = !name.is_empty()
            && !name.starts_with('#')
            && name
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':'));
        is_name.then_some(name)
    })
}

fn expanded_size<'a>(
    name: &'a str,
    declared: &HashMap<&'a str, &'a str>,
    sizes: &mut HashMap<&'a str, u64>,
    depth: usize,
) -> Result<u64> {
    if let Some(&size) = sizes.get(name) {
        return Ok(size);
    }
    let Some(value) = declared.get(name) else {
        return Ok(0);
    };
    // roxmltree refuses deeper nesting too; a cycle ends here.
    if depth > 10 {
        return Err(entity_bomb());
    }
    let mut size = value.len() as u64;
    for inner in references(value) {
        size = size.saturating_add(expanded_size(inner, declared, sizes, depth + 1)?);
    }
    if size > MAX_ENTITY_GROWTH {
        return Err(entity_bomb());
    }
    sizes.insert(name, size);
    Ok(size)
}

fn check_depth(document: &Document<'_>) -> Result<()> {
    // In document order a parent comes before its children.
    let mut depths: HashMap<NodeId, usize> = HashMap::new();
    for node in document.descendants().filter(Node::is_element) {
        let parent = node.parent_element().map_or(0, |p| depths[&p.id()]);
        if parent + 1 > MAX_DEPTH {
            return Err(EngineError::corrupt(format!(
                "SVG elements are nested more than {MAX_DEPTH} deep"
            )));
        }
        depths.insert(node.id(), parent + 1);
    }
    Ok(())
}
